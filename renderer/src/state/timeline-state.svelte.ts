/** Timeline series for the visible time window (whole case, or zoomed by brush / finding). */
import type { TimelineDim, TimelineMetric, TimelineSeries } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';
import type { AxisMode } from '../charts/time-axis.js';

export class TimelineState {
  metric = $state<TimelineMetric>('packets');
  dim = $state<TimelineDim>('proto');
  axis = $state<AxisMode>('utc');
  /** Zoomed window (ns strings); null = the whole case. */
  viewFrom = $state<string | null>(null);
  viewTo = $state<string | null>(null);
  series = $state.raw<TimelineSeries | null>(null);
  /** The window the series was fetched for. */
  seriesFrom = $state<string | null>(null);
  seriesTo = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Keys switched off in the legend. */
  hidden = $state.raw<ReadonlySet<string>>(new Set());
  buckets = $state(300);

  zoomed = $derived(this.viewFrom !== null);
  private readonly latest = new LatestRequest();

  /** Fetches the series for [from, to] (the case span when not zoomed). */
  async load(caseFirst: string | null, caseLast: string | null): Promise<void> {
    if (caseFirst === null || caseLast === null) {
      this.series = null;
      return;
    }
    const from = this.viewFrom ?? caseFirst;
    const to = this.viewTo ?? caseLast;
    this.loading = true;
    const newest = await this.latest.run(
      () => call('timeline.get', { from, to, metric: this.metric, dim: this.dim, buckets: this.buckets }),
      (s) => {
        this.series = s;
        this.seriesFrom = from;
        this.seriesTo = to;
        this.error = null;
      },
      (e) => (this.error = toCallError(e).message),
    );
    if (newest) this.loading = false;
  }

  toggleKey(key: string): void {
    const next = new Set(this.hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.hidden = next;
  }
}
