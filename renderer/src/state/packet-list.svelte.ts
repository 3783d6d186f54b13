/**
 * The virtual packet list: a bounded window of rows fetched by keyset paging, the scroll
 * position as a (float) row index, and the selection. The component only draws what this
 * class says is visible and reports scrolling and viewport size back.
 */
import type { PacketQuery, PacketRow } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import {
  addAnchor, appendPage, emptyWindow, estimateId, estimateIndex, indexOfId, nextFetch, normalise, prependPage,
  rowAt, type Anchor, type RowWindow,
} from '../lib/row-window.js';
import { clamp, ensureVisible, maxTopIndex, visibleRange, type ListGeometry } from '../lib/virtual-window.js';

export const PAGE_SIZE = 200;
const MAX_ROWS = 1200;
const MARGIN = 60;
export const ROW_HEIGHT = 21;

export class PacketList {
  win = $state.raw<RowWindow<PacketRow>>(emptyWindow());
  /** Exact number of rows matching the query, once packets.count answered. */
  total = $state<number | null>(null);
  topIndex = $state(0);
  viewportHeight = $state(400);
  selectedId = $state<number | null>(null);
  /** First load of a query in flight (the list shows "Loading…" rather than "no packets"). */
  loading = $state(false);
  error = $state<string | null>(null);
  /** The query the rows belong to. */
  query = $state.raw<PacketQuery>({});

  readonly rowHeight = ROW_HEIGHT;

  /** Row count used for scrolling: exact when known, otherwise what is loaded plus a page. */
  displayTotal = $derived(
    this.total ?? this.win.base + this.win.rows.length + (this.win.hasAfter ? PAGE_SIZE : 0),
  );
  geometry: ListGeometry = $derived({ total: this.displayTotal, rowHeight: ROW_HEIGHT, viewportHeight: this.viewportHeight });
  range = $derived(visibleRange(this.topIndex, this.geometry));
  selectedIndex = $derived(this.selectedId === null ? -1 : indexOfId(this.win, this.selectedId));

  private gen = 0;
  private busy = false;
  private again = false;
  private firstId = 0;
  private lastId = 0;
  private anchors: Anchor[] = [];
  /** Whether packets.count honours `before` (then it gives exact list positions); null = not yet known. */
  private countsBefore: boolean | null = null;
  private pendingSelect: number | null = null;
  private onSelect: (id: number | null) => void;

  constructor(onSelect: (id: number | null) => void) {
    this.onSelect = onSelect;
  }

  rowAt(index: number): PacketRow | undefined {
    return rowAt(this.win, index);
  }

  /** Loads a new query from the top (or around `focusId` when given). */
  async reset(query: PacketQuery, focusId: number | null = null): Promise<void> {
    const g = ++this.gen;
    this.query = query;
    this.loading = true;
    this.error = null;
    try {
      const [first, last, count] = await Promise.all([
        call('packets.page', { ...query, limit: PAGE_SIZE }),
        call('packets.page', { ...query, before: Number.MAX_SAFE_INTEGER, limit: 1 }),
        call('packets.count', query).catch(() => null),
      ]);
      if (g !== this.gen) return;
      const firstRows = first.rows.slice().sort((a, b) => a.id - b.id);
      this.firstId = firstRows[0]?.id ?? 0;
      this.lastId = last.rows[0]?.id ?? this.firstId;
      this.anchors = [];
      this.total = count ? count.count : null;
      this.win = { base: 0, rows: firstRows, hasBefore: false, hasAfter: first.hasMore };
      this.topIndex = 0;
      this.loading = false;
      // Like Wireshark: after a new filter the selected packet stays selected if it still matches.
      const focus = focusId ?? this.selectedId;
      if (focus !== null) {
        const found = await this.goTo(focus).catch(() => false);
        if (g !== this.gen) return;
        if (!found) this.select(null);
      }
      void this.pump();
    } catch (e) {
      if (g !== this.gen) return;
      this.loading = false;
      this.win = emptyWindow();
      this.total = 0;
      this.error = toCallError(e).message;
    }
  }

