/**
 * Reading annotations for the views: the Annotations list (filtered by tag, author, kind, text, or
 * by a display filter over the annotated packets), everything that applies to one packet (its own,
 * its flow's and its hosts'), and the timeline's bands and markers.
 */
import type { CaseDb } from '../../db/open-case';
import { annotationFrom, type AnnotationDbRow } from '../../db/annotation-store';
import type { Annotation, AnnotationMarks, AnnotationQuery, PacketAnnotations } from '../model/annotation';
import { compileFilter, registerFilterFunctions } from './display-filter/index';
import { caseFirstTsNs } from '../../db/case-meta';

const MAX_LIST = 10_000;

// Range bounds and packet times exceed 2^53: always selected as text.
const SELECT = `SELECT a.id, a.target_kind, a.target_ref, a.packet_id, a.flow_id, a.finding_id, a.host_addr,
  CAST(a.range_start_ns AS TEXT) AS range_start_ns, CAST(a.range_end_ns AS TEXT) AS range_end_ns, a.text, a.tags, a.author,
  a.source, a.supersedes_id, a.include_in_report, a.version, a.deleted, a.created_at, a.updated_at,
  (SELECT s.id FROM annotations s WHERE s.supersedes_id = a.id AND s.deleted = 0 ORDER BY s.id LIMIT 1) AS superseded_by
  FROM annotations a`;

const fromRows = (rows: unknown[]) => (rows as AnnotationDbRow[]).map(annotationFrom);

export function listAnnotations(db: CaseDb, q: AnnotationQuery = {}): Annotation[] {
  const conds: string[] = [];
  const params: Array<string | number | bigint | Buffer> = [];
  if (!q.includeDeleted) conds.push('a.deleted = 0');
  if (q.tag) { conds.push('EXISTS (SELECT 1 FROM json_each(a.tags) t WHERE t.value = ?)'); params.push(q.tag); }
  if (q.author) { conds.push('a.author = ?'); params.push(q.author); }
  if (q.kind) { conds.push('a.target_kind = ?'); params.push(q.kind); }
  if (q.text) { conds.push('instr(lower(a.text), lower(?)) > 0'); params.push(q.text); }
  if (q.filter !== undefined && q.filter.trim() !== '') {
    const f = compileFilter(q.filter, { firstTsNs: caseFirstTsNs(db) });
    registerFilterFunctions(db);
    conds.push(`a.target_kind = 'packet' AND a.packet_id IN (SELECT p.id FROM packets AS p WHERE ${f.sql})`);
    params.push(...f.params);
  }
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const limit = Math.min(q.limit ?? MAX_LIST, MAX_LIST);
  return fromRows(db.prepare(`${SELECT} ${where} ORDER BY a.created_at, a.id LIMIT ?`).all(...params, limit));
}

/** A packet's own annotations, then its flow's, then those of its source and destination hosts. */
export function annotationsForPacket(db: CaseDb, packetId: number): PacketAnnotations {
  const p = db.prepare(`SELECT flow_id, (SELECT addr FROM addrs WHERE id = src_id) AS src, (SELECT addr FROM addrs WHERE id = dst_id) AS dst
    FROM packets WHERE id = ?`).get(packetId) as { flow_id: number | null; src: string | null; dst: string | null } | undefined;
  if (!p) return { packet: [], flow: [], hosts: [] };
  const packet = fromRows(db.prepare(`${SELECT} WHERE a.packet_id = ? AND a.target_kind = 'packet' AND a.deleted = 0 ORDER BY a.id`).all(packetId));
  const flow = p.flow_id === null ? [] : fromRows(db.prepare(`${SELECT} WHERE a.target_kind = 'flow' AND a.flow_id = ? AND a.deleted = 0 ORDER BY a.id`).all(p.flow_id));
  const addrs = [p.src, p.dst].filter((x): x is string => !!x);
  const hosts = addrs.length === 0 ? [] : fromRows(db.prepare(`${SELECT} WHERE a.target_kind = 'host' AND a.host_addr IN (${addrs.map(() => '?').join(',')}) AND a.deleted = 0 ORDER BY a.id`).all(...addrs));
  return { packet, flow, hosts };
}

/** Live packet annotations for packets fromId..toId, by packet (exports read a page at a time). */
export function listPacketAnnotations(db: CaseDb, fromId: number, toId: number): Map<number, Annotation[]> {
  const out = new Map<number, Annotation[]>();
  const rows = fromRows(db.prepare(`${SELECT} WHERE a.target_kind = 'packet' AND a.deleted = 0 AND a.packet_id BETWEEN ? AND ? ORDER BY a.packet_id, a.id`).all(fromId, toId));
  for (const a of rows) {
    const id = (a.target as { packetId: number }).packetId;
    const list = out.get(id) ?? [];
    list.push(a);
    out.set(id, list);
  }
  return out;
}

/** Live annotations on one flow, host or finding (panels and table tag columns). */
export function annotationsForTarget(db: CaseDb, kind: 'flow' | 'host' | 'finding' | 'case', ref: string): Annotation[] {
  return fromRows(db.prepare(`${SELECT} WHERE a.target_kind = ? AND a.target_ref = ? AND a.deleted = 0 ORDER BY a.id`).all(kind, ref));
}

