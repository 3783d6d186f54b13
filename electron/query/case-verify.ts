/**
 * `flowcase verify` and the overview's custody line: the custody hash chain, every capture
 * re-hashed against the SHA-256 recorded at import, and every live annotation's target.
 */
import fs from 'node:fs';
import type { CaseDb } from '../../db/open-case';
import { verifyCustodyChain, type CustodyCheck } from '../../db/custody';
import { orphanedAnnotations } from '../../db/annotation-store';
import { sha256File } from '../capture/file-hasher';
import type { CustodyStatus } from '../model/annotation';

export interface CaptureCheck {
  id: number;
  name: string;
  path: string;
  status: 'ok' | 'missing' | 'changed' | 'unrecorded';
  detail?: string;
}

export interface CaseVerification {
  ok: boolean;
  chain: CustodyCheck;
  captures: CaptureCheck[];
  orphans: Array<{ id: number; target: string }>;
  /** One line per problem found, in the order checked. */
  problems: string[];
}

/** Re-hash one capture (the whole file, streamed) and compare with the import hash. */
export async function checkCapture(c: { id: number; name: string; path: string; sha256: string }): Promise<CaptureCheck> {
  const base = { id: c.id, name: c.name, path: c.path };
  if (!c.sha256) return { ...base, status: 'unrecorded', detail: `capture ${c.id} (${c.name}) has no SHA-256 recorded: its import did not finish` };
  if (!fs.existsSync(c.path)) return { ...base, status: 'missing', detail: `capture ${c.id} (${c.name}) is missing: ${c.path} not found (relocate it)` };
  let digest: string;
  try { digest = await sha256File(c.path); } catch (err) {
    return { ...base, status: 'missing', detail: `capture ${c.id} (${c.name}) cannot be read: ${(err as Error).message}` };
  }
  if (digest !== c.sha256) {
    return { ...base, status: 'changed', detail: `capture ${c.id} (${c.name}) changed: SHA-256 ${digest} differs from ${c.sha256} recorded at import` };
  }
  return { ...base, status: 'ok' };
}

export async function verifyCase(db: CaseDb): Promise<CaseVerification> {
  const chain = verifyCustodyChain(db);
  const problems: string[] = [];
  if (!chain.ok) problems.push(`custody log broken at entry ${chain.brokenAt}: ${chain.problem}`);
  const rows = db.prepare("SELECT id, name, path, sha256 FROM captures WHERE status != 'failed' ORDER BY id").all() as Array<{ id: number; name: string; path: string; sha256: string }>;
  const captures: CaptureCheck[] = [];
  for (const r of rows) {
    const c = await checkCapture(r);
    captures.push(c);
    if (c.status !== 'ok' && c.detail) problems.push(c.detail);
  }
  const orphans = orphanedAnnotations(db);
  for (const o of orphans) problems.push(`annotation ${o.id}: its target (${o.target}) is not in the case`);
  return { ok: problems.length === 0, chain, captures, orphans, problems };
}

/** The overview's one-line custody state, without re-hashing captures (that is `verify`). */
export function custodyStatus(db: CaseDb): CustodyStatus {
  const c = verifyCustodyChain(db);
  if (!c.ok) return { state: 'broken', entries: c.entries, brokenAt: c.brokenAt, problem: c.problem, head: null };
  return { state: c.entries ? 'verified' : 'empty', entries: c.entries, head: c.head };
}
