/**
 * The conversations table. Sorting goes through a fixed column map so the only text that reaches
 * SQL is ours; OFFSET paging is fine here because flows are orders of magnitude fewer than packets.
 */
import type { CaseDb } from '../../db/open-case';
import type { FlowRow } from '../model/flow';
import type { ListQuery } from '../model/list-query';
import { listPage } from './list-page';

const SORT_COLUMNS = {
  id: 'f.id',
  proto: 'f.ip_proto',
  src: 'o.addr',
  sport: 'f.orig_port',
  dst: 'r.addr',
  dport: 'f.resp_port',
  firstTs: 'f.first_ts_ns',
  lastTs: 'f.last_ts_ns',
  duration: '(f.last_ts_ns - f.first_ts_ns)',
  origPkts: 'f.orig_pkts',
  origBytes: 'f.orig_bytes',
  respPkts: 'f.resp_pkts',
  respBytes: 'f.resp_bytes',
  packets: '(f.orig_pkts + f.resp_pkts)',
  bytes: '(f.orig_bytes + f.resp_bytes)',
  connState: 'f.conn_state',
  service: 'f.service',
} as const;

export type FlowSortKey = keyof typeof SORT_COLUMNS;
export const FLOW_SORT_KEYS = Object.keys(SORT_COLUMNS) as FlowSortKey[];

const IP_PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 47: 'GRE', 50: 'ESP', 58: 'ICMPv6', 132: 'SCTP' };

export function ipProtoName(n: number): string {
  return IP_PROTO_NAMES[n] ?? `IP proto ${n}`;
}

interface FlowDbRow {
  id: number; ip_proto: number; src: string; sport: number; dst: string; dport: number;
  first_ts: string; last_ts: string; duration_sec: number; orig_pkts: number; orig_bytes: number;
  resp_pkts: number; resp_bytes: number; conn_state: string | null; service: string | null; community_id: string;
}

const FLOW_SELECT = `
    SELECT f.id, f.ip_proto, o.addr AS src, f.orig_port AS sport, r.addr AS dst, f.resp_port AS dport,
           CAST(f.first_ts_ns AS TEXT) AS first_ts, CAST(f.last_ts_ns AS TEXT) AS last_ts,
           (f.last_ts_ns - f.first_ts_ns) / 1e9 AS duration_sec,
           f.orig_pkts, f.orig_bytes, f.resp_pkts, f.resp_bytes, f.conn_state, f.service, f.community_id
    FROM flows f
    LEFT JOIN addrs o ON o.id = f.orig_id
    LEFT JOIN addrs r ON r.id = f.resp_id`;

export function listFlows(db: CaseDb, q: ListQuery = {}): { rows: FlowRow[]; total: number } {
  const { column, limit, offset } = listPage(q, SORT_COLUMNS, 'id');
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  // Timestamps leave SQLite as text: epoch nanoseconds do not fit a double.
  const rows = db.prepare(`${FLOW_SELECT}
    ORDER BY ${column} ${dir}, f.id ${dir}
    LIMIT ? OFFSET ?`).all(limit, offset) as FlowDbRow[];
  const total = (db.prepare('SELECT count(*) AS n FROM flows').get() as { n: number }).n;
  return { total, rows: rows.map(flowRowFrom) };
}

/** Every flow, largest first, one row at a time (constant memory: the CLI streams them). */
export function* iterateFlows(db: CaseDb): Generator<FlowRow> {
  for (const r of db.prepare(`${FLOW_SELECT} ORDER BY (f.orig_bytes + f.resp_bytes) DESC, f.id DESC`).iterate() as IterableIterator<FlowDbRow>) {
    yield flowRowFrom(r);
  }
}

function flowRowFrom(r: FlowDbRow): FlowRow {
  return {
    id: r.id,
    proto: ipProtoName(r.ip_proto),
    ipProto: r.ip_proto,
    src: r.src ?? '',
    sport: r.sport,
    dst: r.dst ?? '',
    dport: r.dport,
    firstTs: r.first_ts,
    lastTs: r.last_ts,
    durationSec: r.duration_sec,
    origPkts: r.orig_pkts,
    origBytes: r.orig_bytes,
    respPkts: r.resp_pkts,
    respBytes: r.resp_bytes,
    connState: r.conn_state,
    service: r.service,
    communityId: r.community_id,
  };
}
