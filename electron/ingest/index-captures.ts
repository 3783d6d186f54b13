import path from 'node:path';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { getCaseMeta, setCaseMeta } from '../../db/case-meta';
import { openCase, type CaseDb } from '../../db/open-case';
import { buildPacketIndexes, preparePacketLoad, rollUpTimeline } from '../../db/bulk-indexes';
import { rebuildGraphPairs } from '../../db/graph-pair-summary';
import { appendCustody } from '../../db/custody';
import { adoptCaptureComments } from '../../db/annotation-store';
import type { FindingSummary } from '../model/finding';
import type { IngestProgress } from '../model/ingest-progress';
import { CaseWriter } from './case-writer';
import type { CaptureFinished, WorkerToWriter, WriterToWorker } from './decode-worker-messages';
import { setRunPhase, startRun } from '../../db/ingest-runs';
import { completeEarlierRuns, removeInterruptedRun } from './case-repair';
import { refuseDuplicateCaptures } from './duplicate-captures';
import { pauseForTest } from './test-pause';

export interface IndexOptions {
  casePath: string;
  captures: string[];
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /**
   * What to run over the indexed case before it is marked complete: the job runners (session/,
   * cli/) pass the detector run (analysis/run-detectors.ts); without it nothing is analysed.
   */
  analyse?: (db: CaseDb) => FindingSummary[];
  jobId?: number;
  /** Packets per batch handed from the worker to the writer. */
  batchSize?: number;
  /** Index a capture even when its SHA-256 is already in the case (default: refused). */
  allowDuplicate?: boolean;
  /** Remove a capture from which nothing could be read (not a capture, unreadable) instead of keeping a 'failed' row (the UI). */
  dropFailed?: boolean;
}

export interface IndexedCapture {
  id: number;
  path: string;
  name: string;
  sha256: string;
  format: string;
  status: 'complete' | 'incomplete' | 'failed';
  packets: number;
  firstTsNs: bigint | null;
  lastTsNs: bigint | null;
  errors: Array<{ offset: number; message: string; fatal: boolean }>;
  /** Set when nothing could be read: not a capture, unreadable. */
  failure: string | null;
}

export interface IndexResult {
  casePath: string;
  packets: number;
  captures: IndexedCapture[];
  cancelled: boolean;
  findings: FindingSummary[];
  seconds: number;
}

const PROGRESS_EVERY_MS = 250;
/** The decode worker's heap cap; FLOWCASE_WORKER_HEAP_MB raises it for captures with millions of distinct addresses. */
const WORKER_HEAP_MB = Number(process.env.FLOWCASE_WORKER_HEAP_MB) > 0 ? Number(process.env.FLOWCASE_WORKER_HEAP_MB) : 256;

/**
 * Index captures into a case file: a worker thread reads and decodes, this thread writes
 * batched transactions, then builds the packet indexes, rolls up the timeline and runs `analyse` (the detectors, when
 * the job runner asks for them).
 * Source captures are only ever opened for reading.
 */
export async function indexCaptures(opts: IndexOptions): Promise<IndexResult> {
  const started = Date.now();
  const db = openCase(opts.casePath);
  try {
    return await new IndexJob(db, opts, started).run();
  } finally {
    db.close();
  }
}

/** What the bulk load needs from the case as it was before this run. */
interface BulkLoad {
  writer: CaseWriter;
  /** The packets were in time order before this run (so the ts index can follow the ids). */
  orderedBefore: boolean;
  hadHosts: boolean;
  existingAddrs: Array<[number, string]>;
  existingProtocols: Array<[number, string]>;
}

/**
 * One indexing run. Its steps, in the order they commit: register the captures with the run's
 * 'reading' phase; read and write them (decode worker → case writer); build the indexes and the
 * roll-up ('analysing'); run the detectors and mark the case complete.
 */
class IndexJob {
  private readonly captures: IndexedCapture[] = [];
  /** File sizes by capture, in `captures` order (stat at registration). */
  private readonly sizes: number[] = [];
  private readonly progress: ProgressTracker;
  private runId = 0;
  private firstPacketId = 0;
  private firstFlowId = 0;
  private cancelled = false;
  private firstTsWritten = false;

  constructor(private readonly db: CaseDb, private readonly opts: IndexOptions, private readonly started: number) {
    this.progress = new ProgressTracker(opts.jobId ?? 1, this.captures, started, opts.onProgress);
  }

  async run(): Promise<IndexResult> {
    const now = await this.prepareCase();
    this.registerCaptures(now);
    const load = this.startBulkLoad();
    this.progress.start(this.sizes.reduce((a, b) => a + b, 0));
    try {
      await this.readCaptures(load);
      this.endBulkLoad();
      this.buildIndexes(load);
      const findings = this.analyseAndComplete();
      this.db.pragma('analysis_limit = 1000');
      this.db.exec('ANALYZE');
      this.progress.setPhase('done');
      return { casePath: this.opts.casePath, packets: this.progress.packets, captures: this.captures, cancelled: this.cancelled, findings, seconds: (Date.now() - this.started) / 1000 };
    } finally {
      this.progress.stop();
    }
  }

