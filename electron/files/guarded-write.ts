/**
 * The one path by which Flowcase writes a file the user will keep: case, report, export, bundle,
 * upload. Evidence is sacred, so before anything is written:
 *   - a capture of the case (or any file named in `protect`) is never replaced, --force or not;
 *   - an existing file is replaced only with `force`, and only by a file of the same kind
 *     (a case only by a case, after a read-only check that it is one);
 *   - the bytes go to a temporary file beside the target that is renamed into place, so a
 *     failure (disk full, permission, crash) never leaves half a file under the target's name.
 * Failures are GuardedWriteError: one line naming the path and what to do.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { identifyFile, type ExistingKind } from './file-kind';

export type WriteKind = 'case' | 'report' | 'export' | 'bundle' | 'upload' | 'text';

/** What an existing file may be for `force` to replace it with a file of this kind. */
const REPLACEABLE: Record<WriteKind, readonly ExistingKind[]> = {
  case: ['case'],
  report: ['text', 'pdf'],
  export: ['capture'],
  bundle: ['zip'],
  upload: [],
  text: ['text'],
};

const KIND_NAMES: Record<ExistingKind, string> = {
  missing: 'missing', directory: 'a folder', case: 'a Flowcase case', sqlite: 'an SQLite database that is not a Flowcase case',
  capture: 'a packet capture', zip: 'a zip archive', pdf: 'a PDF', text: 'a text file', binary: 'a binary file', unreadable: 'unreadable',
};

export type WriteRefusal = 'protected' | 'exists' | 'wrong-kind' | 'is-directory' | 'no-folder' | 'permission' | 'disk-full' | 'io';

export class GuardedWriteError extends Error {
  override name = 'GuardedWriteError';
  constructor(readonly reason: WriteRefusal, readonly path: string, message: string) {
    super(message);
  }
}

export interface WriteGuard {
  kind: WriteKind;
  /** Replace an existing file of the same kind (never a protected one). */
  force?: boolean;
  /** Files that must never be written over: the case's captures, and the case itself for non-case writes. */
  protect?: readonly string[];
  /** File mode for a new file (default 0o644 before umask; cases and uploads pass 0o600). */
  mode?: number;
}

export interface TargetCheck {
  /** Absolute target path. */
  path: string;
  /** What is there now. */
  existing: ExistingKind;
}

function sameFile(a: string, aStat: fs.Stats | null, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  if (!aStat) return false;
  try {
    const bStat = fs.statSync(b);
    return aStat.dev === bStat.dev && aStat.ino === bStat.ino;
  } catch {
    return false;
  }
}

/** Map a file-system error to one line a user can act on. */
export function describeWriteFailure(err: unknown, target: string): GuardedWriteError {
  if (err instanceof GuardedWriteError) return err;
  const e = err as NodeJS.ErrnoException;
  const dir = path.dirname(target);
  switch (e?.code) {
    case 'ENOENT': return new GuardedWriteError('no-folder', target, `cannot write ${target}: the folder ${dir} does not exist; create it or choose another output path`);
    case 'ENOTDIR': return new GuardedWriteError('no-folder', target, `cannot write ${target}: part of ${dir} is not a folder; choose another output path`);
    case 'EISDIR': return new GuardedWriteError('is-directory', target, `cannot write ${target}: it is a folder; give a file name inside it`);
    case 'EACCES': case 'EPERM': return new GuardedWriteError('permission', target, `cannot write ${target}: permission denied in ${dir}; choose a folder you can write to`);
    case 'EROFS': return new GuardedWriteError('permission', target, `cannot write ${target}: ${dir} is on a read-only file system; choose another output path`);
    case 'ENOSPC': case 'EDQUOT': case 'EFBIG': return new GuardedWriteError('disk-full', target, `cannot write ${target}: the disk is full (or the file size limit was reached); free space and run again`);
    case 'ELOOP': return new GuardedWriteError('permission', target, `cannot write ${target}: it is a symbolic link; Flowcase does not write through links`);
    default: return new GuardedWriteError('io', target, `cannot write ${target}: ${e?.message ?? String(err)}`);
  }
}

/** Decide whether `target` may be written; throws GuardedWriteError when it may not. Reads only. */
export function checkWriteTarget(target: string, guard: WriteGuard): TargetCheck {
  const abs = path.resolve(target);
  let st: fs.Stats | null = null;
  try { st = fs.statSync(abs); } catch { /* missing (or dangling link): checked below */ }
  for (const p of guard.protect ?? []) {
    if (sameFile(abs, st, p)) {
      throw new GuardedWriteError('protected', abs, `refusing to write over ${abs}: it is ${guard.kind === 'case' ? 'one of the captures being indexed' : 'evidence of this case (a capture or the case itself)'}; choose another output path`);
    }
  }
  let lst: fs.Stats | null = null;
  try { lst = fs.lstatSync(abs); } catch { /* missing */ }
  if (lst?.isSymbolicLink()) throw new GuardedWriteError('permission', abs, `refusing to write ${abs}: it is a symbolic link; Flowcase does not write through links, give the real path`);
  let dirSt: fs.Stats;
  try { dirSt = fs.statSync(path.dirname(abs)); } catch (err) { throw describeWriteFailure(err, abs); }
  if (!dirSt.isDirectory()) throw describeWriteFailure(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), abs);
  const existing = st ? identifyFile(abs) : 'missing';
  if (existing === 'missing') return { path: abs, existing };
  if (existing === 'directory') throw new GuardedWriteError('is-directory', abs, `cannot write ${abs}: it is a folder; give a file name inside it`);
  if (!guard.force) {
    const hint = REPLACEABLE[guard.kind].includes(existing) ? ' (or --force to replace it)' : '';
    throw new GuardedWriteError('exists', abs, `${abs} already exists (${KIND_NAMES[existing]}): choose another output path${hint}`);
  }
  if (!REPLACEABLE[guard.kind].includes(existing)) {
    throw new GuardedWriteError('wrong-kind', abs, `refusing to replace ${abs}: it is ${KIND_NAMES[existing]}, not ${guard.kind === 'case' ? 'a Flowcase case' : `a ${guard.kind} file`}; --force only replaces a file of the same kind`);
  }
  return { path: abs, existing };
}

