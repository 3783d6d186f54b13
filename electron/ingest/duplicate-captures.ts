/**
 * A capture whose SHA-256 is already in the case would double every packet, flow, finding count
 * and rate, silently; it is refused unless the analyst asks for it (--allow-duplicate).
 * Only files whose size matches one already in the case (or another in the same run) are hashed
 * here, so the usual import pays nothing extra; the indexing read computes the recorded hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseDb } from '../../db/open-case';
import { sha256File } from '../capture/file-hasher';

export class DuplicateCaptureError extends Error {
  override name = 'DuplicateCaptureError';
}

interface Known { label: string; size: number; sha256: string | null; path?: string }

/** Throws DuplicateCaptureError naming the earlier import when a capture is already in the case (or given twice). */
export async function refuseDuplicateCaptures(db: CaseDb | null, paths: string[]): Promise<void> {
  const known: Known[] = db
    ? (db.prepare("SELECT id, name, size, sha256, imported_at FROM captures WHERE sha256 != '' AND status != 'failed'").all() as Array<{ id: number; name: string; size: number; sha256: string; imported_at: string }>)
      .map((r) => ({ label: `capture #${r.id} "${r.name}" imported ${r.imported_at}`, size: r.size, sha256: r.sha256 }))
    : [];
  const hashes = new Map<string, string>();
  const hashOf = async (p: string) => {
    let h = hashes.get(p);
    if (h === undefined) { h = await sha256File(p); hashes.set(p, h); }
    return h;
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let size: number;
    try { size = fs.statSync(abs).size; } catch { continue; } // the reader reports it
    for (const k of known) {
      if (k.size !== size) continue;
      const mine = await hashOf(abs);
      const theirs = k.sha256 ?? (k.path ? await hashOf(k.path) : null);
      if (mine === theirs) {
        throw new DuplicateCaptureError(`${abs} is already in the case: same SHA-256 (${mine.slice(0, 16)}…) as ${k.label}; importing it again would count every packet twice. Use --allow-duplicate if that is what you want.`);
      }
    }
    known.push({ label: `${path.basename(abs)} given earlier in this import`, size, sha256: null, path: abs });
  }
}
