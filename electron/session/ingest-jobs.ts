/**
 * The ingest job manager: `capture.import` queues a job, jobs run one at a time (they all write
 * the same case, and packet ids are case-wide), each in a worker thread. Progress is forwarded
 * as 'ingest.progress' at most every 250 ms (phase changes at once), then 'ingest.done' and
 * 'case.changed'. Cancel goes through the job's AbortController inside the worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IngestProgress } from '../model/ingest-progress';
import type { EventHub } from '../ipc/events';
import { runDetectors } from '../analysis/run-detectors';
import { indexCaptures } from '../ingest/index-captures';
import { summarise, type IngestSummary, type IngestWorkerData, type WorkerToManager } from './job-thread-messages';

export const PROGRESS_INTERVAL_MS = 250;

export interface IngestJobsOptions {
  /** Run the detectors after indexing (default true). */
  detect?: boolean;
  /** 'worker' (default) runs each job in a worker thread; 'inline' runs it on this thread (tests, or where workers cannot load). */
  mode?: 'worker' | 'inline';
}

interface Job {
  id: number;
  casePath: string;
  paths: string[];
  state: 'queued' | 'running' | 'finished';
  cancelRequested: boolean;
  cancel?: () => void;
  last?: IngestProgress;
  lastSentAt: number;
  pending?: IngestProgress;
  timer?: NodeJS.Timeout;
}

export class IngestJobs {
  private nextId = 1;
  private readonly jobs = new Map<number, Job>();
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly events: EventHub, private readonly opts: IngestJobsOptions = {}) {}

  /** Queue captures for indexing into `casePath`; resolves the job id at once. */
  start(casePath: string, paths: string[]): number {
    const job: Job = { id: this.nextId++, casePath, paths: paths.map((p) => path.resolve(p)), state: 'queued', cancelRequested: false, lastSentAt: 0 };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    // The first progress goes out immediately so the UI shows the job even before the worker starts.
    this.progress(job, { jobId: job.id, captureName: path.basename(job.paths[0] ?? ''), bytesRead: 0, bytesTotal: totalSize(job.paths), packets: 0, packetsPerSec: 0, etaSec: null, phase: 'reading' });
    this.pump();
    return job.id;
  }

  /** False when the job is unknown or already finished. */
  cancel(jobId: number): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.state === 'finished') return false;
    job.cancelRequested = true;
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, { packets: 0, cancelled: true, errors: [], ok: false });
    } else {
      job.cancel?.();
    }
    return true;
  }

  busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  /** The latest progress of unfinished jobs, for clients that connect mid-job. */
  snapshot(): IngestProgress[] {
    return [...this.jobs.values()].filter((j) => j.state !== 'finished' && j.last).map((j) => j.last!);
  }

  whenIdle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancel everything and wait for the running job to stop writing. */
  async shutdown(): Promise<void> {
    for (const job of [...this.jobs.values()]) this.cancel(job.id);
    await this.whenIdle();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    job.state = 'running';
    const run = this.opts.mode === 'inline' ? this.runInline(job) : this.runInWorker(job);
    run.then(
      (summary) => this.finish(job, summary),
      (err: unknown) => this.finish(job, { packets: job.last?.packets ?? 0, cancelled: job.cancelRequested, errors: [`indexing failed: ${err instanceof Error ? err.message : String(err)}`], ok: false }),
    );
  }

  private runInWorker(job: Job): Promise<IngestSummary> {
    return new Promise((resolve, reject) => {
      const data: IngestWorkerData = { casePath: job.casePath, captures: job.paths, jobId: job.id, detect: this.opts.detect !== false, dropFailed: true };
      const worker = new Worker(path.join(__dirname, 'job-thread.js'), { workerData: data });
      let settled = false;
      job.cancel = () => worker.postMessage({ type: 'cancel' });
      if (job.cancelRequested) job.cancel();
      worker.on('message', (m: WorkerToManager) => {
        if (m.type === 'progress') this.progress(job, m.progress);
        else if (m.type === 'done') { settled = true; resolve(m.summary); }
        else if (m.type === 'failed') { settled = true; reject(new Error(m.message)); }
      });
      worker.on('error', (err) => { if (!settled) { settled = true; reject(err); } });
      worker.on('exit', (code) => { if (!settled) { settled = true; reject(new Error(`ingest worker exited with code ${code}`)); } });
    });
  }

  private async runInline(job: Job): Promise<IngestSummary> {
    const controller = new AbortController();
    job.cancel = () => controller.abort();
    if (job.cancelRequested) controller.abort();
    const result = await indexCaptures({
      casePath: job.casePath, captures: job.paths, jobId: job.id, analyse: this.opts.detect !== false ? runDetectors : undefined, dropFailed: true,
      signal: controller.signal, onProgress: (p) => this.progress(job, p),
    });
    return summarise(result);
  }

  /** Throttle to one event per interval per job; a phase change is sent at once, the rest trail. */
  private progress(job: Job, p: IngestProgress): void {
    const phaseChanged = job.last?.phase !== p.phase;
    job.last = { ...p, jobId: job.id };
    const now = Date.now();
    if (phaseChanged || now - job.lastSentAt >= PROGRESS_INTERVAL_MS) {
      this.send(job, job.last);
      return;
    }
    job.pending = job.last;
    if (!job.timer) {
      job.timer = setTimeout(() => {
        job.timer = undefined;
        if (job.pending && job.state !== 'finished') this.send(job, job.pending);
      }, PROGRESS_INTERVAL_MS - (now - job.lastSentAt));
    }
  }

  private send(job: Job, p: IngestProgress): void {
    job.pending = undefined;
    job.lastSentAt = Date.now();
    this.events.emit('ingest.progress', p);
  }

  private finish(job: Job, summary: IngestSummary): void {
    if (job.state === 'finished') return;
    if (job.timer) clearTimeout(job.timer);
    job.state = 'finished';
    if (job.last && job.last.phase !== 'done') {
      this.send(job, { ...job.last, phase: 'done', packets: summary.packets, bytesRead: job.last.bytesTotal, etaSec: 0 });
    }
    this.events.emit('ingest.done', { jobId: job.id, ok: summary.ok && !summary.cancelled, packets: summary.packets, errors: summary.errors, cancelled: summary.cancelled });
    this.events.emit('case.changed', { casePath: job.casePath });
    if (this.running === job) this.running = null;
    // Keep finished jobs out of the map so a long session does not accumulate them.
    this.jobs.delete(job.id);
    this.pump();
    if (!this.busy()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

function totalSize(paths: string[]): number {
  let n = 0;
  for (const p of paths) {
    try { n += fs.statSync(p).size; } catch { /* reported by the reader */ }
  }
  return n;
}
