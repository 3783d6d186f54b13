/**
 * Flowcase's private per-user data folder: $XDG_DATA_HOME/flowcase, else ~/.local/share/flowcase.
 * Cases created for captures opened without a case, and browser-mode uploads, live here. It is
 * created 0700 and checked on every use: a real folder (not a link), owned by this user, closed to
 * others. A shared, predictable folder (/tmp/flowcase-cases) let another local user plant cases or
 * links there; this one cannot be entered by anyone else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

export function dataFolderPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'flowcase');
}

/** Create (0700) or check `dir`: a folder, not a link, owned by this user, no access for others. */
export function ensurePrivateFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new DataFolderError(`${dir} is not a folder (it is a link or a file); remove it so Flowcase can create its private folder`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid !== null && st.uid !== uid) throw new DataFolderError(`${dir} belongs to another user (uid ${st.uid}); Flowcase will not keep cases there`);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700); // ours: close it to others
  return dir;
}

/** <data folder>/<sub>, each level checked. */
export function privateFolder(sub?: 'cases' | 'uploads', env: NodeJS.ProcessEnv = process.env): string {
  const root = ensurePrivateFolder(dataFolderPath(env));
  return sub ? ensurePrivateFolder(path.join(root, sub)) : root;
}

/**
 * Create a new, empty case file `<dir>/<base>[-N].flowcase` exclusively (O_EXCL, O_NOFOLLOW, 0600):
 * an existing file, or a link planted under that name, is never opened or reused.
 */
export function createUniqueCaseFile(dir: string, base: string): string {
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  for (let n = 1; n < 10_000; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}.flowcase`);
    try {
      fs.closeSync(fs.openSync(candidate, flags, 0o600));
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' && (err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    }
  }
  throw new DataFolderError(`no free case name for ${base} in ${dir}`);
}
