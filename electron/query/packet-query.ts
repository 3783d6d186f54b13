import type { CaseDb } from '../../db/open-case';
import type { PacketPage, PacketQuery, PacketRow } from '../model/packet';
import { compileFilter, registerFilterFunctions, type SqlParam } from './display-filter/index';
import { PACKET_ROW_COLUMNS, packetRowFrom, type PacketDbRow } from './packet-row';
import { PacketInfoReader, withInfo } from './packet-info';
import { caseFirstTsNs } from '../../db/case-meta';
import { packetIdRange } from '../../db/time-range';

export const DEFAULT_PAGE_LIMIT = 200;
export const MAX_PAGE_LIMIT = 2000;
// A filter longer than this is not typed by a person; refusing it bounds the work per request.
const MAX_FILTER_LENGTH = 16_384;
const INT64_MAX = 2n ** 63n - 1n;

/** A packet query argument of the wrong type or range (maps to the IPC error code 'bad-argument'). */
export class QueryArgumentError extends Error {
  /** The ApiError code a handler should report, so transports can map it by shape. */
  readonly code = 'bad-argument' as const;
  constructor(message: string) {
    super(message);
    this.name = 'QueryArgumentError';
  }
}

// Handlers pass renderer input straight through, so every field is checked at runtime.
function optionalCount(q: Record<string, unknown>, key: string): number | undefined {
  const v = q[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new QueryArgumentError(`${key} must be a non-negative integer, got ${describe(v)}`);
  }
  return v;
}

function optionalNs(q: Record<string, unknown>, key: string): bigint | undefined {
  const v = q[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v) || BigInt(v) > INT64_MAX) {
    throw new QueryArgumentError(`${key} must be nanoseconds since the epoch as a string of digits, got ${describe(v)}`);
  }
  return BigInt(v);
}

