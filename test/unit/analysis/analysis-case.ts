/**
 * Test helper: frames → temp pcap → indexCaptures → runDetectors, and readers for checking that
 * every evidence packet really is what the finding says it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCase, type CaseDb } from '../../../db/open-case';
import { indexCaptures } from '../../../electron/ingest/index-captures';
import { runDetectors } from '../../../electron/analysis/run-detectors';
import type { ThresholdOverrides } from '../../../electron/analysis/thresholds';
import type { FindingSummary } from '../../../electron/ipc/contract';
import { writePcap, type TimedFrame } from '../../support/pcap-writer';
import { INFO_SOURCE_COLUMNS, withInfo, type InfoSourceRow } from '../../../electron/query/packet-info';

export interface AnalysedCase {
  db: CaseDb;
  dir: string;
  capturePath: string;
  findings: FindingSummary[];
  close(): void;
}

/** Index the given captures into a fresh case and run the detectors. */
export async function analyseCaptures(captures: string[], overrides?: ThresholdOverrides): Promise<AnalysedCase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-analysis-'));
  const casePath = path.join(dir, 'case.flowcase');
  // Detection is run here rather than by the ingest so the tests can pass threshold overrides.
  await indexCaptures({ casePath, captures });
  const db = openCase(casePath);
  const findings = runDetectors(db, overrides);
  return { db, dir, capturePath: captures[0], findings, close() { db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function analyseFrames(name: string, frames: TimedFrame[], overrides?: ThresholdOverrides): Promise<AnalysedCase> {
  const capDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-capture-'));
  const capture = path.join(capDir, name);
  writePcap(capture, frames);
  const c = await analyseCaptures([capture], overrides);
  const close = c.close;
  return { ...c, close() { close(); fs.rmSync(capDir, { recursive: true, force: true }); } };
}

export interface EvidencePacket {
  id: number; role: string; src: string; dst: string; sport: number | null; dport: number | null;
  ip_proto: number | null; tcp_flags: number | null; flags: number; proto: string; info: string;
}

/** Every stored evidence row of a finding joined with its packet (a missing packet yields no row). */
export function evidenceOf(db: CaseDb, findingId: number): EvidencePacket[] {
  const rows = db.prepare(`SELECT e.packet_id AS id, e.role, s.addr AS src, d.addr AS dst, p.sport, p.dport, p.ip_proto, p.tcp_flags,
      p.flags, r.name AS proto, ${INFO_SOURCE_COLUMNS}, p.origlen
    FROM finding_evidence e JOIN packets p ON p.id = e.packet_id JOIN protocols r ON r.id = p.proto_id
    LEFT JOIN addrs s ON s.id = p.src_id LEFT JOIN addrs d ON d.id = p.dst_id
    WHERE e.finding_id = ? ORDER BY e.packet_id`).all(findingId) as Array<Omit<EvidencePacket, 'info'> & InfoSourceRow>;
  return withInfo(db, rows);
}

export function storedEvidenceCount(db: CaseDb, findingId: number): number {
  return db.prepare('SELECT count(*) FROM finding_evidence WHERE finding_id = ?').pluck().get(findingId) as number;
}

export const RANK: Record<string, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function aboveLow(findings: FindingSummary[]): FindingSummary[] {
  return findings.filter((f) => RANK[f.severity] > RANK.low);
}
