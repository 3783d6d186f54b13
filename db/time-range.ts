/**
 * Time ranges as packet id ranges. Where ids follow time (case_meta ts_order = 'ids', see
 * bulk-indexes.ts) the case has no ts index: a range [from, to] is turned into the id range
 * that holds it by binary search over the primary key (about 40 point lookups on a million rows),
 * and queries keep their ts conditions as well, so the id bounds only narrow the scan.
 */
import { tsFollowsIds } from './case-meta';
import type { CaseDb } from './open-case';

export interface IdRange { first: number; last: number }

/** The case's first and last packet ids, or null for a case without packets. */
export function packetIdBounds(db: CaseDb): { lo: number; hi: number } | null {
  // Two statements: SQLite answers a lone min() or max() of the key from the B-tree's edge, but scans for both at once.
  const lo = db.prepare('SELECT min(id) FROM packets').pluck().get() as number | null;
  const hi = db.prepare('SELECT max(id) FROM packets').pluck().get() as number | null;
  return lo === null || hi === null ? null : { lo, hi };
}

/**
 * The ids that may hold packets with from ≤ ts_ns ≤ to, or null when the case cannot say (no
 * ts order recorded: a ts index serves the query instead).
 */
export function packetIdRange(db: CaseDb, from: bigint | undefined, to: bigint | undefined): IdRange | null {
  if (!tsFollowsIds(db)) return null;
  const bounds = packetIdBounds(db);
  if (bounds === null) return { first: 1, last: 0 };
  const next = db.prepare('SELECT ts_ns FROM packets WHERE id >= ? ORDER BY id LIMIT 1').safeIntegers(true).pluck();
  /** The smallest id such that every packet below it fails `before(ts)`-is-false, i.e. all earlier packets satisfy `before`. */
  const firstNotBefore = (before: (ts: bigint) => boolean): number => {
    let lo = bounds.lo, hi = bounds.hi + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const ts = next.get(mid) as bigint | undefined;
      if (ts === undefined || !before(ts)) hi = mid; else lo = mid + 1;
    }
    return lo;
  };
  const first = from === undefined ? bounds.lo : firstNotBefore((ts) => ts < from);
  const last = to === undefined ? bounds.hi : firstNotBefore((ts) => ts <= to) - 1;
  return { first, last };
}