  /** Marks the case 'indexing'; resolves to the import time. */
  private async prepareCase(): Promise<string> {
    // A run interrupted while reading left partial rows: remove them first so nothing counts twice.
    removeInterruptedRun(this.db);
    if (!this.opts.allowDuplicate) await refuseDuplicateCaptures(this.db, this.opts.captures);
    const now = new Date().toISOString();
    if (getCaseMeta(this.db, 'created_at') === undefined) setCaseMeta(this.db, 'created_at', now);
    setCaseMeta(this.db, 'status', 'indexing');
    return now;
  }

  /**
   * The capture rows (stat only: the hash is computed alongside the decode) and the run's 'reading'
   * phase are one transaction: a crash after it is recognisable.
   */
  private registerCaptures(now: string): void {
    const db = this.db;
    const insCapture = db.prepare(`INSERT INTO captures (path, name, size, mtime_ms, sha256, format, status, imported_at, phase)
    VALUES (?, ?, ?, ?, '', 'unknown', 'indexing', ?, 'reading')`);
    this.firstPacketId = maxId(db, 'SELECT max(id) FROM packets') + 1;
    this.firstFlowId = maxId(db, 'SELECT max(id) FROM flows') + 1;
    this.runId = db.transaction(() => {
      for (const capturePath of this.opts.captures) {
        const abs = path.resolve(capturePath);
        let size = 0, mtimeMs = 0;
        try { const st = fs.statSync(abs); size = st.size; mtimeMs = Math.floor(st.mtimeMs); } catch { /* reported by the reader */ }
        const id = Number(insCapture.run(abs, path.basename(abs), size, mtimeMs, now).lastInsertRowid);
        this.captures.push({ id, path: abs, name: path.basename(abs), sha256: '', format: 'unknown', status: 'complete', packets: 0, firstTsNs: null, lastTsNs: null, errors: [], failure: null });
        this.sizes.push(size);
      }
      return startRun(db, this.captures.map((c) => c.id), this.firstPacketId, this.firstFlowId);
    }).immediate();
  }

  /**
   * During the bulk load a crash costs a re-index, never evidence (the capture is untouched):
   * skip the fsync per batch and checkpoint less often. Durability is restored by endBulkLoad.
   */
  private startBulkLoad(): BulkLoad {
    const db = this.db;
    db.pragma('synchronous = OFF');
    db.pragma('wal_autocheckpoint = 16384');
    const orderedBefore = preparePacketLoad(db);
    const writer = new CaseWriter(db);
    return {
      writer,
      orderedBefore,
      hadHosts: maxId(db, 'SELECT count(*) FROM hosts') > 0,
      existingAddrs: db.prepare('SELECT id, addr FROM addrs').raw().all() as Array<[number, string]>,
      existingProtocols: db.prepare('SELECT id, name FROM protocols').raw().all() as Array<[number, string]>,
    };
  }

