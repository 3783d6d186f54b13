/**
 * Runs every detector over a case and rewrites its findings. Deterministic: the same case and
 * thresholds give the same findings with the same ids. A detector that fails is recorded in
 * case_meta 'detector_errors' and the others still run, because a half-analysed case is more
 * useful to an analyst than none.
 */
import { deleteCaseMeta, setCaseMeta } from '../../db/case-meta';
import type { CaseDb } from '../../db/open-case';
import type { FindingSummary } from '../model/finding';
import type { DraftFinding } from './finding';
import { Detector, makeContext } from './detector-context';
import { readFindingSummaries, replaceFindings } from './findings-store';
import { resolveThresholds, ThresholdOverrides } from './thresholds';
import { detectSynFlood } from './syn-flood';
import { detectUnreachableServices } from './unreachable-service';
import { detectPortScans } from './port-scan';
import { detectIcmpFloods } from './icmp-flood';
import { detectUdpFloods } from './udp-flood';
import { detectDnsFailures } from './dns-failures';
import { detectArpSpoofing } from './arp-spoof';

export const DETECTORS: Array<[name: string, run: Detector]> = [
  ['syn-flood', detectSynFlood],
  ['unreachable-service', detectUnreachableServices],
  ['port-scan', detectPortScans],
  ['icmp-flood', detectIcmpFloods],
  ['udp-flood', detectUdpFloods],
  ['dns-failures', detectDnsFailures],
  ['arp-spoof', detectArpSpoofing],
];

export function runDetectors(db: CaseDb, overrides?: ThresholdOverrides): FindingSummary[] {
  const th = resolveThresholds(db, overrides);
  const ctx = makeContext(db, th);
  const drafts: DraftFinding[] = [];
  const errors: Array<{ detector: string; message: string }> = [];
  for (const [name, run] of DETECTORS) {
    try {
      drafts.push(...run(ctx));
    } catch (err) {
      errors.push({ detector: name, message: err instanceof Error ? err.message : String(err) });
    }
  }
  replaceFindings(db, drafts, th.evidenceCap);
  if (errors.length) setCaseMeta(db, 'detector_errors', JSON.stringify(errors));
  else deleteCaseMeta(db, 'detector_errors');
  return readFindingSummaries(db);
}