export interface PendingWrite {
  /** The final path. */
  path: string;
  /** A new, empty file beside the target (created exclusively, never through a link); write here. */
  tempPath: string;
  /** fsync and rename the temporary file into place. */
  commit(): void;
  /** Remove the temporary file (idempotent). */
  abort(): void;
}

/** Test seam: FLOWCASE_FAIL_WRITE=ENOSPC makes every guarded write fail as a full disk would. */
function injectedFailure(): NodeJS.ErrnoException | null {
  const code = process.env.FLOWCASE_FAIL_WRITE;
  return code ? Object.assign(new Error(`${code} (injected)`), { code }) : null;
}

/** Check the target, then create a temporary file beside it to be committed by rename. */
export function beginGuardedWrite(target: string, guard: WriteGuard): PendingWrite {
  const check = checkWriteTarget(target, guard);
  const dir = path.dirname(check.path);
  const tempPath = path.join(dir, `.${path.basename(check.path)}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.partial`);
  try {
    const fd = fs.openSync(tempPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, guard.mode ?? 0o644);
    fs.closeSync(fd);
  } catch (err) {
    throw describeWriteFailure(err, check.path);
  }
  let done = false;
  const abort = () => {
    if (done) return;
    done = true;
    fs.rmSync(tempPath, { force: true });
  };
  return {
    path: check.path,
    tempPath,
    abort,
    commit() {
      if (done) throw new Error('guarded write already finished');
      try {
        const injected = injectedFailure();
        if (injected) throw injected;
        const fd = fs.openSync(tempPath, 'r+');
        try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
        // The kind check again right before the rename: the target may have appeared meanwhile.
        checkWriteTarget(check.path, guard);
        fs.renameSync(tempPath, check.path);
        done = true;
      } catch (err) {
        abort();
        throw describeWriteFailure(err, check.path);
      }
    },
  };
}

/** Write a whole file through the guard: temporary file, fsync, rename. Returns the final path. */
export function writeFileGuarded(target: string, data: string | Uint8Array, guard: WriteGuard): string {
  const pending = beginGuardedWrite(target, guard);
  try {
    const injected = injectedFailure();
    if (injected) throw injected;
    fs.writeFileSync(pending.tempPath, data);
  } catch (err) {
    pending.abort();
    throw describeWriteFailure(err, pending.path);
  }
  pending.commit();
  return pending.path;
}

/**
 * Prepare `target` to become a case: refuse what may not be replaced, remove a case that `force`
 * replaces (it was checked read-only to be a case), and create the new file exclusively with
 * `mode` 0600 without following links. Returns 'created' or 'existing' (append).
 * Cases are written in place (SQLite transactions and the recorded phases keep them truthful
 * after a crash) rather than renamed, so an interrupted run leaves an honest, incomplete case.
 */
export function prepareCaseTarget(target: string, opts: { force?: boolean; append?: boolean; protect?: readonly string[] }): { path: string; mode: 'created' | 'existing' } {
  const abs = path.resolve(target);
  if (opts.append) {
    // Appending writes into the case itself: it must already be one (checked read-only) and not a capture.
    let check: TargetCheck;
    try {
      check = checkWriteTarget(abs, { kind: 'case', force: true, protect: opts.protect });
    } catch (err) {
      if (err instanceof GuardedWriteError && err.reason === 'wrong-kind') {
        throw new GuardedWriteError('wrong-kind', abs, `cannot append to ${abs}: it is ${KIND_NAMES[identifyFile(abs)]}; --append adds captures to an existing Flowcase case`);
      }
      throw err;
    }
    if (check.existing === 'case') return { path: abs, mode: 'existing' };
  } else {
    let check: TargetCheck;
    try {
      check = checkWriteTarget(abs, { kind: 'case', force: opts.force, protect: opts.protect });
    } catch (err) {
      if (err instanceof GuardedWriteError && err.reason === 'exists' && identifyFile(abs) === 'case') {
        throw new GuardedWriteError('exists', abs, `${abs} already exists: use --append to add these captures to it, or --force to replace it`);
      }
      throw err;
    }
    if (check.existing === 'case') for (const suffix of ['-wal', '-shm', '-journal', '']) fs.rmSync(abs + suffix, { force: true });
  }
  try {
    const fd = fs.openSync(abs, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    fs.closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new GuardedWriteError('exists', abs, `${abs} appeared while Flowcase was preparing it; run again`);
    throw describeWriteFailure(err, abs);
  }
  return { path: abs, mode: 'created' };
}