/** Tags per flow id / host address, for the Conversations and Endpoints tag columns. */
export function tagsByTarget(db: CaseDb, kind: 'flow' | 'host', refs: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (refs.length === 0) return out;
  const rows = db.prepare(`SELECT a.target_ref AS ref, t.value AS tag FROM annotations a, json_each(a.tags) t
    WHERE a.target_kind = ? AND a.deleted = 0 AND a.target_ref IN (SELECT value FROM json_each(?)) ORDER BY a.id`)
    .all(kind, JSON.stringify(refs)) as Array<{ ref: string; tag: string }>;
  for (const r of rows) {
    const list = out.get(r.ref) ?? [];
    if (!list.includes(r.tag)) list.push(r.tag);
    out.set(r.ref, list);
  }
  // Annotated without a tag still shows as annotated.
  const plain = db.prepare(`SELECT DISTINCT target_ref AS ref FROM annotations WHERE target_kind = ? AND deleted = 0
    AND target_ref IN (SELECT value FROM json_each(?))`).all(kind, JSON.stringify(refs)) as Array<{ ref: string }>;
  for (const r of plain) if (!out.has(r.ref)) out.set(r.ref, []);
  return out;
}

/** A page of Conversations or Endpoints with each annotated row's tags (the tag column). */
export function withTags<R extends { tags?: string[] }, P extends { rows: R[] }>(db: CaseDb, kind: 'flow' | 'host', page: P, ref: (r: R) => string): P {
  const tags = tagsByTarget(db, kind, page.rows.map(ref));
  if (tags.size === 0) return page;
  return { ...page, rows: page.rows.map((r) => (tags.has(ref(r)) ? { ...r, tags: tags.get(ref(r)) } : r)) };
}

/** What the timeline draws: annotated packets as points, annotated ranges as bands. */
export function annotationMarks(db: CaseDb, limit = 2000): AnnotationMarks {
  const pts = db.prepare(`SELECT p.id AS packet_id, CAST(p.ts_ns AS TEXT) AS ts, json_group_array(a.id) AS ids,
      (SELECT json_group_array(DISTINCT t.value) FROM annotations b, json_each(b.tags) t WHERE b.packet_id = p.id AND b.target_kind = 'packet' AND b.deleted = 0) AS tags
    FROM annotations a JOIN packets p ON p.id = a.packet_id
    WHERE a.target_kind = 'packet' AND a.deleted = 0 GROUP BY p.id ORDER BY p.ts_ns LIMIT ?`).all(limit) as Array<{ packet_id: number; ts: string; ids: string; tags: string }>;
  const ranges = db.prepare(`SELECT id, CAST(range_start_ns AS TEXT) AS s, CAST(range_end_ns AS TEXT) AS e, tags, text
    FROM annotations WHERE target_kind = 'range' AND deleted = 0 ORDER BY range_start_ns LIMIT ?`).all(limit) as Array<{ id: number; s: string; e: string; tags: string; text: string }>;
  return {
    points: pts.map((r) => ({ tsNs: r.ts, packetId: r.packet_id, annotationIds: JSON.parse(r.ids) as number[], tags: JSON.parse(r.tags) as string[] })),
    ranges: ranges.map((r) => ({ id: r.id, startNs: r.s, endNs: r.e, tags: JSON.parse(r.tags) as string[], text: r.text })),
  };
}

/** Comment texts of a packet for a pcapng export: capture comments verbatim, analyst notes labelled. */
export function exportCommentsFor(annotations: Annotation[]): string[] {
  return annotations.map((a) => {
    if (a.source === 'capture-comment') return a.text;
    const tags = a.tags.length ? ` [${a.tags.join(', ')}]` : '';
    const edited = a.version > 1 ? ', edited' : '';
    return `Flowcase annotation #${a.id} by ${a.author}${tags} (${a.updatedAt}${edited})${a.text ? `: ${a.text}` : ''}`;
  });
}

/** A display filter that shows one flow's packets (jumping from a flow annotation to its packets). */
export function flowFilterText(db: CaseDb, flowId: number): string | null {
  const f = db.prepare(`SELECT f.ip_proto AS proto, o.addr AS a, f.orig_port AS ap, r.addr AS b, f.resp_port AS bp
    FROM flows f JOIN addrs o ON o.id = f.orig_id JOIN addrs r ON r.id = f.resp_id WHERE f.id = ?`).get(flowId) as
    { proto: number; a: string; ap: number; b: string; bp: number } | undefined;
  if (!f) return null;
  const field = f.a.includes(':') ? 'ipv6.addr' : 'ip.addr';
  const hosts = `${field} == ${f.a} && ${field} == ${f.b}`;
  if (f.proto === 6 || f.proto === 17) {
    const l4 = f.proto === 6 ? 'tcp' : 'udp';
    return `${hosts} && ${l4}.port == ${f.ap} && ${l4}.port == ${f.bp}`;
  }
  return `${hosts} && ${f.a.includes(':') ? 'ipv6.nxt' : 'ip.proto'} == ${f.proto}`;
}