  /** New rows may have arrived (live ingest): refresh the count and, at the tail, append. */
  async refreshTail(): Promise<void> {
    const g = this.gen;
    try {
      const count = await call('packets.count', this.query);
      if (g !== this.gen) return;
      this.total = count.count;
      if (this.win.rows.length === 0) {
        await this.reset(this.query);
        return;
      }
      if (!this.win.hasAfter) this.win = { ...this.win, hasAfter: true };
      const last = await call('packets.page', { ...this.query, before: Number.MAX_SAFE_INTEGER, limit: 1 });
      if (g !== this.gen) return;
      this.lastId = last.rows[0]?.id ?? this.lastId;
      void this.pump();
    } catch {
      // A failed background refresh leaves the list as it was.
    }
  }

  /** Re-read the loaded rows in place (annotation markers changed); position and selection stay. */
  async refreshRows(): Promise<void> {
    const rows = this.win.rows;
    if (rows.length === 0) return;
    // Under an annotation filter the set of rows itself may change: reload around the selection.
    if (/annotation|frame\.comment/.test(this.query.filter ?? '')) {
      await this.reset(this.query);
      return;
    }
    const g = this.gen;
    const fresh = new Map<number, PacketRow>();
    let after = rows[0].id - 1;
    try {
      while (fresh.size < rows.length) {
        const page = await call('packets.page', { ...this.query, after, limit: Math.min(1000, rows.length - fresh.size) });
        if (g !== this.gen) return;
        for (const r of page.rows) fresh.set(r.id, r);
        if (!page.hasMore || page.rows.length === 0) break;
        after = page.rows[page.rows.length - 1].id;
      }
    } catch {
      return; // the list stays as it was
    }
    this.win = { ...this.win, rows: rows.map((r) => fresh.get(r.id) ?? r) };
  }

  setViewport(height: number): void {
    if (height > 0 && height !== this.viewportHeight) {
      this.viewportHeight = height;
      void this.pump();
    }
  }

  scrollTo(topIndex: number): void {
    this.topIndex = clamp(topIndex, 0, maxTopIndex(this.geometry));
    void this.pump();
  }

  select(id: number | null): void {
    this.pendingSelect = null;
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.onSelect(id);
  }

  /** Moves the selection by `delta` rows (arrow keys, page keys), scrolling as needed. */
  move(delta: number): void {
    const total = this.displayTotal;
    if (total <= 0) return;
    const from = this.selectedIndex >= 0 ? this.selectedIndex : Math.floor(this.topIndex) - (delta > 0 ? 1 : 0);
    this.selectIndex(clamp(from + delta, 0, total - 1));
  }

  selectIndex(index: number): void {
    this.topIndex = ensureVisible(index, this.topIndex, this.geometry);
    const row = this.rowAt(index);
    if (row) this.select(row.id);
    else this.pendingSelect = index;
    void this.pump();
  }

  /** Scrolls to packet `id` and selects it; false when it is not in the current list. */
  async goTo(id: number): Promise<boolean> {
    const g = this.gen;
    const known = indexOfId(this.win, id);
    if (known >= 0) {
      this.selectIndex(known);
      return true;
    }
    const { exists } = await call('packets.locate', { ...this.query, id });
    if (!exists || g !== this.gen) return false;
    const [page, before] = await Promise.all([
      call('packets.page', { ...this.query, after: id - 1, limit: PAGE_SIZE }),
      this.rankOf(id),
    ]);
    if (g !== this.gen) return false;
    const rows = page.rows.slice().sort((a, b) => a.id - b.id);
    // packets.count with `before` gives the exact index; a server that ignores paging arguments
    // answers the total instead, which cannot be an index: fall back to an estimate.
    const exact = before;
    const index = exact ?? estimateIndex(id, this.displayTotal, this.firstId, this.lastId, this.anchors);
    if (exact !== null) this.anchors = addAnchor(this.anchors, [exact, id]);
    this.win = { base: Math.max(0, index), rows, hasBefore: rows.length > 0 && rows[0]!.id > this.firstId, hasAfter: page.hasMore };
    this.applyNormalise();
    const at = indexOfId(this.win, id);
    if (at >= 0) {
      this.topIndex = clamp(at - Math.floor(this.viewportHeight / ROW_HEIGHT / 3), 0, maxTopIndex(this.geometry));
      this.select(id);
    }
    void this.pump();
    return at >= 0;
  }

