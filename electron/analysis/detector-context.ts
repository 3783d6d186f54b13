/**
 * What every detector receives: the case, the resolved thresholds, the time base and an
 * address lookup. Detectors are pure functions of this context: same case, same findings.
 */
import type { CaseDb } from '../../db/open-case';
import type { DraftFinding } from './finding';
import type { Thresholds } from './thresholds';
import { caseFirstTsNs } from '../../db/case-meta';

export interface DetectorContext {
  db: CaseDb;
  th: Thresholds;
  /** Epoch ns of the case start; detectors query `ts_ns - baseNs` as exact small integers. */
  baseNs: bigint;
  addr(id: number | null): string;
  abs(relNs: number): bigint;
}

export type Detector = (ctx: DetectorContext) => DraftFinding[];

export function makeContext(db: CaseDb, th: Thresholds): DetectorContext {
  const baseNs = caseFirstTsNs(db);
  const cache = new Map<number, string>();
  const stmt = db.prepare('SELECT addr FROM addrs WHERE id = ?');
  return {
    db, th, baseNs,
    addr(id) {
      if (id === null || id === undefined) return '';
      let a = cache.get(id);
      if (a === undefined) {
        a = (stmt.get(id) as { addr: string } | undefined)?.addr ?? `#${id}`;
        cache.set(id, a);
      }
      return a;
    },
    abs(relNs) { return baseNs + BigInt(Math.round(relNs)); },
  };
}
