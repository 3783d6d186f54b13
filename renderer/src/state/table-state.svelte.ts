/**
 * Conversations (flows.list) and endpoints (hosts.list): server-side sorting, keyset paging to the
 * end, quick search, aggregated over the workbench's scope (filter ∧ time ∧ evidence).
 */
import type { FlowRow, HostRow, ListQuery, PacketQuery } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';

const PAGE = 300;

export abstract class ListState<R> {
  rows = $state.raw<R[]>([]);
  total = $state(0);
  sort = $state<string>('');
  dir = $state<'asc' | 'desc'>('desc');
  loading = $state(false);
  error = $state<string | null>(null);
  loaded = $state(false);
  /** The next page's cursor; null at the end. */
  cursor = $state<string | null>(null);
  search = $state('');
  /** The scope the rows aggregate over (empty: the whole case). */
  scope = $state.raw<PacketQuery>({});
  private readonly latest = new LatestRequest();
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(defaultSort: string) {
    this.sort = defaultSort;
  }

  protected abstract fetch(q: ListQuery): Promise<{ rows: R[]; total: number; cursor: string | null }>;

  private query(): ListQuery {
    const q: ListQuery = { sort: this.sort, dir: this.dir, limit: PAGE, ...this.scope };
    if (this.search.trim()) q.search = this.search.trim();
    return q;
  }

  get hasMore(): boolean {
    return this.cursor !== null;
  }

  /** The scope changed: reload now if the table was shown, else on first show. */
  setScope(scope: PacketQuery): void {
    const { filter, from, to, findingId } = scope;
    this.scope = { ...(filter ? { filter } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(findingId !== undefined ? { findingId } : {}) };
    if (this.loaded) void this.load();
  }

  /** Quick search, debounced. */
  setSearch(text: string): void {
    this.search = text;
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), 200);
  }

  async load(): Promise<void> {
    this.loading = true;
    const newest = await this.latest.run(
      () => this.fetch(this.query()),
      (r) => {
        this.rows = r.rows;
        this.total = r.total;
        this.cursor = r.cursor;
        this.error = null;
        this.loaded = true;
      },
      (e) => (this.error = toCallError(e).message),
    );
    if (newest) this.loading = false;
  }

  async more(): Promise<void> {
    if (this.cursor === null || this.loading) return;
    this.loading = true;
    const cursor = this.cursor;
    const newest = await this.latest.run(
      () => this.fetch({ ...this.query(), cursor }),
      (r) => {
        this.rows = this.rows.concat(r.rows);
        this.total = r.total;
        this.cursor = r.cursor;
      },
      (e) => (this.error = toCallError(e).message),
    );
    if (newest) this.loading = false;
  }

  /** Clicking a header: same column flips the direction, a new column starts descending (biggest first). */
  toggleSort(column: string, textual = false): void {
    if (this.sort === column) this.dir = this.dir === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = column;
      this.dir = textual ? 'asc' : 'desc';
    }
    void this.load();
  }
}

export class FlowTable extends ListState<FlowRow> {
  constructor() {
    super('bytes');
  }
  protected fetch(q: ListQuery) {
    return call('flows.list', q);
  }
}

export class HostTable extends ListState<HostRow> {
  constructor() {
    super('bytes');
  }
  protected fetch(q: ListQuery) {
    return call('hosts.list', q);
  }
}
