/**
 * Findings for the UI (findings.list / findings.get): highest severity first, then earliest.
 * Reading only; the detectors (electron/analysis/) are the only writers.
 */
import type { CaseDb } from '../../db/open-case';
import type { Finding, FindingSummary } from '../ipc/contract';
import { ApiFailure } from '../ipc/api-failure';
import { readFinding, readFindingSummaries } from '../analysis/findings-store';

export function listFindings(db: CaseDb): FindingSummary[] {
  return readFindingSummaries(db);
}

/** Throws ApiFailure('not-found') for an id no finding has, so both transports answer 404. */
export function getFinding(db: CaseDb, id: number): Finding {
  const f = Number.isInteger(id) ? readFinding(db, id) : null;
  if (!f) throw new ApiFailure('not-found', `No finding with id ${id} in this case. Reload the findings list: the detectors may have been re-run.`);
  return f;
}
