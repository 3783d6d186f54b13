/**
 * The first lines of every report: is the case complete, and is each source capture still the
 * file that was indexed? A report on an interrupted case or a changed/missing capture says so
 * before anything else, so no reader takes its numbers for the whole truth.
 */
import type { CaseDb } from '../../db/open-case';
import { findInterruption } from '../../db/ingest-runs';
import { captureIntegrity, CAPTURE_COLUMNS, type CaptureDbRow } from '../query/overview';

export function reportStatusLines(db: CaseDb): string[] {
  const rows = db.prepare(`SELECT ${CAPTURE_COLUMNS} FROM captures ORDER BY id`).all() as CaptureDbRow[];
  const interrupted = findInterruption(db);
  const lines: string[] = [];
  if (interrupted) {
    lines.push(`CASE STATUS: INCOMPLETE: interrupted while ${interrupted.phase}. Missing: ${interrupted.missing.join('; ')}. `
      + 'The numbers below do not cover the whole capture; run `flowcase repair` on the case and regenerate this report.');
  } else {
    const partial = rows.filter((r) => r.status !== 'complete');
    lines.push(partial.length === 0
      ? 'Case status: complete (every capture was read to its end and analysed).'
      : `CASE STATUS: INCOMPLETE: ${partial.map((r) => `${r.name} is ${r.status}`).join('; ')}. The numbers below cover only what was read.`);
  }
  for (const r of rows) {
    const check = captureIntegrity(r);
    const short = r.sha256 ? `SHA-256 ${r.sha256}` : 'no SHA-256 recorded';
    if (check.integrity === 'ok') lines.push(`Capture ${r.name}: integrity verified, unchanged since import (${short}).`);
    else if (check.integrity === 'missing') lines.push(`CAPTURE ${r.name} IS MISSING: ${r.path} was not found; the packets cited below cannot be re-checked against it (${short}).`);
    else if (check.integrity === 'changed') lines.push(`CAPTURE ${r.name} HAS CHANGED since import: ${check.detail ?? r.path}. The evidence below was read from the original (${short}); the file on disk is no longer it.`);
    else lines.push(`Capture ${r.name}: integrity not checked (${check.detail ?? short}).`);
  }
  return lines;
}
