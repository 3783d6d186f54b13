import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository root: the nearest folder above this file that holds package.json (works from dist/ too). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'electron'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found above ' + __dirname);
    dir = up;
  }
}

/** ../shared/captures beside the checkout (CI clones the repo with shared/ next to it), or null. */
export function sharedCaptures(): string | null {
  const dir = path.resolve(repoRoot(), '..', 'shared', 'captures');
  return fs.existsSync(dir) ? dir : null;
}

export const SHARED_MISSING = 'the shared captures folder (../shared/captures beside the checkout) is not present';

export function tempDir(prefix = 'flowcase-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cliPath(): string {
  return path.join(repoRoot(), 'bin', 'flowcase.js');
}
