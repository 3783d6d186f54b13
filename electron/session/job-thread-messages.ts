/** Messages between the ingest job manager and its worker thread (job-thread.ts). */
import type { IngestProgress } from '../model/ingest-progress';

export interface IngestWorkerData {
  casePath: string;
  captures: string[];
  jobId: number;
  detect: boolean;
  dropFailed?: boolean;
}

export interface IngestSummary {
  packets: number;
  cancelled: boolean;
  /** One line per problem, naming the capture and the byte offset. */
  errors: string[];
  /** True when at least one capture produced packets or indexed cleanly. */
  ok: boolean;
}

export type ManagerToWorker = { type: 'cancel' };
export type WorkerToManager =
  | { type: 'progress'; progress: IngestProgress }
  | { type: 'done'; summary: IngestSummary }
  | { type: 'failed'; message: string };

/** Shape of indexCaptures' result that the summary needs (kept structural on purpose). */
export interface IndexResultLike {
  packets: number;
  cancelled: boolean;
  captures: Array<{ name: string; status: string; failure: string | null; errors: Array<{ offset: number; message: string; fatal: boolean }> }>;
}

export function summarise(r: IndexResultLike): IngestSummary {
  const errors: string[] = [];
  for (const c of r.captures) {
    if (c.failure) errors.push(`${c.name}: ${c.failure}`);
    for (const e of c.errors) errors.push(`${c.name}: ${e.message} (byte ${e.offset})${e.fatal ? ' — reading stopped here; packets before it were indexed' : ''}`);
  }
  const ok = r.captures.length > 0 && r.captures.some((c) => c.status !== 'failed');
  return { packets: r.packets, cancelled: r.cancelled, errors: errors.slice(0, 200), ok };
}
