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
    return await runJob(db, opts, started);
  } finally {
    db.close();
  }
}

async function runJob(db: CaseDb, opts: IndexOptions, started: number): Promise<IndexResult> {
  const jobId = opts.jobId ?? 1;
  // A run interrupted while reading left partial rows: remove them first so nothing counts twice.
  removeInterruptedRun(db);
  if (!opts.allowDuplicate) await refuseDuplicateCaptures(db, opts.captures);
  const now = new Date().toISOString();
  if (getCaseMeta(db, 'created_at') === undefined) setCaseMeta(db, 'created_at', now);
  setCaseMeta(db, 'status', 'indexing');

  // Register captures (stat only; the hash is computed alongside the decode).
  const captures: IndexedCapture[] = [];
  const sizes: number[] = [];
  const insCapture = db.prepare(`INSERT INTO captures (path, name, size, mtime_ms, sha256, format, status, imported_at, phase)
    VALUES (?, ?, ?, ?, '', 'unknown', 'indexing', ?, 'reading')`);
  const maxId = (sql: string) => Number((db.prepare(sql).pluck().get() as number | null) ?? 0);
  const firstPacketId = maxId('SELECT max(id) FROM packets') + 1;
  const firstFlowId = maxId('SELECT max(id) FROM flows') + 1;
  // The capture rows and the run's 'reading' phase are one transaction: a crash after it is recognisable.
  const runId = db.transaction(() => {
    for (const p of opts.captures) {
      const abs = path.resolve(p);
      let size = 0, mtimeMs = 0;
      try { const st = fs.statSync(abs); size = st.size; mtimeMs = Math.floor(st.mtimeMs); } catch { /* reported by the reader */ }
      const id = Number(insCapture.run(abs, path.basename(abs), size, mtimeMs, now).lastInsertRowid);
      captures.push({ id, path: abs, name: path.basename(abs), sha256: '', format: 'unknown', status: 'complete', packets: 0, firstTsNs: null, lastTsNs: null, errors: [], failure: null });
      sizes.push(size);
    }
    return startRun(db, captures.map((c) => c.id), firstPacketId, firstFlowId);
  }).immediate();

  // During the bulk load a crash costs a re-index, never evidence (the capture is untouched):
  // skip the fsync per batch and checkpoint less often. Durability is restored before the end.
  db.pragma('synchronous = OFF');
  db.pragma('wal_autocheckpoint = 16384');
  const orderedBefore = preparePacketLoad(db);
  const writer = new CaseWriter(db);
  const hadHosts = maxId('SELECT count(*) FROM hosts') > 0;
  const existingAddrs = db.prepare('SELECT id, addr FROM addrs').raw().all() as Array<[number, string]>;
  const existingProtocols = db.prepare('SELECT id, name FROM protocols').raw().all() as Array<[number, string]>;
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);

  let packets = 0, bytesDone = 0, currentRead = 0, currentIndex = 0;
  let phase: IngestProgress['phase'] = 'reading';
  let firstTsWritten = false;
  const emit = () => {
    if (!opts.onProgress) return;
    const elapsed = (Date.now() - started) / 1000;
    const bytesRead = Math.min(bytesTotal, bytesDone + currentRead);
    const rate = elapsed > 0 ? packets / elapsed : 0;
    const byteRate = elapsed > 0 ? bytesRead / elapsed : 0;
    opts.onProgress({
      jobId, captureName: captures[Math.min(currentIndex, captures.length - 1)]?.name ?? '',
      bytesRead, bytesTotal, packets, packetsPerSec: Math.round(rate),
      etaSec: phase === 'reading' && byteRate > 0 ? Math.max(0, (bytesTotal - bytesRead) / byteRate) : null, phase,
    });
  };
  const timer = setInterval(emit, PROGRESS_EVERY_MS);

  // The worker's tables are bounded (flows, pending DNS, names); the heap cap makes V8 collect
  // garbage instead of growing with the capture, so memory stays flat as captures get larger.
  const worker = new Worker(path.join(__dirname, 'decode-worker.js'), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const send = (m: WriterToWorker) => worker.postMessage(m);
  const onAbort = () => send({ type: 'cancel' });
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) onAbort();

  let cancelled = false;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('error', (err: Error & { code?: string }) => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new Error(`the decoder ran out of its ${WORKER_HEAP_MB} MB memory budget: this capture holds more distinct addresses than Flowcase keeps in memory; the packets indexed so far are kept, marked incomplete`)
        : err));
      worker.on('exit', (code) => reject(new Error(`decode worker exited unexpectedly (code ${code})`)));
      worker.on('message', (m: WorkerToWriter) => {
        try {
          switch (m.type) {
            case 'batch':
              writer.writeBatch(m);
              pauseForTest('reading');
              packets += m.count;
              currentRead = m.fileBytesRead;
              if (!firstTsWritten && m.count > 0) { updateFirstTs(db, m.tsNs[0]); firstTsWritten = true; emit(); }
              send({ type: 'ack' });
              break;
            case 'interface':
              writer.recordInterface(m);
              break;
            case 'capture-done': {
              const c = captures.find((x) => x.id === m.captureId)!;
              applyCaptureResult(c, m);
              if (opts.dropFailed && c.status === 'failed') dropFailedCapture(db, c);
              else {
                writer.finishCapture(m, c.status, c.status === 'failed' ? 'failed' : 'indexing');
                recordImport(db, c, sizes[captures.indexOf(c)] ?? 0);
              }
              bytesDone += sizes[captures.indexOf(c)] ?? 0;
              currentRead = 0;
              currentIndex++;
              break;
            }
            case 'job-done':
              // The last batch, the hosts and the end of reading commit together.
              db.transaction(() => { writer.finishJob(m, hadHosts); setRunPhase(db, runId, 'indexing'); })();
              cancelled = m.cancelled;
              resolve();
              break;
            case 'fatal':
              reject(new Error(`decode worker failed: ${m.message}`));
              break;
          }
        } catch (err) { reject(err); }
      });
      send({ type: 'start', captures: captures.map((c) => ({ captureId: c.id, path: c.path })), firstPacketId, firstFlowId, existingAddrs, existingProtocols, batchSize: opts.batchSize ?? 8192 });
    });
  } catch (err) {
    // Nothing the worker still sends (a capture-done queued behind the failure) may write after this.
    worker.removeAllListeners('message');
    // Leave a consistent case behind: what was written stays, marked incomplete, with the reason.
    clearInterval(timer);
    const message = err instanceof Error ? err.message : String(err);
    db.transaction(() => {
      for (const c of captures) {
        if (c.status === 'complete' && currentIndex <= captures.indexOf(c)) {
          db.prepare('INSERT INTO read_errors (capture_id, offset, message, fatal) VALUES (?, ?, ?, 1)').run(c.id, currentRead, message);
        }
      }
      db.prepare("UPDATE captures SET status = 'incomplete', packet_count = (SELECT count(*) FROM packets WHERE capture_id = captures.id) WHERE status = 'indexing'").run();
      setCaseMeta(db, 'status', 'incomplete');
      // Every capture of this run: its real packet count, incomplete (the last batch may be lost), phase failed.
      db.prepare(`UPDATE captures SET status = CASE WHEN status = 'failed' THEN 'failed' ELSE 'incomplete' END, phase = 'failed',
        packet_count = (SELECT count(*) FROM packets WHERE capture_id = captures.id) WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(captures.map((c) => c.id)));
      db.prepare("UPDATE ingest_runs SET phase = 'failed' WHERE id = ?").run(runId);
      adoptCaptureComments(db);
      appendCustody(db, 'indexing.failed', { captures: captures.map((c) => c.id), packets, error: message });
    })();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    worker.removeAllListeners('exit');
    await worker.terminate();
  }

  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 1000');
  phase = 'indexing';
  emit();
  // Captures the worker never reached (cancelled before them) are incomplete, not complete.
  if (cancelled) for (const c of captures) if (c.status === 'complete' && !c.packets && !c.errors.length) c.status = 'incomplete';
  // Indexes, roll-up and the move to 'analysing' commit together: killed meanwhile, the case still says 'indexing'.
  db.transaction(() => {
    buildPacketIndexes(db, orderedBefore && writer.tsFollowsIds);
    rollUpTimeline(db);
    rebuildGraphPairs(db);
    updateFirstTs(db, null);
    db.prepare("UPDATE captures SET status = 'incomplete' WHERE status = 'indexing'").run();
    pauseForTest('indexing');
    setRunPhase(db, runId, 'analysing');
  })();

  let findings: FindingSummary[] = [];
  const analyse = opts.analyse ?? null;
  if (analyse) {
    phase = 'detecting';
    emit();
  }
  const incomplete = cancelled || captures.some((c) => c.status !== 'complete' && !(opts.dropFailed && c.status === 'failed'));
  // Findings, the case status and 'complete' commit together: killed meanwhile, the case still says 'analysing'.
  db.transaction(() => {
    if (analyse) findings = analyse(db);
    pauseForTest('analysing');
    setCaseMeta(db, 'status', incomplete ? 'incomplete' : 'complete');
    setRunPhase(db, runId, 'complete');
    // Earlier runs stopped after reading are completed by this run's indexes and detectors.
    if (analyse) completeEarlierRuns(db);
    adoptCaptureComments(db);
    appendCustody(db, 'indexing.finished', {
      captures: captures.map((c) => ({ id: c.id, name: c.name, status: c.status, packets: c.packets })),
      packets, cancelled, findings: findings.length, seconds: Math.round((Date.now() - started) / 10) / 100,
    });
  }).immediate();
  db.pragma('analysis_limit = 1000');
  db.exec('ANALYZE');
  phase = 'done';
  clearInterval(timer);
  emit();
  return { casePath: opts.casePath, packets, captures, cancelled, findings, seconds: (Date.now() - started) / 1000 };
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
