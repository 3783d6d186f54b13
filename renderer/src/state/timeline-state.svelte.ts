/** Timeline series for the visible time window (whole case, or zoomed by brush / finding). */
import type { PacketQuery, TimelineDim, TimelineMetric, TimelineQuery, TimelineSeries } from '../../../electron/ipc/contract.js';
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
  /** The workbench scope, drawn over the whole-case traffic; empty = no second layer. */
  scope = $state.raw<PacketQuery>({});
  scoped = $derived(Object.keys(this.scope).length > 0);
  private caseFirst: string | null = null;
  private caseLast: string | null = null;

  zoomed = $derived(this.viewFrom !== null);
  private readonly latest = new LatestRequest();

  /** Fetches the series for [from, to] (the case span when not zoomed). */
  async load(caseFirst: string | null, caseLast: string | null): Promise<void> {
    if (caseFirst === null || caseLast === null) {
      this.series = null;
      return;
    }
    this.caseFirst = caseFirst;
    this.caseLast = caseLast;
    const from = this.viewFrom ?? caseFirst;
    const to = this.viewTo ?? caseLast;
    const q: TimelineQuery = { from, to, metric: this.metric, dim: this.dim, buckets: this.buckets };
    if (this.scope.filter) q.scopeFilter = this.scope.filter;
    if (this.scope.from) q.scopeFrom = this.scope.from;
    if (this.scope.to) q.scopeTo = this.scope.to;
    if (this.scope.findingId !== undefined) q.scopeFindingId = this.scope.findingId;
    this.loading = true;
    const newest = await this.latest.run(
      () => call('timeline.get', q),
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

  /** The scope changed: redraw the scoped layer. */
  setScope(scope: PacketQuery): void {
    const { filter, from, to, findingId } = scope;
    this.scope = { ...(filter ? { filter } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(findingId !== undefined ? { findingId } : {}) };
    void this.load(this.caseFirst, this.caseLast);
  }

  toggleKey(key: string): void {
    const next = new Set(this.hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.hidden = next;
  }
}
