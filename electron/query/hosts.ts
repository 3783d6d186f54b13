/**
 * The endpoints table: one row per address with traffic totals and the names learned for it
 * (DNS answers, pcapng name resolution blocks), over the whole case (the ingest's totals) or over a
 * scope (the scoped packets counted per sender and receiver). Sorting uses a fixed column list.
 */
import type { CaseDb } from '../../db/open-case';
import type { HostRow } from '../model/host';
import type { ListQuery } from '../model/list-query';
import { num, nsText, pageList, type ListPageOf, type ListView } from './scoped-list';

const SORT_KEYS = ['addr', 'ipVersion', 'pktsSent', 'bytesSent', 'pktsRecv', 'bytesRecv', 'packets', 'bytes', 'firstTs', 'lastTs'] as const;

export type HostSortKey = (typeof SORT_KEYS)[number];
export const HOST_SORT_KEYS: readonly HostSortKey[] = SORT_KEYS;

function parseJsonArray(text: string | null): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const NAMES = `(SELECT json_group_array(name) FROM (SELECT DISTINCT name FROM host_names n WHERE n.addr_id = a.id ORDER BY name))`;

const VIEW: ListView = {
  unscoped: `SELECT a.addr AS key, a.addr AS addr, h.ip_ver AS ipVersion, h.macs AS macs, ${NAMES} AS names,
      h.pkts_sent AS pktsSent, h.bytes_sent AS bytesSent, h.pkts_recv AS pktsRecv, h.bytes_recv AS bytesRecv,
      h.pkts_sent + h.pkts_recv AS packets, h.bytes_sent + h.bytes_recv AS bytes, h.first_ts_ns AS firstTs, h.last_ts_ns AS lastTs
    FROM hosts h JOIN addrs a ON a.id = h.addr_id`,
  scoped: `SELECT a.addr AS key, a.addr AS addr, coalesce(h.ip_ver, CASE length(a.bin) WHEN 16 THEN 6 ELSE 4 END) AS ipVersion,
      coalesce(h.macs, '[]') AS macs, ${NAMES} AS names,
      s.ps AS pktsSent, s.bs AS bytesSent, s.pr AS pktsRecv, s.br AS bytesRecv, s.ps + s.pr AS packets, s.bs + s.br AS bytes,
      s.first AS firstTs, s.last AS lastTs
    FROM (SELECT addr_id, sum(ps) AS ps, sum(bs) AS bs, sum(pr) AS pr, sum(br) AS br, min(t) AS first, max(t) AS last
          FROM (SELECT p.src_id AS addr_id, 1 AS ps, p.origlen AS bs, 0 AS pr, 0 AS br, p.ts_ns AS t FROM packets AS p WHERE p.src_id IS NOT NULL AND ({where})
                UNION ALL
                SELECT p.dst_id, 0, 0, 1, p.origlen, p.ts_ns FROM packets AS p WHERE p.dst_id IS NOT NULL AND ({where}))
          GROUP BY addr_id) AS s
    JOIN addrs a ON a.id = s.addr_id LEFT JOIN hosts h ON h.addr_id = s.addr_id`,
  whereUses: 2,
  search: `instr(lower(v.addr), ?) OR instr(lower(coalesce(v.names, '')), ?) OR instr(lower(coalesce(v.macs, '')), ?)`,
  searchUses: 3,
};

export function listHosts(db: CaseDb, q: ListQuery = {}): ListPageOf<HostRow> {
  const page = pageList(db, 'hosts', VIEW, q, SORT_KEYS, 'bytes', 'desc');
  return { total: page.total, cursor: page.cursor, rows: page.rows.map(hostRowFrom) };
}

/** Every host, most traffic first, one row at a time (constant memory: the CLI streams them). */
export function* iterateHosts(db: CaseDb): Generator<HostRow> {
  const rows = db.prepare(`SELECT * FROM (${VIEW.unscoped}) AS v ORDER BY v.bytes DESC, v.key ASC`).safeIntegers(true).iterate() as IterableIterator<Record<string, unknown>>;
  for (const r of rows) yield hostRowFrom(r);
}

function hostRowFrom(r: Record<string, unknown>): HostRow {
  return {
    addr: r.addr as string,
    ipVersion: num(r.ipVersion),
    macs: parseJsonArray(r.macs as string | null),
    names: parseJsonArray(r.names as string | null),
    pktsSent: num(r.pktsSent),
    bytesSent: num(r.bytesSent),
    pktsRecv: num(r.pktsRecv),
    bytesRecv: num(r.bytesRecv),
    firstTs: nsText(r.firstTs),
    lastTs: nsText(r.lastTs),
  };
}
