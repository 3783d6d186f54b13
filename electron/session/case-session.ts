/**
 * The open case: its path, one read-only connection for queries (WAL lets it read while an
 * ingest job writes through its own connection), the ingest job manager and the event hub.
 * Both transports (Electron IPC and browser mode) drive one CaseSession through the same handlers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openCase, type CaseDb } from '../../db/open-case';
import { appendCustody } from '../../db/custody';
import { ApiFailure } from '../ipc/api-failure';
import type { CaptureInfo } from '../model/capture';
import { EventHub } from '../ipc/events';
import { captureRow, toCaptureInfo } from '../query/overview';
import { defaultCasePathFor, defaultCasesDir } from './default-case-path';
import { sha256File } from '../capture/file-hasher';
import { IngestJobs, type IngestJobsOptions } from './ingest-jobs';
import { CaseWrites } from './case-writes';
import { identifyFile } from '../files/file-kind';

export interface CaseSessionOptions extends IngestJobsOptions {
  /** Where cases for captures opened without a case are created (default <tmpdir>/flowcase-cases). */
  casesDir?: string;
}

/** True when `casePath` is a readable case that already indexed `capturePath`. */
export function caseHasCapture(casePath: string, capturePath: string): boolean {
  let db: CaseDb | null = null;
  try {
    db = openCase(casePath, { readonly: true });
    return db.prepare("SELECT 1 FROM captures WHERE path = ? AND status != 'failed'").get(path.resolve(capturePath)) !== undefined;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

export class CaseSession {
  readonly events = new EventHub();
  readonly jobs: IngestJobs;
  private current: string | null = null;
  private reader: CaseDb | null = null;
  private writes: CaseWrites | null = null;

  constructor(private readonly opts: CaseSessionOptions = {}) {
    this.jobs = new IngestJobs(this.events, opts);
  }

  get casePath(): string | null {
    return this.current;
  }

  /** Open an existing case, or create it when `create` is set. Migrations run here, once. */
  open(file: string, { create = false }: { create?: boolean } = {}): void {
    const abs = path.resolve(file);
    if (this.jobs.busy()) throw new ApiFailure('busy', 'A capture is still being indexed; wait for it to finish (or cancel it) before opening another case.');
    if (!create && !fs.existsSync(abs)) throw new ApiFailure('not-found', `case file not found: ${abs}`);
    if (create && !fs.existsSync(abs)) {
      // A new case is private (0600) and created without following a link planted under its name.
      fs.mkdirSync(path.dirname(abs), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(abs, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600));
    }
    // A writable open brings the schema up to date (and creates the file); queries then use a
    // read-only connection so nothing on the query path can modify the case.
    openCase(abs).close();
    const reader = openCase(abs, { readonly: true });
    this.writes?.close();
    this.reader?.close();
    this.reader = reader;
    this.current = abs;
    this.writes = new CaseWrites(abs, reader, () => this.events.emit('case.changed', { casePath: abs }), () => this.jobs.busy());
    this.events.emit('case.changed', { casePath: abs });
  }

  hasCase(): boolean {
    return this.reader !== null;
  }

  /** The read-only query connection; a clear error when nothing is open yet. */
  db(): CaseDb {
    if (!this.reader) throw new ApiFailure('not-found', 'No case is open: open a capture (File › Open Capture…) or a case first.');
    return this.reader;
  }

  /** Write to the open case (annotations, analyst name): the CLI may be writing it at the same time. */
  write<T>(fn: (db: CaseDb) => T): T {
    if (!this.writes) throw new ApiFailure('not-found', 'No case is open: open a capture or a case first.');
    return this.writes.run(fn);
  }

  /** Look for another process's changes now instead of at the next poll (tests). */
  pollExternalChanges(): void {
    this.writes?.poll();
  }

  /**
   * Start indexing captures into the open case; with no case open, a case is created for the
   * first capture in the cases folder. Returns the job id.
   */
  importCaptures(paths: string[]): number {
    const resolved = paths.map((p) => path.resolve(p));
    // A .flowcase given as a capture (typed into Open capture…, dropped) is opened as a case:
    // importing it would only leave a failed capture row in the case, and list the case as evidence.
    const cases = resolved.filter((p) => identifyFile(p) === 'case');
    if (cases.length > 0) {
      if (resolved.length > 1) throw new ApiFailure('bad-argument', `${path.basename(cases[0])} is a Flowcase case, not a capture: open it with File › Open case…`);
      this.open(cases[0]);
      return 0;
    }
    for (const p of resolved) {
      let st: fs.Stats;
      try {
        st = fs.statSync(p);
      } catch {
        throw new ApiFailure('not-found', `capture not found: ${p}. Check the path (it is read on the machine running Flowcase).`);
      }
      if (!st.isFile()) throw new ApiFailure('bad-argument', `not a capture file: ${p} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}`);
    }
    if (!this.current) {
      this.open(defaultCasePathFor(resolved[0], this.opts.casesDir ?? defaultCasesDir()), { create: true });
    }
    return this.jobs.start(this.current!, resolved);
  }

  /**
   * Point a capture at a new location after checking that the file there is byte-for-byte the
   * one that was indexed (same SHA-256). Anything else is refused: packet offsets in the case
   * are only meaningful for that exact file.
   */
  async relocate(captureId: number, newPath: string): Promise<CaptureInfo> {
    const db = this.db();
    const row = captureRow(db, captureId);
    if (!row) throw new ApiFailure('not-found', `capture ${captureId} is not in this case`);
    const abs = path.resolve(newPath);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new ApiFailure('not-found', `cannot relocate ${row.name}: ${abs} does not exist`);
    }
    if (!st.isFile()) throw new ApiFailure('bad-argument', `cannot relocate ${row.name}: ${abs} is not a regular file`);
    if (this.jobs.busy()) throw new ApiFailure('busy', 'A capture is being indexed; relocate after it finishes.');
    if (!row.sha256) throw new ApiFailure('source-changed', `cannot relocate ${row.name}: the case has no SHA-256 recorded for it (indexing did not finish), so the new file cannot be verified. Re-import the capture instead.`);
    const digest = await sha256File(abs);
    if (digest !== row.sha256) {
      throw new ApiFailure('source-changed', `Refusing to relocate ${row.name}: ${abs} is a different file (SHA-256 ${digest.slice(0, 16)}…, but the case recorded ${row.sha256.slice(0, 16)}…). Choose the original capture file.`);
    }
    const writer = openCase(this.current!);
    try {
      writer.pragma('busy_timeout = 5000');
      writer.transaction(() => {
        writer.prepare('UPDATE captures SET path = ?, size = ?, mtime_ms = ? WHERE id = ?').run(abs, st.size, Math.floor(st.mtimeMs), captureId);
        appendCustody(writer, 'capture.relocated', { captureId, name: row.name, from: row.path, to: abs, sha256: digest });
      }).immediate();
    } finally {
      writer.close();
    }
    this.events.emit('case.changed', { casePath: this.current! });
    return toCaptureInfo(db, captureRow(db, captureId)!);
  }

  /** Cancel running jobs and close the connection. */
  async close(): Promise<void> {
    await this.jobs.shutdown();
    this.writes?.close();
    this.writes = null;
    this.reader?.close();
    this.reader = null;
    this.current = null;
  }
}
