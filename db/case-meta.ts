/**
 * case_meta: the case's key → value settings (status, created_at, first_ts_ns, ts_order,
 * thresholds, detector_errors, analyst, …), read and written here only.
 */
import type { CaseDb } from './case-db';

export function getCaseMeta(db: CaseDb, key: string): string | undefined {
  return db.prepare('SELECT value FROM case_meta WHERE key = ?').pluck().get(key) as string | undefined;
}

/** Insert or replace one setting. */
export function setCaseMeta(db: CaseDb, key: string, value: string): void {
  db.prepare('INSERT INTO case_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteCaseMeta(db: CaseDb, key: string): void {
  db.prepare('DELETE FROM case_meta WHERE key = ?').run(key);
}

/** ts_ns of the case's first packet: case_meta 'first_ts_ns' once indexed, min(ts_ns) while still indexing. */
export function caseFirstTsNs(db: CaseDb): bigint {
  const meta = getCaseMeta(db, 'first_ts_ns');
  if (meta !== undefined && /^-?\d+$/.test(meta)) return BigInt(meta);
  const min = db.prepare('SELECT min(ts_ns) AS t FROM packets').safeIntegers(true).get() as { t: bigint | null };
  return min.t ?? 0n;
}

/** Whether packet ids follow time (case_meta 'ts_order', see bulk-indexes.ts): then the case has no ts index. */
export function tsFollowsIds(db: CaseDb): boolean {
  return getCaseMeta(db, 'ts_order') === 'ids';
}
