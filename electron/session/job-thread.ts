/**
 * Runs one ingest job off the caller's thread. indexCaptures decodes in its own worker but writes
 * batches on the thread that calls it; running it here keeps those transactions off the Electron
 * main process and the browser-mode server's event loop, so IPC and HTTP stay responsive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runDetectors } from '../analysis/run-detectors';
import { indexCaptures } from '../ingest/index-captures';
import { summarise, type IngestWorkerData, type ManagerToWorker, type WorkerToManager } from './job-thread-messages';

const port = parentPort;
if (!port) throw new Error('job-thread.js must run as a worker thread');
const data = workerData as IngestWorkerData;
const controller = new AbortController();
const post = (m: WorkerToManager) => port.postMessage(m);

port.on('message', (m: ManagerToWorker) => {
  if (m?.type === 'cancel') controller.abort();
});

indexCaptures({
  casePath: data.casePath,
  captures: data.captures,
  jobId: data.jobId,
  analyse: data.detect ? runDetectors : undefined,
  dropFailed: data.dropFailed,
  signal: controller.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
}).then(
  (result) => { post({ type: 'done', summary: summarise(result) }); port.close(); },
  (err: unknown) => { post({ type: 'failed', message: err instanceof Error ? err.message : String(err) }); port.close(); },
);