  private applyNormalise(): void {
    const { window, shift } = normalise(this.win, this.total);
    if (shift !== 0) {
      this.win = window;
      this.topIndex = clamp(this.topIndex + shift, 0, maxTopIndex(this.geometry));
    }
  }

  /** Fetches pages until the visible range (plus margins) is loaded. One request at a time. */
  private async pump(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      for (let guard = 0; guard < 12; guard++) {
        const g = this.gen;
        if (this.loading) break;
        const { first, last } = this.range;
        const need = nextFetch(this.win, first, last, PAGE_SIZE, MARGIN);
        if (!need) break;
        if (need.kind === 'after') {
          const page = await call('packets.page', { ...this.query, after: need.id, limit: PAGE_SIZE });
          if (g !== this.gen) return;
          this.win = appendPage(this.win, page.rows, page.hasMore, MAX_ROWS);
        } else if (need.kind === 'before') {
          const page = await call('packets.page', { ...this.query, before: need.id, limit: PAGE_SIZE });
          if (g !== this.gen) return;
          this.win = prependPage(this.win, page.rows, page.hasMore, MAX_ROWS);
        } else {
          await this.jump(need.index, g);
          if (g !== this.gen) return;
        }
        this.applyNormalise();
        if (this.pendingSelect !== null) {
          const row = this.rowAt(this.pendingSelect);
          if (row) this.select(row.id);
        }
      }
    } catch (e) {
      this.error = toCallError(e).message;
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        void this.pump();
      }
    }
  }

  /** Lands the window near list index `index` (scrollbar drag): estimate the id, then correct by counting. */
  private async jump(index: number, g: number): Promise<void> {
    const startIndex = Math.max(0, index - MARGIN);
    const est = estimateId(startIndex, this.displayTotal, this.firstId, this.lastId, this.anchors);
    const page = await call('packets.page', { ...this.query, after: est - 1, limit: PAGE_SIZE });
    if (g !== this.gen) return;
    const rows = page.rows.slice().sort((a, b) => a.id - b.id);
    if (rows.length === 0) {
      // Landed past the end: load the last page instead.
      const tail = await call('packets.page', { ...this.query, before: Number.MAX_SAFE_INTEGER, limit: PAGE_SIZE });
      if (g !== this.gen) return;
      const t = tail.rows.slice().sort((a, b) => a.id - b.id);
      this.win = { base: Math.max(0, this.displayTotal - t.length), rows: t, hasBefore: tail.hasMore, hasAfter: false };
      return;
    }
    this.win = { base: startIndex, rows, hasBefore: rows[0]!.id > this.firstId, hasAfter: page.hasMore };
    // Exact position of the landing row = rows before it. The scroll position stays where the
    // user put it; if the estimate was off, the next pump fetches the rows that belong there.
    const rank = await this.rankOf(rows[0]!.id);
    if (g !== this.gen || rank === null) return;
    if (rank + rows.length <= (this.total ?? 0)) {
      this.anchors = addAnchor(this.anchors, [rank, rows[0]!.id]);
      if (rank !== this.win.base) this.win = { ...this.win, base: rank };
    }
  }

  /**
   * List index of packet `id` = matching rows before it (packets.count with `before`). A server
   * that ignores paging arguments in counts answers the total; then stop asking and estimate.
   */
  private async rankOf(id: number): Promise<number | null> {
    if (this.countsBefore === false || this.total === null || id <= this.firstId) return id <= this.firstId ? 0 : null;
    const r = await call('packets.count', { ...this.query, before: id }).catch(() => null);
    if (!r) return null;
    if (r.count >= this.total) {
      this.countsBefore = false;
      return null;
    }
    this.countsBefore = true;
    return r.count;
  }
}
