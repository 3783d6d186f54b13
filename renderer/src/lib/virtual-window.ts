/**
 * Windowing maths for the virtual packet list.
 *
 * Browsers cap an element's height (about 33 million px in Chromium, less elsewhere), so
 * for millions of rows the scrollable content is capped at MAX_CONTENT_PX and the scroll
 * position is mapped proportionally onto the row index. Rows are then drawn relative to
 * the current scrollTop, so the same drawing code works scaled or not.
 */

export const MAX_CONTENT_PX = 8_000_000;

export interface ListGeometry {
  total: number;
  rowHeight: number;
  viewportHeight: number;
}

export function contentHeight(g: ListGeometry): number {
  return Math.min(g.total * g.rowHeight, MAX_CONTENT_PX);
}

export function isScaled(g: ListGeometry): boolean {
  return g.total * g.rowHeight > MAX_CONTENT_PX;
}

/** Largest useful top index (float): the last row sits at the bottom of the viewport. */
export function maxTopIndex(g: ListGeometry): number {
  return Math.max(0, g.total - g.viewportHeight / g.rowHeight);
}

/** Row index (float) at the top of the viewport for a given scrollTop. */
export function topIndexFromScroll(scrollTop: number, g: ListGeometry): number {
  if (!isScaled(g)) return Math.min(Math.max(0, scrollTop / g.rowHeight), maxTopIndex(g));
  const maxScroll = contentHeight(g) - g.viewportHeight;
  if (maxScroll <= 0) return 0;
  const ratio = Math.min(Math.max(scrollTop / maxScroll, 0), 1);
  return ratio * maxTopIndex(g);
}

/** The scrollTop that puts row `topIndex` (float) at the top of the viewport. */
export function scrollFromTopIndex(topIndex: number, g: ListGeometry): number {
  const t = clamp(topIndex, 0, maxTopIndex(g));
  if (!isScaled(g)) return t * g.rowHeight;
  const maxTop = maxTopIndex(g);
  const maxScroll = contentHeight(g) - g.viewportHeight;
  return maxTop > 0 ? (t / maxTop) * maxScroll : 0;
}

export interface VisibleRange {
  /** First and last (inclusive) row index to render, overscan included. */
  first: number;
  last: number;
}

export function visibleRange(topIndex: number, g: ListGeometry, overscan = 4): VisibleRange {
  if (g.total <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(topIndex) - overscan);
  const rows = Math.ceil(g.viewportHeight / g.rowHeight) + 1;
  const last = Math.min(g.total - 1, Math.floor(topIndex) + rows + overscan);
  return { first, last };
}

/** Pixel offset of row `index` inside the scroll content, given the current scroll state. */
export function rowTop(index: number, topIndex: number, scrollTop: number, rowHeight: number): number {
  return scrollTop + (index - topIndex) * rowHeight;
}

/** New top index so that row `index` is fully visible (unchanged if it already is). */
export function ensureVisible(index: number, topIndex: number, g: ListGeometry): number {
  const rowsVisible = Math.floor(g.viewportHeight / g.rowHeight);
  if (index < topIndex) return clamp(index, 0, maxTopIndex(g));
  if (index >= topIndex + rowsVisible) return clamp(index - rowsVisible + 1, 0, maxTopIndex(g));
  return topIndex;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
