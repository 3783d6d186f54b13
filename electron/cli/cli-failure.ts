/**
 * Every expected failure of a command becomes one line and a documented exit status; only an
 * unexpected one (a bug) is "internal error" (70), and its stack trace is printed only with --debug.
 *   2  unusable input or output: bad usage, missing/foreign case, bad filter, a path that cannot be written
 *   1  partial result: something was written, but not all of it (the case says what is missing)
 */
import { describeWriteFailure } from '../files/guarded-write';

export interface Failure { message: string; exitCode: number }

/** Errors that carry their own user-facing message, matched by name so no module depends on all of them. */
const USER_ERROR_NAMES = new Set(['CliInputError', 'GuardedWriteError', 'FilterError', 'CaseSchemaError', 'CaseStateError', 'DuplicateCaptureError', 'QueryArgumentError']);

const SQLITE_LINES: Array<[RegExp, (path: string) => string]> = [
  [/^SQLITE_FULL/, (p) => `the disk is full while writing the case ${p}`],
  [/^SQLITE_READONLY/, (p) => `cannot write the case ${p}: it (or its folder) is read-only`],
  [/^SQLITE_CANTOPEN/, (p) => `cannot open the case ${p}: check that the folder exists and is writable`],
  [/^SQLITE_BUSY|^SQLITE_LOCKED/, (p) => `the case ${p} is busy: another Flowcase is writing it; wait for it to finish`],
  [/^SQLITE_CORRUPT|^SQLITE_NOTADB/, (p) => `${p} is damaged or not a Flowcase case`],
  [/^SQLITE_IOERR/, (p) => `an input/output error while writing the case ${p} (disk full, file size limit, or a failing disk)`],
];

/** The one-line description of an expected failure, or null for a bug. `subject` names the file involved when known. */
export function describeFailure(err: unknown, subject = 'the case'): Failure | null {
  if (!(err instanceof Error)) return null;
  if (USER_ERROR_NAMES.has(err.name)) return { message: clip(err.message, 400), exitCode: 2 };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (err.name === 'SqliteError') {
      for (const [pattern, line] of SQLITE_LINES) if (pattern.test(code)) return { message: line(subject), exitCode: 2 };
      return null;
    }
    if (/^E[A-Z]+$/.test(code)) {
      const path = (err as { path?: unknown }).path;
      return { message: describeWriteFailure(err, typeof path === 'string' ? path : subject).message, exitCode: 2 };
    }
  }
  return null;
}

/** Cut user text (a filter, a path) to a readable length for an error line. */
export function clip(text: string, max = 120): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max)}… (${oneLine.length} characters)`;
}