function describe(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export interface Where { sql: string; params: SqlParam[] }

/** The WHERE clause shared by paging, counting and locating: filter, time range and finding. */
export function whereOf(db: CaseDb, q: PacketQuery, firstTsNs: bigint, rowOrder = false): Where {
  if (q === null || typeof q !== 'object') throw new QueryArgumentError('the packet query must be an object');
  const raw = q as unknown as Record<string, unknown>;
  const conds: string[] = [];
  const params: SqlParam[] = [];

  if (raw.filter !== undefined && raw.filter !== null) {
    if (typeof raw.filter !== 'string') throw new QueryArgumentError(`filter must be a string, got ${describe(raw.filter)}`);
    if (raw.filter.length > MAX_FILTER_LENGTH) throw new QueryArgumentError(`filter is longer than ${MAX_FILTER_LENGTH} characters`);
    const f = compileFilter(raw.filter, { firstTsNs, rowOrder });
    if (f.sql !== '1') {
      registerFilterFunctions(db);
      conds.push(f.sql);
      params.push(...f.params);
    }
  }
  const from = optionalNs(raw, 'from');
  const to = optionalNs(raw, 'to');
  if (from !== undefined) { conds.push('p.ts_ns >= ?'); params.push(from); }
  if (to !== undefined) { conds.push('p.ts_ns <= ?'); params.push(to); }
  const ids = from !== undefined || to !== undefined ? packetIdRange(db, from, to) : null;
  if (ids) { conds.push('p.id BETWEEN ? AND ?'); params.push(ids.first, ids.last); }
  const findingId = optionalCount(raw, 'findingId');
  if (findingId !== undefined) {
    const evidence = evidenceWhere(db, findingId, firstTsNs);
    conds.push(evidence.sql);
    params.push(...evidence.params);
  }
  return { sql: conds.length ? conds.join(' AND ') : '1', params };
}

interface StoredRoleQuery { role: string; filter: string; from_ts_ns: bigint; to_ts_ns: bigint; exact: bigint }

/**
 * A finding's evidence: the union of its roles' stored queries (filter ∧ time window), so every
 * evidence packet is reached, not just the capped sample. A role whose query is not exact, and a
 * case analysed before the queries were stored, fall back to the cited sample.
 */
function evidenceWhere(db: CaseDb, findingId: number, firstTsNs: bigint): Where {
  const sample = (role: string | null): Where => role === null
    ? { sql: 'p.id IN (SELECT packet_id FROM finding_evidence WHERE finding_id = ?)', params: [findingId] }
    : { sql: 'p.id IN (SELECT packet_id FROM finding_evidence WHERE finding_id = ? AND role = ?)', params: [findingId, role] };
  let roles: StoredRoleQuery[] = [];
  try {
    roles = db.prepare('SELECT role, filter, from_ts_ns, to_ts_ns, exact FROM finding_queries WHERE finding_id = ?')
      .safeIntegers(true).all(findingId) as StoredRoleQuery[];
  } catch {
    // A case file from before migration 0007 opened read-only: only the sample exists.
  }
  if (roles.length === 0) return sample(null);
  const parts: Where[] = roles.map((r) => {
    if (r.exact !== 1n) return sample(r.role);
    const f = compileFilter(r.filter, { firstTsNs });
    registerFilterFunctions(db);
    // Where ids follow time the window is also an id range (the case may have no ts index).
    const ids = packetIdRange(db, r.from_ts_ns, r.to_ts_ns);
    const idSql = ids ? ' AND p.id BETWEEN ? AND ?' : '';
    const idParams = ids ? [ids.first, ids.last] : [];
    return { sql: `(p.ts_ns >= ? AND p.ts_ns <= ?${idSql} AND (${f.sql}))`, params: [r.from_ts_ns, r.to_ts_ns, ...idParams, ...f.params] };
  });
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/**
 * One page of the packet list, by keyset on id: `after` pages forward (the default, from the
 * start), `before` pages backward; rows always come back in ascending id order. One row more than
 * asked is fetched to learn whether another page exists.
 */
export function pagePackets(db: CaseDb, q: PacketQuery): PacketPage {
  const page = packetPageSql(db, q);
  const rows = db.prepare(page.sql).all(...page.params) as Array<Omit<PacketDbRow, 'info'>>;
  const hasMore = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (page.backward) pageRows.reverse();
  return { rows: withInfo(db, pageRows).map((r) => packetRowFrom(r, page.firstTsNs)), hasMore };
}

/** The statement behind pagePackets, exposed so tests and benchmarks can EXPLAIN it. */
export interface PageSql {
  sql: string;
  params: SqlParam[];
  /** Rows wanted; the statement fetches one more. */
  limit: number;
  /** Rows come back in descending id order when paging backward. */
  backward: boolean;
  firstTsNs: bigint;
}

export function packetPageSql(db: CaseDb, q: PacketQuery): PageSql {
  const firstTsNs = caseFirstTsNs(db);
  const where = whereOf(db, q, firstTsNs, true);
  const raw = q as unknown as Record<string, unknown>;
  const after = optionalCount(raw, 'after');
  const before = optionalCount(raw, 'before');
  if (after !== undefined && before !== undefined) throw new QueryArgumentError('give either after or before, not both');
  const limit = Math.min(optionalCount(raw, 'limit') ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);

  const backward = before !== undefined;
  const keyset = backward ? 'p.id < ?' : 'p.id > ?';
  const dir = backward ? 'DESC' : 'ASC';
  // Filter and page on ids first, then fetch the display columns for just the page's rows, so the
  // address and annotation lookups never run for rows the LIMIT throws away.
  const sql = `SELECT ${PACKET_ROW_COLUMNS}
    FROM (SELECT p.id FROM packets AS p WHERE ${keyset} AND (${where.sql}) ORDER BY p.id ${dir} LIMIT ?) AS page
    JOIN packets AS p ON p.id = page.id
    ORDER BY p.id ${dir}`;
  return { sql, params: [backward ? before : after ?? 0, ...where.params, limit + 1], limit, backward, firstTsNs };
}

/**
 * Every packet the query matches (filter, time range, finding; paging arguments ignored), in id
 * order, one at a time, up to `limit` when given. Constant memory: one statement steps through the
 * table and Info is derived through one read-ahead window per capture (the CLI streams JSON lines).
 */
export function* iteratePackets(db: CaseDb, q: PacketQuery, limit?: number): Generator<PacketRow> {
  const firstTsNs = caseFirstTsNs(db);
  const where = whereOf(db, q, firstTsNs, true);
  const sql = `SELECT ${PACKET_ROW_COLUMNS} FROM packets AS p WHERE ${where.sql} ORDER BY p.id${limit !== undefined ? ' LIMIT ?' : ''}`;
  const params = limit !== undefined ? [...where.params, limit] : where.params;
  const info = new PacketInfoReader(db);
  try {
    for (const r of db.prepare(sql).iterate(...params) as IterableIterator<Omit<PacketDbRow, 'info'>>) {
      yield packetRowFrom(Object.assign(r, { info: info.infoOf(r) }), firstTsNs);
    }
  } finally {
    info.close();
  }
}

/**
 * The packet-list scope (display filter, time range, finding) as a WHERE clause over `packets AS p`,
 * for other queries that follow the same scope (the host graph, the per-host panel).
 */
export function scopeWhere(db: CaseDb, q: PacketQuery): Where {
  return whereOf(db, q, caseFirstTsNs(db));
}

/** How many packets the query matches, ignoring paging arguments. */
export function countPackets(db: CaseDb, q: PacketQuery): number {
  const where = whereOf(db, q, caseFirstTsNs(db));
  const row = db.prepare(`SELECT count(*) AS n FROM packets AS p WHERE ${where.sql}`).get(...where.params) as { n: number };
  return row.n;
}

/** Whether packet `id` exists and matches the query (for "go to packet" under a filter). */
export function packetMatches(db: CaseDb, id: number, q: PacketQuery): boolean {
  const checkedId = optionalCount({ id }, 'id');
  if (checkedId === undefined) throw new QueryArgumentError('id must be a non-negative integer');
  const where = whereOf(db, q, caseFirstTsNs(db));
  return db.prepare(`SELECT 1 FROM packets AS p WHERE p.id = ? AND ${where.sql}`).get(checkedId, ...where.params) !== undefined;
}
