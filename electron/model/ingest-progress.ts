/** Progress and outcome of an ingest job, pushed to the UI and printed by the CLI. */

export interface IngestProgress {
  jobId: number;
  captureName: string;
  bytesRead: number;
  bytesTotal: number;
  packets: number;
  packetsPerSec: number;
  etaSec: number | null;
  phase: 'reading' | 'indexing' | 'detecting' | 'done';
}

export interface IngestDone {
  jobId: number;
  ok: boolean;
  packets: number;
  errors: string[];
  cancelled: boolean;
}
