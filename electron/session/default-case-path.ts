/**
 * Where a case goes when the user opens a capture without naming one. We never write next to
 * the capture: evidence folders should stay untouched (and are often read-only mounts). Browser
 * mode uses <tmpdir>/flowcase-cases/, the desktop app its userData folder; `--case` overrides.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultCasesDir(): string {
  return path.join(os.tmpdir(), 'flowcase-cases');
}

/** "dump.pcapng.gz" → "dump". */
export function captureBaseName(capturePath: string): string {
  let base = path.basename(capturePath);
  if (/\.gz$/i.test(base)) base = base.slice(0, -3);
  const ext = path.extname(base);
  if (ext && ext.length < base.length) base = base.slice(0, -ext.length);
  return base.replace(/[^A-Za-z0-9._ -]/g, '_') || 'capture';
}

/**
 * `<dir>/<capture-basename>.flowcase`, or `-2`, `-3`… when that name is taken by a case that
 * `isSameCapture` does not accept (so an unrelated case is never appended to by accident).
 */
export function defaultCasePathFor(capturePath: string, dir = defaultCasesDir(), isSameCapture: (casePath: string) => boolean = () => false): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = captureBaseName(capturePath);
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.flowcase`);
    if (!fs.existsSync(candidate) || isSameCapture(candidate)) return candidate;
  }
  return path.join(dir, `${base}-${Date.now()}.flowcase`);
}
