import type { FindingSummary, Severity } from '../../../electron/ipc/contract.js';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Most severe first, then earliest, then by id so the order is stable. */
export function bySeverity(a: FindingSummary, b: FindingSummary): number {
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  const t = BigInt(a.startTs) - BigInt(b.startTs);
  if (t !== 0n) return t < 0n ? -1 : 1;
  return a.id - b.id;
}

export function sortFindings(list: readonly FindingSummary[]): FindingSummary[] {
  return list.slice().sort(bySeverity);
}
