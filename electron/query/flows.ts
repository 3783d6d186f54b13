/**
 * The conversations table, over the whole case (the ingest's per-flow totals) or over a scope (the
 * scoped packets aggregated per flow). Sorting goes through a fixed column list so the only text
 * that reaches SQL is ours; paging is by keyset (see scoped-list.ts).
 */
import type { CaseDb } from '../../db/open-case';
import type { FlowRow } from '../model/flow';
import type { ListQuery } from '../model/list-query';
import { COMMUNITY_ID_SQL, registerCommunityIdFunction } from './community-id';
import { num, nsText, pageList, type ListPageOf, type ListView } from './scoped-list';

const SORT_KEYS = [
  'id', 'proto', 'src', 'sport', 'dst', 'dport', 'firstTs', 'lastTs', 'duration', 'origPkts', 'origBytes',
  'respPkts', 'respBytes', 'packets', 'bytes', 'connState', 'service',
] as const;

export type FlowSortKey = (typeof SORT_KEYS)[number];
export const FLOW_SORT_KEYS: readonly FlowSortKey[] = SORT_KEYS;

const IP_PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 47: 'GRE', 50: 'ESP', 58: 'ICMPv6', 132: 'SCTP' };

export function ipProtoName(n: number): string {
  return IP_PROTO_NAMES[n] ?? `IP proto ${n}`;
}

const FLOW_COLUMNS = `f.id AS key, f.id AS id, f.ip_proto AS proto, o.addr AS src, f.orig_port AS sport, r.addr AS dst, f.resp_port AS dport,
  f.conn_state AS connState, f.service AS service, ${COMMUNITY_ID_SQL} AS communityId`;

const VIEW: ListView = {
  unscoped: `SELECT ${FLOW_COLUMNS}, f.first_ts_ns AS firstTs, f.last_ts_ns AS lastTs, f.last_ts_ns - f.first_ts_ns AS duration,
      f.orig_pkts AS origPkts, f.orig_bytes AS origBytes, f.resp_pkts AS respPkts, f.resp_bytes AS respBytes,
      f.orig_pkts + f.resp_pkts AS packets, f.orig_bytes + f.resp_bytes AS bytes
    FROM flows f LEFT JOIN addrs o ON o.id = f.orig_id LEFT JOIN addrs r ON r.id = f.resp_id`,
  // Per flow: the scoped packets, split by direction (the originator's address sends the orig packets).
  scoped: `SELECT ${FLOW_COLUMNS}, s.first AS firstTs, s.last AS lastTs, s.last - s.first AS duration,
      s.op AS origPkts, s.ob AS origBytes, s.n - s.op AS respPkts, s.b - s.ob AS respBytes, s.n AS packets, s.b AS bytes
    FROM (SELECT p.flow_id AS fid, min(p.ts_ns) AS first, max(p.ts_ns) AS last, count(*) AS n, sum(p.origlen) AS b,
            sum(p.src_id IS ff.orig_id) AS op, sum(CASE WHEN p.src_id IS ff.orig_id THEN p.origlen ELSE 0 END) AS ob
          FROM packets AS p JOIN flows AS ff ON ff.id = p.flow_id WHERE {where} GROUP BY p.flow_id) AS s
    JOIN flows f ON f.id = s.fid LEFT JOIN addrs o ON o.id = f.orig_id LEFT JOIN addrs r ON r.id = f.resp_id`,
  whereUses: 1,
  search: `instr(lower(v.src), ?) OR instr(lower(v.dst), ?) OR instr(lower(coalesce(v.service, '')), ?)
    OR lower(coalesce(v.connState, '')) = ? OR CAST(v.sport AS TEXT) = ? OR CAST(v.dport AS TEXT) = ? OR lower(v.communityId) = ?`,
  searchUses: 7,
};

/** The whole-case conversation rows (columns as flowRowFrom reads them), for other views of flows, on `db`. */
export function flowRowsSql(db: CaseDb): string {
  registerCommunityIdFunction(db);
  return VIEW.unscoped;
}

export function listFlows(db: CaseDb, q: ListQuery = {}): ListPageOf<FlowRow> {
  registerCommunityIdFunction(db);
  const page = pageList(db, 'flows', VIEW, q, SORT_KEYS, 'id', 'asc');
  return { total: page.total, cursor: page.cursor, rows: page.rows.map(flowRowFrom) };
}

/** Every flow, largest first, one row at a time (constant memory: the CLI streams them). */
export function* iterateFlows(db: CaseDb): Generator<FlowRow> {
  registerCommunityIdFunction(db);
  const rows = db.prepare(`SELECT * FROM (${VIEW.unscoped}) AS v ORDER BY v.bytes DESC, v.key DESC`).safeIntegers(true).iterate() as IterableIterator<Record<string, unknown>>;
  for (const r of rows) yield flowRowFrom(r);
}

export function flowRowFrom(r: Record<string, unknown>): FlowRow {
  return {
    id: num(r.id),
    proto: ipProtoName(num(r.proto)),
    ipProto: num(r.proto),
    src: (r.src as string | null) ?? '',
    sport: num(r.sport),
    dst: (r.dst as string | null) ?? '',
    dport: num(r.dport),
    firstTs: nsText(r.firstTs),
    lastTs: nsText(r.lastTs),
    durationSec: num(r.duration) / 1e9,
    origPkts: num(r.origPkts),
    origBytes: num(r.origBytes),
    respPkts: num(r.respPkts),
    respBytes: num(r.respBytes),
    connState: r.connState as string | null,
    service: r.service as string | null,
    communityId: r.communityId as string,
  };
}
