/**
 * The endpoints table: one row per address with traffic totals and the names learned for it
 * (DNS answers, pcapng name resolution blocks). Sorting uses a fixed column map, never user text.
 */
import type { CaseDb } from '../../db/open-case';
import type { HostRow } from '../model/host';
import type { ListQuery } from '../model/list-query';
import { listPage } from './list-page';

const SORT_COLUMNS = {
  addr: 'a.addr',
  ipVersion: 'h.ip_ver',
  pktsSent: 'h.pkts_sent',
  bytesSent: 'h.bytes_sent',
  pktsRecv: 'h.pkts_recv',
  bytesRecv: 'h.bytes_recv',
  packets: '(h.pkts_sent + h.pkts_recv)',
  bytes: '(h.bytes_sent + h.bytes_recv)',
  firstTs: 'h.first_ts_ns',
  lastTs: 'h.last_ts_ns',
} as const;

export type HostSortKey = keyof typeof SORT_COLUMNS;
export const HOST_SORT_KEYS = Object.keys(SORT_COLUMNS) as HostSortKey[];

interface HostDbRow {
  addr: string; ip_ver: number; macs: string; names: string | null; pkts_sent: number; bytes_sent: number;
  pkts_recv: number; bytes_recv: number; first_ts: string; last_ts: string;
}

function parseJsonArray(text: string | null): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const HOST_SELECT = `
    SELECT a.addr, h.ip_ver, h.macs,
           (SELECT json_group_array(name) FROM (SELECT DISTINCT name FROM host_names n WHERE n.addr_id = h.addr_id ORDER BY name)) AS names,
           h.pkts_sent, h.bytes_sent, h.pkts_recv, h.bytes_recv,
           CAST(h.first_ts_ns AS TEXT) AS first_ts, CAST(h.last_ts_ns AS TEXT) AS last_ts
    FROM hosts h
    JOIN addrs a ON a.id = h.addr_id`;

export function listHosts(db: CaseDb, q: ListQuery = {}): { rows: HostRow[]; total: number } {
  const { column, limit, offset } = listPage(q, SORT_COLUMNS, 'bytes');
  const dir = q.dir === 'asc' ? 'ASC' : q.dir === 'desc' || !q.sort ? 'DESC' : 'ASC';
  const rows = db.prepare(`${HOST_SELECT}
    ORDER BY ${column} ${dir}, a.addr ASC
    LIMIT ? OFFSET ?`).all(limit, offset) as HostDbRow[];
  const total = (db.prepare('SELECT count(*) AS n FROM hosts').get() as { n: number }).n;
  return { total, rows: rows.map(hostRowFrom) };
}

/** Every host, most traffic first, one row at a time (constant memory: the CLI streams them). */
export function* iterateHosts(db: CaseDb): Generator<HostRow> {
  for (const r of db.prepare(`${HOST_SELECT} ORDER BY (h.bytes_sent + h.bytes_recv) DESC, a.addr ASC`).iterate() as IterableIterator<HostDbRow>) {
    yield hostRowFrom(r);
  }
}

function hostRowFrom(r: HostDbRow): HostRow {
  return {
    addr: r.addr,
    ipVersion: r.ip_ver,
    macs: parseJsonArray(r.macs),
    names: parseJsonArray(r.names),
    pktsSent: r.pkts_sent,
    bytesSent: r.bytes_sent,
    pktsRecv: r.pkts_recv,
    bytesRecv: r.bytes_recv,
    firstTs: r.first_ts,
    lastTs: r.last_ts,
  };
}
