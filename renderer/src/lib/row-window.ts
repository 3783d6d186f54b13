/**
 * The packet list keeps a bounded, contiguous window of rows fetched by keyset paging
 * (`after`/`before` ids). `base` is the list index of rows[0]. Fetching past either end
 * appends or prepends a page and drops rows from the far end, so memory stays bounded
 * however far the user scrolls.
 */

export interface Keyed {
  id: number;
}

export interface RowWindow<R extends Keyed> {
  base: number;
  rows: readonly R[];
  /** More rows exist before rows[0] / after the last row (as far as the server said). */
  hasBefore: boolean;
  hasAfter: boolean;
}

export function emptyWindow<R extends Keyed>(): RowWindow<R> {
  return { base: 0, rows: [], hasBefore: false, hasAfter: false };
}

function ascending<R extends Keyed>(rows: readonly R[]): R[] {
  const out = rows.slice();
  out.sort((a, b) => a.id - b.id);
  return out;
}

/** Rows following the window (fetched with `after: lastId`). Drops rows from the front past `maxRows`. */
export function appendPage<R extends Keyed>(w: RowWindow<R>, page: readonly R[], hasMore: boolean, maxRows: number): RowWindow<R> {
  const last = w.rows.length ? w.rows[w.rows.length - 1]!.id : -Infinity;
  const fresh = ascending(page).filter((r) => r.id > last);
  let rows = w.rows.concat(fresh);
  let base = w.base;
  let hasBefore = w.hasBefore;
  if (rows.length > maxRows) {
    const drop = rows.length - maxRows;
    rows = rows.slice(drop);
    base += drop;
    hasBefore = true;
  }
  return { base, rows, hasBefore, hasAfter: hasMore };
}

/**
 * Rows preceding the window (fetched with `before: firstId`; the order the server returns
 * them in does not matter). Drops rows from the back past `maxRows`. `base` may go negative
 * when the window's position was an estimate; see `normalise`.
 */
export function prependPage<R extends Keyed>(w: RowWindow<R>, page: readonly R[], hasMore: boolean, maxRows: number): RowWindow<R> {
  const first = w.rows.length ? w.rows[0]!.id : Infinity;
  const fresh = ascending(page).filter((r) => r.id < first);
  let rows = fresh.concat(w.rows);
  let hasAfter = w.hasAfter;
  if (rows.length > maxRows) {
    rows = rows.slice(0, maxRows);
    hasAfter = true;
  }
  return { base: w.base - fresh.length, rows, hasBefore: hasMore, hasAfter };
}

/**
 * Keeps the window consistent with what is known for sure: nothing precedes index 0, and
 * when the server says nothing follows, the last row is the last index (`total - 1`, when
 * the exact total is known). Returns the index shift applied, so the caller can move its
 * scroll position by the same amount and keep the same rows on screen.
 */
export function normalise<R extends Keyed>(w: RowWindow<R>, total: number | null): { window: RowWindow<R>; shift: number } {
  let shift = 0;
  if (!w.hasBefore && w.base !== 0) shift = -w.base;
  else if (w.base < 0) shift = -w.base;
  else if (!w.hasAfter && total !== null && w.rows.length > 0 && w.base + w.rows.length !== total) {
    const want = Math.max(0, total - w.rows.length);
    if (w.hasBefore || want === 0) shift = want - w.base;
  }
  return shift === 0 ? { window: w, shift } : { window: { ...w, base: w.base + shift }, shift };
}

export function rowAt<R extends Keyed>(w: RowWindow<R>, index: number): R | undefined {
  return w.rows[index - w.base];
}

export function indexOfId<R extends Keyed>(w: RowWindow<R>, id: number): number {
  // Rows are sorted by id: binary search.
  let lo = 0;
  let hi = w.rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = w.rows[mid]!.id;
    if (v === id) return w.base + mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export type FetchNeed = { kind: 'after'; id: number } | { kind: 'before'; id: number } | { kind: 'jump'; index: number } | null;

/**
 * What to fetch so that rows [first, last] can be drawn: nothing, the next/previous page,
 * or (when the visible range is far from the window) a jump to an estimated position.
 * `margin` rows of prefetch on each side keep scrolling smooth.
 */
export function nextFetch<R extends Keyed>(w: RowWindow<R>, first: number, last: number, pageSize: number, margin: number): FetchNeed {
  if (last < first) return null;
  const end = w.base + w.rows.length; // exclusive
  if (w.rows.length === 0) return { kind: 'jump', index: first };
  if (last < w.base - pageSize || first >= end + pageSize) return { kind: 'jump', index: first };
  if (w.hasAfter && last + margin >= end) return { kind: 'after', id: w.rows[w.rows.length - 1]!.id };
  if (w.hasBefore && first - margin < w.base) return { kind: 'before', id: w.rows[0]!.id };
  return null;
}

/** A known (list index, id) pair: learned whenever the rows before an id were counted. */
export type Anchor = readonly [index: number, id: number];

function bracket(anchors: readonly Anchor[], value: number, by: 0 | 1): [Anchor, Anchor] | null {
  if (anchors.length < 2) return null;
  for (let i = 1; i < anchors.length; i++) {
    if (value <= anchors[i]![by]) return [anchors[i - 1]!, anchors[i]!];
  }
  return [anchors[anchors.length - 2]!, anchors[anchors.length - 1]!];
}

function withEnds(total: number, firstId: number, lastId: number, anchors: readonly Anchor[]): Anchor[] {
  const inner = anchors.filter(([i, id]) => i > 0 && i < total - 1 && id > firstId && id < lastId);
  return [[0, firstId] as Anchor, ...inner, [Math.max(total - 1, 0), lastId] as Anchor];
}

/**
 * Estimated id at list index `index`, interpolating linearly between the nearest known
 * anchors (the first and last matching ids are always anchors). Exact for the unfiltered
 * list of one capture (ids are dense); for filtered lists each landing adds an anchor, so
 * repeated jumps converge.
 */
export function estimateId(index: number, total: number, firstId: number, lastId: number, anchors: readonly Anchor[] = []): number {
  if (total <= 1 || lastId <= firstId) return firstId;
  const all = withEnds(total, firstId, lastId, anchors);
  const pair = bracket(all, index, 0)!;
  const [[i0, id0], [i1, id1]] = pair;
  const f = i1 > i0 ? (index - i0) / (i1 - i0) : 0;
  return Math.round(Math.min(Math.max(id0 + f * (id1 - id0), firstId), lastId));
}

/** The inverse: estimated list index of `id`. */
export function estimateIndex(id: number, total: number, firstId: number, lastId: number, anchors: readonly Anchor[] = []): number {
  if (total <= 1 || lastId <= firstId) return 0;
  const all = withEnds(total, firstId, lastId, anchors);
  const pair = bracket(all, id, 1)!;
  const [[i0, id0], [i1, id1]] = pair;
  const f = id1 > id0 ? (id - id0) / (id1 - id0) : 0;
  return Math.round(Math.min(Math.max(i0 + f * (i1 - i0), 0), total - 1));
}

/** Adds an anchor, keeping the list sorted, consistent (ids increase with the index) and short. */
export function addAnchor(anchors: readonly Anchor[], a: Anchor, max = 64): Anchor[] {
  const out = anchors.filter(([i, id]) => i !== a[0] && id !== a[1] && (i < a[0]) === (id < a[1]));
  out.push(a);
  out.sort((x, y) => x[0] - y[0]);
  while (out.length > max) out.splice(out.length >> 1, 1);
  return out;
}
