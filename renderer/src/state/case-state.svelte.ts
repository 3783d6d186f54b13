/** The open case: overview (captures, counts, findings) and the running ingest job. */
import type { CaseOverview, FindingSummary, IngestDone, IngestProgress } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';
import { sortFindings } from '../lib/severity.js';

export class CaseState {
  overview = $state.raw<CaseOverview | null>(null);
  loading = $state(true);
  error = $state<string | null>(null);
  progress = $state.raw<IngestProgress | null>(null);
  lastDone = $state.raw<IngestDone | null>(null);
  /** Set when an import was requested, until the first progress event arrives. */
  starting = $state<string | null>(null);

  findings: FindingSummary[] = $derived(sortFindings(this.overview?.findings ?? []));
  hasPackets = $derived((this.overview?.packetCount ?? 0) > 0);
  indexing = $derived(this.progress !== null || this.starting !== null || this.overview?.status === 'indexing');
  caseName = $derived(caseNameOf(this.overview?.casePath ?? ''));
  /**
   * The case's state in one word for the badge: the running phase while a job runs (reading with its
   * percentage, indexing, analysing), and "complete" only once the detectors have finished.
   */
  badge: string = $derived.by(() => {
    const p = this.progress;
    if (p) {
      if (p.phase === 'reading') return p.bytesTotal > 0 ? `reading ${Math.min(100, Math.floor((p.bytesRead / p.bytesTotal) * 100))}%` : 'reading';
      if (p.phase === 'indexing') return 'indexing';
      if (p.phase === 'detecting') return 'analysing…';
    }
    if (this.starting !== null) return 'starting';
    // A page opened mid-job (or between progress events) learns the phase from the overview.
    if (this.overview?.status === 'analysing') return 'analysing…';
    return this.overview?.status ?? '';
  });
  /** The detectors have not produced this case's findings yet. */
  analysing = $derived(this.progress !== null || this.starting !== null || this.overview?.status === 'indexing' || this.overview?.status === 'analysing');

  private readonly latest = new LatestRequest();

  async refresh(): Promise<void> {
    const newest = await this.latest.run(
      () => call('case.overview', {}),
      (o) => {
        this.overview = o;
        this.error = null;
      },
      (e) => (this.error = toCallError(e).message),
    );
    if (newest) this.loading = false;
  }

  onProgress(p: IngestProgress): void {
    this.starting = null;
    this.progress = p.phase === 'done' ? null : p;
  }

  onDone(d: IngestDone): void {
    this.starting = null;
    this.progress = null;
    this.lastDone = d;
  }
}

function caseNameOf(path: string): string {
  if (!path) return '';
  const parts = path.split(/[\\/]/);
  return (parts[parts.length - 1] || path).replace(/\.flowcase$/i, '');
}
