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
export function idRanges(sorted: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j > i ? `${sorted[i]}..${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out;
}

/** The display filter of a role with ids `ids`, described by `filter` (null: no description). */
export function describeRole(db: CaseDb, role: string, ids: readonly number[], filter: string | null, firstTsNs: bigint): RoleQuery {
  const sorted = [...ids].sort((a, b) => a - b);
  const window = db.prepare(`SELECT min(p.ts_ns) AS lo, max(p.ts_ns) AS hi FROM json_each(?) AS j JOIN packets AS p ON p.id = j.value`)
    .safeIntegers(true).get(JSON.stringify(sorted)) as { lo: bigint | null; hi: bigint | null };
  const fromNs = window.lo ?? 0n, toNs = window.hi ?? 0n;
  const base = { role, fromNs, toNs, total: sorted.length };
  if (sorted.length === 0) return { ...base, filter: 'frame.number in {0}', exact: true };

  let missing: number[] = sorted;
  const extra: number[] = [];
  if (filter) {
    const compiled = compileFilter(filter, { firstTsNs });
    registerFilterFunctions(db);
    const ids = packetIdRange(db, fromNs, toNs);
    const rows = db.prepare(`SELECT p.id FROM packets AS p WHERE p.ts_ns >= ? AND p.ts_ns <= ? ${ids ? 'AND p.id BETWEEN ? AND ?' : ''}
      AND (${compiled.sql}) ORDER BY p.id`)
      .pluck().iterate(fromNs, toNs, ...(ids ? [ids.first, ids.last] : []), ...compiled.params) as IterableIterator<number>;
    missing = [];
    let i = 0;
    for (const id of rows) {
      while (i < sorted.length && sorted[i] < id) missing.push(sorted[i++]);
      if (i < sorted.length && sorted[i] === id) i++;
      else extra.push(id);
      // Far off the mark: stop reading (the description is kept, marked inexact).
      if (extra.length > MAX_EXCEPTION_RANGES * 50) break;
    }
    while (i < sorted.length) missing.push(sorted[i++]);
  }
  const extraRanges = idRanges(extra), missingRanges = idRanges(missing);
  if (extraRanges.length + missingRanges.length > MAX_EXCEPTION_RANGES) {
    return { ...base, filter: filter ?? `frame.number in {${idRanges(sorted).slice(0, MAX_EXCEPTION_RANGES).join(' ')}}`, exact: false };
  }
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
