/**
 * The conversation ladder (Wireshark's Flow Graph): one arrow per packet in time order between
 * endpoint columns, paged by packet id, with the places where the exchange broke marked on the
 * arrow that shows them: a SYN never answered, a SYN/ACK never ACKed (half-open), an RST, a
 * retransmission and its back-off, an ICMP error quoting the packet.
 *
 * Info and relative sequence numbers need the packet bytes, which the case does not store: the
 * page's frames are read back from the capture and decoded (packet-info.ts); when that cannot be
 * done (compressed, missing or changed capture) seq/ack come back null and Info says why.
 */
import type { CaseDb } from '../../db/open-case';
import type { HandshakePair, LadderArrow, LadderMark, LadderPage, LadderQuery } from '../model/graph';
import { ApiFailure } from '../model/api-error';
import { PKT_TCP_RETRANSMISSION, TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import { cleanInfo, INFO_SOURCE_COLUMNS, PacketInfoReader, type InfoSourceRow } from './packet-info';
import { ipProtoName } from './flows';

export const LADDER_PAGE = 200;
export const MAX_LADDER_PAGE = 1000;
/** Silence longer than this is drawn compressed, with its duration written. */
export const GAP_SEC = 1;
/** Above this many endpoints a page uses one column per address, ports go into the labels. */
const MAX_PORT_COLUMNS = 8;

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

export function tcpFlagText(flags: number): string {
  return FLAG_NAMES.filter((_, b) => flags & (1 << b)).join(', ');
}

interface Selection { where: string; params: unknown[]; title: string }

function addrId(db: CaseDb, addr: string): number {
  const r = db.prepare('SELECT id FROM addrs WHERE addr = ?').get(addr) as { id: number } | undefined;
  if (!r) throw new ApiFailure('not-found', `address ${addr.slice(0, 60)} is not in this case`);
  return r.id;
}

function selection(db: CaseDb, q: LadderQuery): Selection {
  if ('flowId' in q) {
    const f = db.prepare(`SELECT f.id, f.ip_proto, o.addr AS src, f.orig_port, r.addr AS dst, f.resp_port FROM flows f
      JOIN addrs o ON o.id = f.orig_id JOIN addrs r ON r.id = f.resp_id WHERE f.id = ?`).get(q.flowId) as
      { id: number; ip_proto: number; src: string; orig_port: number; dst: string; resp_port: number } | undefined;
    if (!f) throw new ApiFailure('not-found', `conversation ${q.flowId} is not in this case`);
    return {
      where: 'p.flow_id = ? OR p.id IN (SELECT packet_id FROM icmp_errors WHERE orig_flow_id = ?)',
      params: [q.flowId, q.flowId],
      title: `${ipProtoName(f.ip_proto)} stream ${f.id}: ${f.src}:${f.orig_port} → ${f.dst}:${f.resp_port}`,
    };
  }
  if ('findingId' in q) {
    const f = db.prepare('SELECT title FROM findings WHERE id = ?').get(q.findingId) as { title: string } | undefined;
    if (!f) throw new ApiFailure('not-found', `finding ${q.findingId} is not in this case`);
    return {
      where: 'p.id IN (SELECT packet_id FROM finding_evidence WHERE finding_id = ?)',
      params: [q.findingId],
      title: `Evidence of finding ${q.findingId}: ${f.title}`,
    };
  }
  const a = addrId(db, q.a);
  const b = addrId(db, q.b);
  const flows = '(SELECT id FROM flows WHERE (orig_id = ? AND resp_id = ?) OR (orig_id = ? AND resp_id = ?))';
  return {
    where: `p.flow_id IN ${flows} OR p.id IN (SELECT packet_id FROM icmp_errors WHERE orig_flow_id IN ${flows})`,
    params: [a, b, b, a, a, b, b, a],
    title: `${q.a} ⇄ ${q.b}`,
  };
}

interface LadderDbRow extends InfoSourceRow {
  id: number; ts: string; src: string; dst: string; sport: number | null; dport: number | null; proto: string;
  origlen: number; tcp_flags: number | null; ip_proto: number | null; flags: number; flow_id: number | null;
  src_id: number | null;
  syn_ts: string | null; synack_ts: string | null; ack_ts: string | null; orig_id: number | null; resp_pkts: number | null;
  icmp_reporter: string | null; orig_src: string | null; orig_dst: string | null; orig_proto: number | null;
  orig_sport: number | null; orig_dport: number | null; dns_qname: string | null; is_icmp_error: number;
}

const PAGE_COLUMNS = `p.id, CAST(p.ts_ns AS TEXT) AS ts,
  coalesce((SELECT a.addr FROM addrs a WHERE a.id = p.src_id), '') AS src,
  coalesce((SELECT a.addr FROM addrs a WHERE a.id = p.dst_id), '') AS dst,
  p.sport, p.dport, coalesce((SELECT r.name FROM protocols r WHERE r.id = p.proto_id), '') AS proto, p.origlen,
  p.tcp_flags, p.ip_proto, p.flags, p.flow_id, p.src_id, ${INFO_SOURCE_COLUMNS},
  CAST(f.syn_ts_ns AS TEXT) AS syn_ts, CAST(f.synack_ts_ns AS TEXT) AS synack_ts, CAST(f.ack_ts_ns AS TEXT) AS ack_ts, f.orig_id, f.resp_pkts,
  (SELECT a.addr FROM addrs a WHERE a.id = e.reporter_id) AS icmp_reporter, e.orig_src, e.orig_dst, e.orig_proto,
  e.orig_sport, e.orig_dport, e.dns_qname, e.packet_id IS NOT NULL AS is_icmp_error`;

function endpoint(addr: string, port: number | null, ipProto: number | null): string {
  return port !== null && (ipProto === 6 || ipProto === 17) ? `${addr}:${port}` : addr;
}

/** The two ends of an arrow; an ICMP error is drawn between the quoted conversation's endpoints. */
function ends(r: LadderDbRow): [string, string] {
  if (r.is_icmp_error && r.orig_src && r.orig_dst) {
    const quotedResp = endpoint(r.orig_dst, r.orig_dport, r.orig_proto);
    const from = r.src === r.orig_dst ? quotedResp : r.src;
    return [from, endpoint(r.orig_src, r.orig_sport, r.orig_proto)];
  }
  return [endpoint(r.src, r.sport, r.ip_proto), endpoint(r.dst, r.dport, r.ip_proto)];
}

const nsDiffSec = (a: string, b: string) => Number(BigInt(a) - BigInt(b)) / 1e9;

function relative(v: number, base: number): number {
  return (v - base + 2 ** 32) % 2 ** 32;
}

interface Decoded { info: string; seq: number | null; ack: number | null }

/**
 * Info for every row, and relative seq/ack for TCP rows: each side's base is the seq of the first
 * packet that side sent in the flow (its ISN when the capture holds the handshake).
 */
function decodeRows(db: CaseDb, rows: LadderDbRow[]): Map<number, Decoded> {
  const reader = new PacketInfoReader(db);
  try {
    const tcp = rows.filter((r) => r.ip_proto === 6 && r.flow_id !== null && !r.is_icmp_error);
    const flowIds = [...new Set(tcp.map((r) => r.flow_id!))];
    const firsts = flowIds.length ? db.prepare(`SELECT p.flow_id, p.src_id, p.id, p.origlen, ${INFO_SOURCE_COLUMNS} FROM packets p
      WHERE p.id IN (SELECT min(id) FROM packets WHERE flow_id IN (SELECT value FROM json_each(?)) AND ip_proto = 6 GROUP BY flow_id, src_id)`)
      .all(JSON.stringify(flowIds)) as Array<InfoSourceRow & { flow_id: number; src_id: number }> : [];
    const base = new Map<string, number>();
    for (const f of firsts) {
      const s = reader.decode(f);
      if (s && s.ipProto === 6) base.set(`${f.flow_id}:${f.src_id}`, s.tcpSeq >>> 0);
    }
    const out = new Map<number, Decoded>();
    for (const r of rows) {
      const s = reader.decode(r);
      if (!s) { out.set(r.id, { info: reader.infoOf(r), seq: null, ack: null }); continue; }
      const d: Decoded = { info: cleanInfo(s.info), seq: null, ack: null };
      if (s.ipProto === 6 && r.flow_id !== null && !r.is_icmp_error) {
        const mine = base.get(`${r.flow_id}:${r.src_id}`);
        const theirs = [...base.entries()].find(([k]) => k.startsWith(`${r.flow_id}:`) && k !== `${r.flow_id}:${r.src_id}`)?.[1];
        if (mine !== undefined) d.seq = relative(s.tcpSeq >>> 0, mine);
        if ((s.tcpFlags & TCP_ACK) && theirs !== undefined) d.ack = relative(s.tcpAck >>> 0, theirs);
      }
      out.set(r.id, d);
    }
    return out;
  } finally {
    reader.close();
  }
}

/** Seconds since the previous packet the same side sent in the same flow: a retransmission's back-off. */
function backoffSec(db: CaseDb, r: LadderDbRow): number {
  const prev = db.prepare('SELECT CAST(max(ts_ns) AS TEXT) AS t FROM packets WHERE flow_id = ? AND src_id = ? AND id < ?')
    .get(r.flow_id, r.src_id, r.id) as { t: string | null };
  return prev.t ? nsDiffSec(r.ts, prev.t) : 0;
}

function marksOf(db: CaseDb, r: LadderDbRow): LadderMark[] {
  const marks: LadderMark[] = [];
  if (r.is_icmp_error) {
    const proto = r.orig_proto !== null ? ipProtoName(r.orig_proto) : 'IP';
    const quoted = `${proto} ${r.orig_src ?? '?'}${r.orig_sport !== null ? `:${r.orig_sport}` : ''} → ${r.orig_dst ?? '?'}${r.orig_dport !== null ? `:${r.orig_dport}` : ''}${r.dns_qname ? ` (DNS ${r.dns_qname})` : ''}`;
    marks.push({ kind: 'icmp-error', quoted });
    return marks;
  }
  const flags = r.ip_proto === 6 ? r.tcp_flags ?? 0 : 0;
  const syn = (flags & TCP_SYN) !== 0;
  const ack = (flags & TCP_ACK) !== 0;
  // Unanswered: the responder sent nothing at all (a refusal answers with RST, marked on the RST).
  if (syn && !ack && r.synack_ts === null && r.syn_ts !== null && r.resp_pkts === 0) marks.push({ kind: 'unanswered-syn' });
  if (syn && ack && r.ack_ts === null && r.src_id !== r.orig_id) marks.push({ kind: 'half-open' });
  if (flags & TCP_RST) marks.push({ kind: 'rst' });
  if (r.flags & PKT_TCP_RETRANSMISSION) marks.push({ kind: 'retransmission', backoffSec: backoffSec(db, r) });
  return marks;
}

function columnsFor(rows: LadderDbRow[]): { columns: string[]; keyOf: (endpoint: string) => number } {
  const order: string[] = [];
  for (const r of rows) for (const e of ends(r)) if (!order.includes(e)) order.push(e);
  const byAddress = order.length > MAX_PORT_COLUMNS;
  const strip = (e: string) => (byAddress ? stripPort(e) : e);
  const columns = [...new Set(order.map(strip))];
  return { columns, keyOf: (e) => columns.indexOf(strip(e)) };
}

/** "192.0.2.1:443" → "192.0.2.1"; IPv6 endpoints are written "2001:db8::1:443" too, so split on the last colon only when the rest is an address. */
function stripPort(e: string): string {
  const i = e.lastIndexOf(':');
  if (i < 0) return e;
  const head = e.slice(0, i);
  return head.includes('.') || head.includes(':') ? head : e;
}

export function ladderPage(db: CaseDb, q: LadderQuery): LadderPage {
  const sel = selection(db, q);
  const limit = Math.min(Math.max(q.limit ?? LADDER_PAGE, 1), MAX_LADDER_PAGE);
  const after = q.after ?? 0;
  const head = db.prepare(`SELECT count(*) AS n, CAST(min(p.ts_ns) AS TEXT) AS t0 FROM packets p WHERE ${sel.where}`)
    .get(...sel.params) as { n: number; t0: string | null };
  const rows = db.prepare(`SELECT ${PAGE_COLUMNS}
    FROM packets p LEFT JOIN flows f ON f.id = p.flow_id LEFT JOIN icmp_errors e ON e.packet_id = p.id
    WHERE p.id > ? AND (${sel.where}) ORDER BY p.id LIMIT ?`).all(after, ...sel.params, limit + 1) as LadderDbRow[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const prevTs = after > 0
    ? (db.prepare(`SELECT CAST(p.ts_ns AS TEXT) AS t FROM packets p WHERE p.id <= ? AND (${sel.where}) ORDER BY p.id DESC LIMIT 1`)
      .get(after, ...sel.params) as { t: string } | undefined)?.t ?? null
    : null;
  const decoded = decodeRows(db, page);
  const { columns, keyOf } = columnsFor(page);
  const t0 = head.t0 ?? '0';
  let last = prevTs;
  const arrows: LadderArrow[] = page.map((r) => {
    const [from, to] = ends(r);
    const gap = last !== null ? nsDiffSec(r.ts, last) : 0;
    last = r.ts;
    const dec = decoded.get(r.id);
    return {
      packetId: r.id,
      rel: nsDiffSec(r.ts, t0),
      from: keyOf(from),
      to: keyOf(to),
      flags: r.ip_proto === 6 && r.tcp_flags !== null && !r.is_icmp_error ? tcpFlagText(r.tcp_flags) : r.proto,
      info: dec?.info ?? '',
      seq: dec?.seq ?? null,
      ack: dec?.ack ?? null,
      length: r.origlen,
      marks: marksOf(db, r),
      gapBeforeSec: gap > GAP_SEC ? gap : null,
    };
  });
  return {
    columns, arrows, total: head.n, hasMore,
    nextAfter: hasMore ? page[page.length - 1].id : null,
    title: sel.title,
  };
}

/**
 * "Compare handshakes" for a SYN-flood finding: a client's completed handshake with the target
 * next to an attack handshake (answered by SYN/ACK and never ACKed when there is one).
 */
export function handshakePair(db: CaseDb, findingId: number): HandshakePair {
  const f = db.prepare('SELECT targets, sources, start_ts_ns AS t0 FROM findings WHERE id = ?').get(findingId) as
    { targets: string; sources: string; t0: number } | undefined;
  if (!f) throw new ApiFailure('not-found', `finding ${findingId} is not in this case`);
  const targets = JSON.parse(f.targets) as Array<{ addr: string; port?: number }>;
  const sources = (JSON.parse(f.sources) as Array<{ addr: string }>).map((s) => s.addr);
  const target = targets[0];
  if (!target) return { completed: null, attack: null };
  const attack = db.prepare(`SELECT f.id, o.addr FROM finding_flows ff JOIN flows f ON f.id = ff.flow_id JOIN addrs o ON o.id = f.orig_id
    WHERE ff.finding_id = ? AND f.ip_proto = 6 AND f.ack_ts_ns IS NULL
    ORDER BY f.synack_ts_ns IS NULL, f.id LIMIT 1`).get(findingId) as { id: number; addr: string } | undefined;
  const completed = db.prepare(`SELECT f.id, o.addr FROM flows f JOIN addrs o ON o.id = f.orig_id
    WHERE f.resp_id = (SELECT id FROM addrs WHERE addr = ?) AND f.ip_proto = 6 ${target.port !== undefined ? 'AND f.resp_port = ?' : ''}
      AND f.ack_ts_ns IS NOT NULL AND o.addr NOT IN (SELECT value FROM json_each(?))
    ORDER BY abs(f.first_ts_ns - ?), f.id LIMIT 1`)
    .get(...[target.addr, ...(target.port !== undefined ? [target.port] : []), JSON.stringify(sources), f.t0]) as { id: number; addr: string } | undefined;
  return {
    completed: completed ? { flowId: completed.id, client: completed.addr } : null,
    attack: attack ? { flowId: attack.id, source: attack.addr } : null,
  };
}