  /** The decode worker reads and decodes; its batches are written here as they arrive. */
  private async readCaptures(load: BulkLoad): Promise<void> {
    // The worker's tables are bounded (flows, pending DNS, names); the heap cap makes V8 collect
    // garbage instead of growing with the capture, so memory stays flat as captures get larger.
    const worker = new Worker(path.join(__dirname, 'decode-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const send = (m: WriterToWorker) => worker.postMessage(m);
    const onAbort = () => send({ type: 'cancel' });
    this.opts.signal?.addEventListener('abort', onAbort);
    if (this.opts.signal?.aborted) onAbort();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.on('error', (err: Error & { code?: string }) => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`the decoder ran out of its ${WORKER_HEAP_MB} MB memory budget: this capture holds more distinct addresses than Flowcase keeps in memory; the packets indexed so far are kept, marked incomplete`)
          : err));
        worker.on('exit', (code) => reject(new Error(`decode worker exited unexpectedly (code ${code})`)));
        worker.on('message', (m: WorkerToWriter) => {
          try {
            if (this.onWorkerMessage(m, load, send)) resolve();
          } catch (err) { reject(err); }
        });
        send({
          type: 'start', captures: this.captures.map((c) => ({ captureId: c.id, path: c.path })), firstPacketId: this.firstPacketId, firstFlowId: this.firstFlowId,
          existingAddrs: load.existingAddrs, existingProtocols: load.existingProtocols, batchSize: this.opts.batchSize ?? 8192,
        });
      });
    } catch (err) {
      // Nothing the worker still sends (a capture-done queued behind the failure) may write after this.
      worker.removeAllListeners('message');
      this.recordReadFailure(err);
      throw err;
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }

  /** Writes what the worker sent; true once the job is done (the last batch committed). */
  private onWorkerMessage(m: WorkerToWriter, load: BulkLoad, send: (m: WriterToWorker) => void): boolean {
    const { db, progress } = this;
    switch (m.type) {
      case 'batch':
        load.writer.writeBatch(m);
        pauseForTest('reading');
        progress.packets += m.count;
        progress.currentRead = m.fileBytesRead;
        if (!this.firstTsWritten && m.count > 0) {
          updateFirstTs(db, m.tsNs[0]);
          this.firstTsWritten = true;
          progress.emit();
        }
        send({ type: 'ack' });
        return false;
      case 'interface':
        load.writer.recordInterface(m);
        return false;
      case 'capture-done':
        this.finishCapture(m, load.writer);
        return false;
      case 'job-done':
        // The last batch, the hosts and the end of reading commit together.
        db.transaction(() => {
          load.writer.finishJob(m, load.hadHosts);
          setRunPhase(db, this.runId, 'indexing');
        })();
        this.cancelled = m.cancelled;
        return true;
      case 'fatal':
        throw new Error(`decode worker failed: ${m.message}`);
    }
  }

  private finishCapture(m: CaptureFinished, writer: CaseWriter): void {
    const capture = this.captures.find((x) => x.id === m.captureId)!;
    const size = this.sizes[this.captures.indexOf(capture)] ?? 0;
    applyCaptureResult(capture, m);
    if (this.opts.dropFailed && capture.status === 'failed') dropFailedCapture(this.db, capture);
    else {
      writer.finishCapture(m, capture.status, capture.status === 'failed' ? 'failed' : 'indexing');
      recordImport(this.db, capture, size);
    }
    this.progress.captureRead(size);
  }

  /** Leaves a consistent case behind: what was written stays, marked incomplete, with the reason. */
  private recordReadFailure(err: unknown): void {
    const { db, captures, progress } = this;
    progress.stop();
    const message = err instanceof Error ? err.message : String(err);
    db.transaction(() => {
      for (const c of captures) {
        if (c.status === 'complete' && progress.currentIndex <= captures.indexOf(c)) {
          db.prepare('INSERT INTO read_errors (capture_id, offset, message, fatal) VALUES (?, ?, ?, 1)').run(c.id, progress.currentRead, message);
        }
      }
      db.prepare("UPDATE captures SET status = 'incomplete', packet_count = (SELECT count(*) FROM packets WHERE capture_id = captures.id) WHERE status = 'indexing'").run();
      setCaseMeta(db, 'status', 'incomplete');
      // Every capture of this run: its real packet count, incomplete (the last batch may be lost), phase failed.
      db.prepare(`UPDATE captures SET status = CASE WHEN status = 'failed' THEN 'failed' ELSE 'incomplete' END, phase = 'failed',
        packet_count = (SELECT count(*) FROM packets WHERE capture_id = captures.id) WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(captures.map((c) => c.id)));
      db.prepare("UPDATE ingest_runs SET phase = 'failed' WHERE id = ?").run(this.runId);
      adoptCaptureComments(db);
      appendCustody(db, 'indexing.failed', { captures: captures.map((c) => c.id), packets: progress.packets, error: message });
    })();
  }

  private endBulkLoad(): void {
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('wal_autocheckpoint = 1000');
    this.progress.setPhase('indexing');
    // Captures the worker never reached (cancelled before them) are incomplete, not complete.
    if (this.cancelled) for (const c of this.captures) if (c.status === 'complete' && !c.packets && !c.errors.length) c.status = 'incomplete';
  }

  /** Indexes, roll-up and the move to 'analysing' commit together: killed meanwhile, the case still says 'indexing'. */
  private buildIndexes(load: BulkLoad): void {
    const db = this.db;
    db.transaction(() => {
      buildPacketIndexes(db, load.orderedBefore && load.writer.tsFollowsIds);
      rollUpTimeline(db);
      rebuildGraphPairs(db);
      updateFirstTs(db, null);
      db.prepare("UPDATE captures SET status = 'incomplete' WHERE status = 'indexing'").run();
      pauseForTest('indexing');
      setRunPhase(db, this.runId, 'analysing');
    })();
  }

  /** Findings, the case status and 'complete' commit together: killed meanwhile, the case still says 'analysing'. */
  private analyseAndComplete(): FindingSummary[] {
    const { db, captures, opts } = this;
    let findings: FindingSummary[] = [];
    const analyse = opts.analyse ?? null;
    if (analyse) this.progress.setPhase('detecting');
    const incomplete = this.cancelled || captures.some((c) => c.status !== 'complete' && !(opts.dropFailed && c.status === 'failed'));
    db.transaction(() => {
      if (analyse) findings = analyse(db);
      pauseForTest('analysing');
      setCaseMeta(db, 'status', incomplete ? 'incomplete' : 'complete');
      setRunPhase(db, this.runId, 'complete');
      // Earlier runs stopped after reading are completed by this run's indexes and detectors.
      if (analyse) completeEarlierRuns(db);
      adoptCaptureComments(db);
      appendCustody(db, 'indexing.finished', {
        captures: captures.map((c) => ({ id: c.id, name: c.name, status: c.status, packets: c.packets })),
        packets: this.progress.packets, cancelled: this.cancelled, findings: findings.length, seconds: Math.round((Date.now() - this.started) / 10) / 100,
      });
    }).immediate();
    return findings;
  }
}

/** The progress events: bytes and packets read so far, the phase, an ETA while reading. */
class ProgressTracker {
  packets = 0;
  /** Bytes of the captures already finished, and of the one being read. */
  bytesDone = 0;
  currentRead = 0;
  /** Index in `captures` of the capture being read. */
  currentIndex = 0;
  private phase: IngestProgress['phase'] = 'reading';
  private bytesTotal = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly jobId: number,
    private readonly captures: readonly IndexedCapture[],
    private readonly started: number,
    private readonly onProgress: ((p: IngestProgress) => void) | undefined,
  ) {}

  start(bytesTotal: number): void {
    this.bytesTotal = bytesTotal;
    this.timer = setInterval(() => this.emit(), PROGRESS_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  captureRead(size: number): void {
    this.bytesDone += size;
    this.currentRead = 0;
    this.currentIndex++;
  }

  /** A new phase is reported at once, not at the next tick. */
  setPhase(phase: IngestProgress['phase']): void {
    this.phase = phase;
    this.emit();
  }

  emit(): void {
    if (!this.onProgress) return;
    const { bytesTotal, packets, phase } = this;
    const elapsed = (Date.now() - this.started) / 1000;
    const bytesRead = Math.min(bytesTotal, this.bytesDone + this.currentRead);
    const rate = elapsed > 0 ? packets / elapsed : 0;
    const byteRate = elapsed > 0 ? bytesRead / elapsed : 0;
    this.onProgress({
      jobId: this.jobId, captureName: this.captures[Math.min(this.currentIndex, this.captures.length - 1)]?.name ?? '',
      bytesRead, bytesTotal, packets, packetsPerSec: Math.round(rate),
      etaSec: phase === 'reading' && byteRate > 0 ? Math.max(0, (bytesTotal - bytesRead) / byteRate) : null, phase,
    });
  }
}

function maxId(db: CaseDb, sql: string): number {
  return Number((db.prepare(sql).pluck().get() as number | null) ?? 0);
}

/** Custody: what was imported, identified by its SHA-256 computed during the indexing read. */
/** A failed import leaves no trace in the case but the custody entry saying it was refused. */
function dropFailedCapture(db: CaseDb, c: IndexedCapture): void {
  db.transaction(() => {
    for (const table of ['read_errors', 'interfaces', 'capture_comments']) db.prepare(`DELETE FROM ${table} WHERE capture_id = ?`).run(c.id);
    db.prepare('DELETE FROM captures WHERE id = ?').run(c.id);
    appendCustody(db, 'capture.import-failed', { name: c.name, path: c.path, failure: c.failure ?? 'nothing could be read' });
  })();
}

function recordImport(db: CaseDb, c: IndexedCapture, size: number): void {
  appendCustody(db, 'capture.imported', { captureId: c.id, name: c.name, path: c.path, size, sha256: c.sha256, format: c.format, status: c.status, ...(c.failure ? { failure: c.failure } : {}) });
}

function applyCaptureResult(c: IndexedCapture, m: CaptureFinished): void {
  c.format = m.format;
  c.sha256 = m.sha256;
  c.packets = m.packets;
  c.firstTsNs = m.firstTsNs;
  c.lastTsNs = m.lastTsNs;
  c.errors = m.errors;
  c.failure = m.failure;
  c.status = m.failure && m.packets === 0 ? 'failed' : m.stoppedEarly || m.errors.some((e) => e.fatal) ? 'incomplete' : 'complete';
}

/** case_meta.first_ts_ns anchors relative time; it is refreshed as captures are added. */
function updateFirstTs(db: CaseDb, candidate: bigint | null): void {
  const row = db.prepare('SELECT min(first_ts_ns) FROM captures').safeIntegers().pluck().get() as bigint | null;
  let first = row;
  if (candidate !== null && (first === null || candidate < first)) first = candidate;
  if (first === null) return;
  setCaseMeta(db, 'first_ts_ns', String(first));
}
