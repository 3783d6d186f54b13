/**
 * Findings for the UI (findings.list / findings.get): highest severity first, then earliest.
 * Reading only; the detectors (electron/analysis/) are the only writers.
 */
import type { CaseDb } from '../../db/open-case';
import type { Finding, FindingSummary } from '../model/finding';
import { ApiFailure } from '../model/api-error';
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

/**
 * A finding whole, for `flowcase findings --json`: everything the finding panel shows, with the
 * evidence counted by role and the display filter (and time window) that reproduces each role,
 * so a script or another tool can pull the same packets. The cited packet ids stay in the case
 * (they can be many); their count is given.
 */
export interface FindingExport extends Omit<Finding, 'evidencePacketIds' | 'flowIds'> {
  /** The time the finding covers, epoch ns as text, and its length. */
  window: { from: string; to: string; durationSec: number };
  /** Where it applies: the targets and sources as addresses, over the window. */
  scope: { targets: string[]; sources: string[]; from: string; to: string };
  evidence: { total: number; byRole: Record<string, number>; citedPackets: number; flows: number };
}

export function findingForExport(db: CaseDb, id: number): FindingExport {
  const { evidencePacketIds, flowIds, ...f } = getFinding(db, id);
  const byRole: Record<string, number> = {};
  for (const r of db.prepare('SELECT role, count(*) AS n FROM finding_evidence WHERE finding_id = ? GROUP BY role ORDER BY role').all(id) as Array<{ role: string; n: number }>) {
    byRole[r.role] = r.n;
  }
  // The stored evidence is a capped sample; a role's query total counts all of its packets.
  for (const q of f.evidenceQueries) byRole[q.role] = Math.max(byRole[q.role] ?? 0, q.total);
  const endpoint = (e: { addr: string; port?: number }) => (e.port !== undefined && e.port !== null ? `${e.addr}:${e.port}` : e.addr);
  return {
    ...f,
    window: { from: f.startTs, to: f.endTs, durationSec: Number(BigInt(f.endTs) - BigInt(f.startTs)) / 1e9 },
    scope: { targets: f.targets.map(endpoint), sources: f.sources.map(endpoint), from: f.startTs, to: f.endTs },
    evidence: { total: f.evidenceTotal, byRole, citedPackets: evidencePacketIds.length, flows: flowIds.length },
  };
}
