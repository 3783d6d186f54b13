/**
 * Analyst writes to the open case (annotations, the analyst name) and noticing other processes'
 * writes. The session's query connection is read-only; writes go through one writable connection
 * opened on first use (WAL + busy timeout: the CLI may be writing the same case).
 *
 * Another process's change shows as a new custody entry (every case change appends one): polled
 * once a second, it is pushed as 'case.changed' so the app refetches. The session's own writes
 * move the mark forward, so they do not echo back as 'case.changed' (the UI updates itself).
 */
import { openCase, type CaseDb } from '../../db/open-case';

export const WATCH_INTERVAL_MS = 1000;

export class CaseWrites {
  private writer: CaseDb | null = null;
  private lastSeq = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly casePath: string,
    private readonly reader: CaseDb,
    private readonly onExternalChange: () => void,
    private readonly quiet: () => boolean,
  ) {
    this.lastSeq = this.headSeq();
    this.timer = setInterval(() => this.poll(), WATCH_INTERVAL_MS);
    this.timer.unref?.();
  }

  private headSeq(): number {
    try {
      return (this.reader.prepare('SELECT coalesce(max(seq), 0) FROM custody').pluck().get() as number) ?? 0;
    } catch {
      return this.lastSeq; // a case mid-upgrade, or closed: try again next time
    }
  }

  /** Check for another process's writes now (also run by the timer). */
  poll(): void {
    const seq = this.headSeq();
    if (seq === this.lastSeq) return;
    this.lastSeq = seq;
    // Our own ingest jobs announce their changes themselves.
    if (!this.quiet()) this.onExternalChange();
  }

  /** Run `fn` on the writable connection; the change is ours, so no 'case.changed' echoes back. */
  run<T>(fn: (db: CaseDb) => T): T {
    this.writer ??= openCase(this.casePath);
    const out = fn(this.writer);
    this.lastSeq = Math.max(this.lastSeq, this.writer.prepare('SELECT coalesce(max(seq), 0) FROM custody').pluck().get() as number);
    return out;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.writer?.close();
    this.writer = null;
  }
}
