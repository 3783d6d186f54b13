/** Conversations (flows.list) and endpoints (hosts.list): server-side sorting and paging. */
import type { FlowRow, HostRow, ListQuery } from '../../../electron/ipc/contract.js';
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
  private readonly latest = new LatestRequest();

  constructor(defaultSort: string) {
    this.sort = defaultSort;
  }

  protected abstract fetch(q: ListQuery): Promise<{ rows: R[]; total: number }>;

  async load(): Promise<void> {
    this.loading = true;
    const newest = await this.latest.run(
      () => this.fetch({ sort: this.sort, dir: this.dir, limit: PAGE, offset: 0 }),
      (r) => {
        this.rows = r.rows;
        this.total = r.total;
        this.error = null;
        this.loaded = true;
      },
      (e) => (this.error = toCallError(e).message),
    );
    if (newest) this.loading = false;
  }

  async more(): Promise<void> {
    this.loading = true;
    const newest = await this.latest.run(
      () => this.fetch({ sort: this.sort, dir: this.dir, limit: PAGE, offset: this.rows.length }),
      (r) => {
        this.rows = this.rows.concat(r.rows);
        this.total = r.total;
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
