/**
 * Where a case goes when the user opens a capture without naming one. We never write next to
 * the capture: evidence folders should stay untouched (and are often read-only mounts). Browser
 * mode uses the private data folder (data-folder.ts: ~/.local/share/flowcase/cases, 0700), the
 * desktop app its userData folder; `--case` overrides.
 */
import path from 'node:path';
import { createUniqueCaseFile, dataFolderPath, ensurePrivateFolder, privateFolder } from './data-folder';

/** The private cases folder, created 0700 and checked (owner, not a link) on every call. */
export function defaultCasesDir(): string {
  return privateFolder('cases');
}

/** The same path, for help texts: nothing is created. */
export function defaultCasesDirText(): string {
  return path.join(dataFolderPath(), 'cases');
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
 * A new, empty case file `<dir>/<capture-basename>[-N].flowcase`, created exclusively (0600, no
 * link followed). An existing case is never reused: one this run did not create may have been
 * planted (forged findings), so only a case the user names is opened.
 */
export function defaultCasePathFor(capturePath: string, dir = defaultCasesDir()): string {
  return createUniqueCaseFile(ensurePrivateFolder(dir), captureBaseName(capturePath));
}
