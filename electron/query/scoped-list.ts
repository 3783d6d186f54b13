/**
 * Conversations and endpoints over a scope (display filter ∧ time range ∧ finding evidence):
 * the unscoped table reads the ingest's totals directly (the fast path); a scoped one aggregates the
 * scoped packets once into a temporary table, which every page, sort and search of that scope then
 * reads. Pages use keyset paging on (sort column, key) so the last page costs what the first does.
 */
import type { CaseDb } from '../../db/open-case';
import type { ListQuery } from '../model/list-query';
import type { PacketQuery } from '../model/packet';
import type { SqlParam } from './display-filter/index';
import { caseFirstTsNs } from '../../db/case-meta';
import { QueryArgumentError, whereOf, type Where } from './packet-query';

export interface ListView {
  /** A SELECT whose output columns are named like the table's sort keys, plus `key` (unique). */
  unscoped: string;
  /** The same columns over the packets that match `where` (`{where}` is replaced, params repeated `whereUses` times). */
  scoped: string;
  whereUses: number;
  /** SQL over the view's columns (alias v) that is true when `?` (lower-cased text) is found; params: `searchUses`. */
  search: string;
  searchUses: number;
}

export interface ListPageOf<R> { rows: R[]; total: number; cursor: string | null }

/** The scope part of a list query; null when it does not narrow anything. */
export function scopeOf(q: ListQuery): PacketQuery | null {
  const s: PacketQuery = {};
  if (q.filter) s.filter = q.filter;
  if (q.from !== undefined) s.from = q.from;
  if (q.to !== undefined) s.to = q.to;
  if (q.findingId !== undefined) s.findingId = q.findingId;
  return Object.keys(s).length ? s : null;
}

/** One materialised scope per connection and view; a new scope (or new packets or findings) replaces it. */
const materialised = new WeakMap<CaseDb, Map<string, string>>();

function scopedTable(db: CaseDb, name: string, view: ListView, scope: PacketQuery): string {
  const table = `temp.scoped_${name}`;
  const state = db.prepare(`SELECT (SELECT max(id) FROM packets) || '/' || (SELECT count(*) FROM findings)`).pluck().get() as string;
  const key = `${JSON.stringify(scope)}|${state}`;
  const seen = materialised.get(db) ?? new Map<string, string>();
  materialised.set(db, seen);
  if (seen.get(name) === key) return table;
  const where: Where = whereOf(db, scope, caseFirstTsNs(db));
  const sql = view.scoped.replaceAll('{where}', where.sql);
  const params: SqlParam[] = [];
  for (let i = 0; i < view.whereUses; i++) params.push(...where.params);
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.prepare(`CREATE TEMP TABLE scoped_${name} AS ${sql}`).run(...params);
  seen.set(name, key);
  return table;
}

type CursorValue = ['n', string] | ['s', string] | ['z'];

function encode(v: unknown): CursorValue {
  if (v === null || v === undefined) return ['z'];
  if (typeof v === 'bigint' || typeof v === 'number') return ['n', String(v)];
  return ['s', String(v)];
}

function decode(c: CursorValue): SqlParam | null {
  if (c[0] === 'z') return null;
  if (c[0] === 'n') {
    if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(c[1])) throw new QueryArgumentError('cursor: not a number');
    return /^-?\d+$/.test(c[1]) ? BigInt(c[1]) : Number(c[1]);
  }
  return c[1];
}

function parseCursor(text: string): [SqlParam | null, SqlParam | null] {
  let v: unknown;
  try { v = JSON.parse(text); } catch { throw new QueryArgumentError('cursor: not one this server gave'); }
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Array.isArray(x) && typeof x[0] === 'string' && (x.length === 1 || typeof x[1] === 'string'))) {
    throw new QueryArgumentError('cursor: not one this server gave');
  }
  return [decode(v[0] as CursorValue), decode(v[1] as CursorValue)];
}

/**
 * One page of a list. `columns` maps sort keys to view column names; `key` is the unique tie-break.
 * Sorting on a column puts NULLs first ascending (SQLite's order), so the keyset treats NULL as
 * the smallest value.
 */
export function pageList(db: CaseDb, name: string, view: ListView, q: ListQuery, columns: readonly string[], fallback: string,
  defaultDir: 'asc' | 'desc'): ListPageOf<Record<string, unknown>> {
  const sort = q.sort && columns.includes(q.sort) ? q.sort : fallback;
  const dir = q.dir ?? (q.sort ? 'asc' : defaultDir);
  const limit = Math.min(Math.max(q.limit ?? 200, 1), 1000);
  const scope = scopeOf(q);
  const source = scope ? `SELECT * FROM ${scopedTable(db, name, view, scope)}` : view.unscoped;

  const conds: string[] = [];
  const params: Array<SqlParam | null> = [];
  const needle = (q.search ?? '').trim().toLowerCase();
  if (needle) {
    conds.push(`(${view.search})`);
    for (let i = 0; i < view.searchUses; i++) params.push(needle);
  }
  const countSql = `SELECT count(*) FROM (${source}) AS v ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}`;
  const total = db.prepare(countSql).pluck().get(...params) as number;

  const col = `v."${sort}"`;
  if (q.cursor) {
    const [value, key] = parseCursor(q.cursor);
    // (col, key) past the cursor, with NULL as the smallest value of col.
    if (value === null) {
      conds.push(dir === 'asc' ? `(${col} IS NOT NULL OR v.key > ?)` : `(${col} IS NULL AND v.key < ?)`);
      params.push(key);
    } else {
      conds.push(dir === 'asc'
        ? `(${col} > ? OR (${col} = ? AND v.key > ?))`
        : `(${col} < ? OR ${col} IS NULL OR (${col} = ? AND v.key < ?))`);
      params.push(value, value, key);
    }
  }
  const order = `${col} ${dir === 'asc' ? 'ASC' : 'DESC'}, v.key ${dir === 'asc' ? 'ASC' : 'DESC'}`;
  // Offset paging is kept for older callers; the UI pages by cursor.
  const sql = `SELECT * FROM (${source}) AS v ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).safeIntegers(true).all(...params, limit + 1, q.cursor ? 0 : q.offset ?? 0) as Array<Record<string, unknown>>;
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const cursor = more && last ? JSON.stringify([encode(last[sort]), encode(last.key)]) : null;
  return { rows: page, total, cursor };
}

/** A bigint from safeIntegers as a JS number (counts, ports) or as text (epoch ns). */
export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
export const nsText = (v: unknown): string => String(v);
