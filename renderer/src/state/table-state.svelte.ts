/** Conversations (flows.list) and endpoints (hosts.list): server-side sorting and paging. */
import type { FlowRow, HostRow, ListQuery } from '../../../electron/ipc/contract.js';
import { call, toApiError } from '../lib/api.js';

const PAGE = 300;

abstract class ListState<R> {
  rows = $state.raw<R[]>([]);
  total = $state(0);
  sort = $state<string>('');
  dir = $state<'asc' | 'desc'>('desc');
  loading = $state(false);
  error = $state<string | null>(null);
  loaded = $state(false);
  private gen = 0;

  constructor(defaultSort: string) {
    this.sort = defaultSort;
  }

  protected abstract fetch(q: ListQuery): Promise<{ rows: R[]; total: number }>;

  async load(): Promise<void> {
    const g = ++this.gen;
    this.loading = true;
    try {
      const r = await this.fetch({ sort: this.sort, dir: this.dir, limit: PAGE, offset: 0 });
      if (g !== this.gen) return;
      this.rows = r.rows;
      this.total = r.total;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (g !== this.gen) return;
      this.error = toApiError(e).message;
    } finally {
      if (g === this.gen) this.loading = false;
    }
  }

  async more(): Promise<void> {
    const g = ++this.gen;
    this.loading = true;
    try {
      const r = await this.fetch({ sort: this.sort, dir: this.dir, limit: PAGE, offset: this.rows.length });
      if (g !== this.gen) return;
      this.rows = this.rows.concat(r.rows);
      this.total = r.total;
    } catch (e) {
      if (g !== this.gen) return;
      this.error = toApiError(e).message;
    } finally {
      if (g === this.gen) this.loading = false;
    }
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
