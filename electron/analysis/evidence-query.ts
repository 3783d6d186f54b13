/**
 * A finding's evidence as a query: each role becomes a display filter plus a time window that
 * selects exactly the role's packets, however many there are (the stored evidence rows are a
 * capped sample for reports). The detector names what characterises a role ("SYNs from anyone but
 * the legitimate clients to 192.0.2.10:443"); this module checks that description against the
 * case and writes the difference as packet-number exceptions, so the stored query is exact by
 * construction, or is marked inexact when the exceptions would not fit in a readable filter.
 */
import type { CaseDb } from '../../db/open-case';
import { compileFilter, registerFilterFunctions } from '../query/display-filter/index';
import { packetIdRange } from '../../db/time-range';

export interface RoleQuery {
  role: string;
  filter: string;
  fromNs: bigint;
  toNs: bigint;
  total: number;
  /** The filter and window select exactly the role's packets. */
  exact: boolean;
}

/** Beyond this many id ranges of exceptions the filter is no longer something an analyst can read. */
export const MAX_EXCEPTION_RANGES = 200;

/** `[1,2,3,7]` → `"1..3 7"` (display-filter set syntax). */
export function idRanges(sorted: Iterable<number>): string[] {
  const ranges = new RangeText(Infinity);
  for (const id of sorted) ranges.push(id);
  return ranges.done();
}

/**
 * Ascending ids folded into display-filter ranges as they come, keeping the text of the first
 * `keep` ranges only and counting the rest: the exceptions of a role are read without holding its ids.
 */
class RangeText {
  private readonly texts: string[] = [];
  private from = -1;
  private to = -1;
  /** Ranges closed so far (kept or not). */
  private closed = 0;
  /** Ids pushed. */
  count = 0;

  constructor(private readonly keep: number) {}

  push(id: number): void {
    this.count++;
    if (this.from >= 0 && id === this.to + 1) { this.to = id; return; }
    this.close();
    this.from = this.to = id;
  }

  /** Ranges in all, counting the open one. */
  get ranges(): number { return this.closed + (this.from >= 0 ? 1 : 0); }

  done(): string[] {
    this.close();
    return this.texts;
  }

  private close(): void {
    if (this.from < 0) return;
    if (this.closed < this.keep) this.texts.push(this.to > this.from ? `${this.from}..${this.to}` : String(this.from));
    this.closed++;
    this.from = this.to = -1;
  }
}

/** Ids per statement when the time window of a role is looked up (json_each of a bounded list). */
const WINDOW_CHUNK = 50_000;

/** Earliest and latest timestamp of the packets `ids`, and how many ids there are. */
function timeWindow(db: CaseDb, ids: Iterable<number>): { lo: bigint | null; hi: bigint | null; total: number } {
  const stmt = db.prepare(`SELECT min(p.ts_ns) AS lo, max(p.ts_ns) AS hi FROM json_each(?) AS j JOIN packets AS p ON p.id = j.value`)
    .safeIntegers(true);
  let lo: bigint | null = null, hi: bigint | null = null, total = 0;
  let chunk: number[] = [];
  const flush = () => {
    const w = stmt.get(JSON.stringify(chunk)) as { lo: bigint | null; hi: bigint | null };
    if (w.lo !== null && (lo === null || w.lo < lo)) lo = w.lo;
    if (w.hi !== null && (hi === null || w.hi > hi)) hi = w.hi;
    chunk = [];
  };
  for (const id of ids) {
    total++;
    chunk.push(id);
    if (chunk.length >= WINDOW_CHUNK) flush();
  }
  if (chunk.length) flush();
  return { lo, hi, total };
}

/**
 * The display filter of a role with ids `ids` (ascending, distinct; iterated more than once),
 * described by `filter` (null: no description).
 */
export function describeRole(db: CaseDb, role: string, ids: Iterable<number>, filter: string | null, firstTsNs: bigint): RoleQuery {
  const window = timeWindow(db, ids);
  const fromNs = window.lo ?? 0n, toNs = window.hi ?? 0n;
  const base = { role, fromNs, toNs, total: window.total };
  if (window.total === 0) return { ...base, filter: 'frame.number in {0}', exact: true };

  // Only whether there are more than MAX_EXCEPTION_RANGES ranges matters beyond that many.
  const missing = new RangeText(MAX_EXCEPTION_RANGES + 1);
  const extra = new RangeText(MAX_EXCEPTION_RANGES + 1);
  if (filter) {
    const compiled = compileFilter(filter, { firstTsNs });
    registerFilterFunctions(db);
    const range = packetIdRange(db, fromNs, toNs);
    const rows = db.prepare(`SELECT p.id FROM packets AS p WHERE p.ts_ns >= ? AND p.ts_ns <= ? ${range ? 'AND p.id BETWEEN ? AND ?' : ''}
      AND (${compiled.sql}) ORDER BY p.id`)
      .pluck().iterate(fromNs, toNs, ...(range ? [range.first, range.last] : []), ...compiled.params) as IterableIterator<number>;
    const cited = ids[Symbol.iterator]();
    let next = cited.next();
    for (const id of rows) {
      while (!next.done && next.value < id) { missing.push(next.value); next = cited.next(); }
      if (!next.done && next.value === id) next = cited.next();
      else extra.push(id);
      // Far off the mark: stop reading (the description is kept, marked inexact).
      if (extra.count > MAX_EXCEPTION_RANGES * 50) break;
    }
    for (; !next.done; next = cited.next()) missing.push(next.value);
  } else {
    for (const id of ids) missing.push(id);
  }
  if (extra.ranges + missing.ranges > MAX_EXCEPTION_RANGES) {
    return { ...base, filter: filter ?? `frame.number in {${missing.done().slice(0, MAX_EXCEPTION_RANGES).join(' ')}}`, exact: false };
  }
  const extraRanges = extra.done(), missingRanges = missing.done();
  let text = filter ?? '';
  if (extraRanges.length) text = `(${text}) && !(frame.number in {${extraRanges.join(' ')}})`;
  if (missingRanges.length) text = text ? `(${text}) || frame.number in {${missingRanges.join(' ')}}` : `frame.number in {${missingRanges.join(' ')}}`;
  return { ...base, filter: text, exact: true };
}

/** `ip.src`/`ipv6.src` for an address as the case prints it. */
export function addrField(addr: string, dir: 'src' | 'dst' | 'addr'): string {
  return `${addr.includes(':') ? 'ipv6' : 'ip'}.${dir}`;
}

/** `ip.src == a` for one address, `ip.src in {a b}` for several (all of one family, else an OR). */
export function addrTest(addrs: readonly string[], dir: 'src' | 'dst' | 'addr'): string {
  const v4 = addrs.filter((a) => !a.includes(':')), v6 = addrs.filter((a) => a.includes(':'));
  const part = (list: string[], field: string) => list.length === 1 ? `${field} == ${list[0]}` : `${field} in {${list.join(' ')}}`;
  const parts = [v4.length ? part(v4, `ip.${dir}`) : '', v6.length ? part(v6, `ipv6.${dir}`) : ''].filter(Boolean);
  return parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}
