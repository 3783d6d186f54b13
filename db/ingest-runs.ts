/**
 * Ingest runs and phases (migration 0005): each run and each of its captures records the phase it
 * is in, changed inside the transaction that does that phase's work. After a crash the last run's
 * phase says what was interrupted; its first packet and flow ids say which rows it wrote.
 */
import os from 'node:os';
import type { CaseDb } from './open-case';

export type Phase = 'reading' | 'indexing' | 'analysing' | 'complete' | 'failed';
export const PHASES: readonly Phase[] = ['reading', 'indexing', 'analysing', 'complete', 'failed'];

export interface RunRow {
  id: number;
  phase: Phase;
  pid: number;
  host: string;
  firstPacketId: number;
  firstFlowId: number;
  captureIds: number[];
}

/** What a run interrupted in each phase leaves undone, in the words `info` and the report use. */
export const MISSING_AFTER: Record<'reading' | 'indexing' | 'analysing', string[]> = {
  reading: ['the rest of the capture\'s packets, its SHA-256, hosts and flows summary', 'packet indexes and the timeline roll-up', 'findings (the detectors did not run)'],
  indexing: ['packet indexes and the timeline roll-up', 'findings (the detectors did not run)'],
  analysing: ['findings (the detectors did not finish)'],
};

export function toPhase(v: unknown): Phase {
  return PHASES.includes(v as Phase) ? (v as Phase) : 'complete';
}

/** Register a run (call inside the transaction that inserts its capture rows). */
export function startRun(db: CaseDb, captureIds: number[], firstPacketId: number, firstFlowId: number): number {
  return Number(db.prepare(`INSERT INTO ingest_runs (started_at, phase, pid, host, first_packet_id, first_flow_id, capture_ids)
    VALUES (?, 'reading', ?, ?, ?, ?, ?)`).run(new Date().toISOString(), process.pid, os.hostname(), firstPacketId, firstFlowId, JSON.stringify(captureIds)).lastInsertRowid);
}

/** Move a run and its unfinished captures to `phase` (call inside the transaction doing the work). */
export function setRunPhase(db: CaseDb, runId: number, phase: Phase): void {
  db.prepare('UPDATE ingest_runs SET phase = ? WHERE id = ?').run(phase, runId);
  const ids = runCaptureIds(db, runId);
  const upd = db.prepare("UPDATE captures SET phase = ? WHERE id = ? AND phase NOT IN ('failed', 'complete')");
  for (const id of ids) upd.run(phase, id);
}

export function setCapturePhase(db: CaseDb, captureId: number, phase: Phase): void {
  db.prepare('UPDATE captures SET phase = ? WHERE id = ?').run(phase, captureId);
}

function runCaptureIds(db: CaseDb, runId: number): number[] {
  const text = db.prepare('SELECT capture_ids FROM ingest_runs WHERE id = ?').pluck().get(runId) as string | undefined;
  return text ? (JSON.parse(text) as number[]) : [];
}

export function lastRun(db: CaseDb): RunRow | null {
  let row: { id: number; phase: string; pid: number; host: string; first_packet_id: number; first_flow_id: number; capture_ids: string } | undefined;
  try {
    row = db.prepare('SELECT * FROM ingest_runs ORDER BY id DESC LIMIT 1').get() as typeof row;
  } catch {
    return null; // a case from before schema 5 opened read-only
  }
  if (!row) return null;
  return { id: row.id, phase: toPhase(row.phase), pid: row.pid, host: row.host, firstPacketId: row.first_packet_id, firstFlowId: row.first_flow_id, captureIds: JSON.parse(row.capture_ids) as number[] };
}

/** True when the process that wrote the run is still alive on this machine (so it is running, not interrupted). */
export function runIsLive(run: RunRow): boolean {
  if (run.host !== os.hostname()) return false;
  try {
    process.kill(run.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Interruption {
  runId: number;
  phase: 'reading' | 'indexing' | 'analysing';
  captures: Array<{ id: number; name: string; packets: number }>;
  missing: string[];
}

/** The last run, when it stopped mid-phase and its process is gone; null otherwise. */
export function findInterruption(db: CaseDb): Interruption | null {
  const run = lastRun(db);
  if (!run || run.phase === 'complete' || run.phase === 'failed' || runIsLive(run)) return null;
  const phase = run.phase;
  const count = db.prepare('SELECT count(*) FROM packets WHERE capture_id = ?').pluck();
  const name = db.prepare('SELECT name FROM captures WHERE id = ?').pluck();
  const captures = run.captureIds
    .map((id) => ({ id, name: (name.get(id) as string | undefined) ?? `#${id}`, packets: Number(count.get(id)) }));
  return { runId: run.id, phase, captures, missing: MISSING_AFTER[phase] };
}

/** "incomplete: interrupted while reading", or null. */
export function interruptionLine(i: Interruption | null): string | null {
  return i ? `incomplete: interrupted while ${i.phase}` : null;
}
