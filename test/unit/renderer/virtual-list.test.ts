import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_CONTENT_PX, contentHeight, ensureVisible, isScaled, rowTop, scrollFromTopIndex, topIndexFromScroll, visibleRange,
} from '../../../renderer/src/lib/virtual-window.js';
import {
  addAnchor, appendPage, emptyWindow, estimateId, estimateIndex, indexOfId, nextFetch, normalise, prependPage, rowAt,
} from '../../../renderer/src/lib/row-window.js';

const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i }));

test('small lists scroll in pixels, one row per rowHeight', () => {
  const g = { total: 1000, rowHeight: 20, viewportHeight: 400 };
  assert.ok(!isScaled(g));
  assert.equal(contentHeight(g), 20000);
  assert.equal(topIndexFromScroll(2000, g), 100);
  assert.equal(scrollFromTopIndex(100, g), 2000);
  assert.deepEqual(visibleRange(100, g, 2), { first: 98, last: 123 });
  assert.equal(rowTop(105, 100, 2000, 20), 2100);
});

test('millions of rows: content height is capped and scroll maps proportionally', () => {
  const g = { total: 5_000_000, rowHeight: 21, viewportHeight: 420 };
  assert.ok(isScaled(g));
  assert.equal(contentHeight(g), MAX_CONTENT_PX);
  const maxScroll = MAX_CONTENT_PX - 420;
  assert.equal(topIndexFromScroll(0, g), 0);
  assert.equal(topIndexFromScroll(maxScroll, g), 5_000_000 - 20);
  const mid = topIndexFromScroll(maxScroll / 2, g);
  assert.ok(Math.abs(mid - (5_000_000 - 20) / 2) < 1e-6);
  assert.ok(Math.abs(scrollFromTopIndex(mid, g) - maxScroll / 2) < 1e-6);
  // The last row is reachable and drawn inside the viewport.
  const r = visibleRange(topIndexFromScroll(maxScroll, g), g, 0);
  assert.equal(r.last, 4_999_999);
});

test('ensureVisible scrolls only as far as needed', () => {
  const g = { total: 1000, rowHeight: 20, viewportHeight: 200 };
  assert.equal(ensureVisible(15, 10, g), 10);
  assert.equal(ensureVisible(25, 10, g), 16);
  assert.equal(ensureVisible(3, 10, g), 3);
});

test('the row window appends, prepends and drops far rows', () => {
  let w = appendPage(emptyWindow<{ id: number }>(), rows(1, 200), true, 500);
  assert.equal(w.base, 0);
  w = appendPage(w, rows(201, 400), true, 500);
  w = appendPage(w, rows(401, 600), true, 500);
  assert.equal(w.rows.length, 500);
  assert.equal(w.base, 100);
  assert.ok(w.hasBefore);
  assert.equal(rowAt(w, 100)!.id, 101);
  assert.equal(indexOfId(w, 600), 599);
  assert.equal(indexOfId(w, 50), -1);
  // Backward pages may arrive in either order; duplicates are ignored.
  w = prependPage(w, rows(1, 100).reverse().concat(rows(101, 101)), false, 500);
  assert.equal(w.base, 0);
  assert.equal(w.rows[0]!.id, 1);
  assert.equal(w.rows.length, 500);
  assert.ok(w.hasAfter);
  assert.ok(!w.hasBefore);
});

test('nextFetch: next page near the end, previous near the start, jump when far away', () => {
  const w = { base: 1000, rows: rows(5001, 5200), hasBefore: true, hasAfter: true };
  assert.equal(nextFetch(w, 1050, 1080, 200, 30), null);
  assert.deepEqual(nextFetch(w, 1160, 1190, 200, 30), { kind: 'after', id: 5200 });
  assert.deepEqual(nextFetch(w, 1005, 1030, 200, 30), { kind: 'before', id: 5001 });
  assert.deepEqual(nextFetch(w, 90_000, 90_030, 200, 30), { kind: 'jump', index: 90_000 });
  assert.deepEqual(nextFetch(emptyWindow(), 0, 20, 200, 30), { kind: 'jump', index: 0 });
});

test('normalise pins the window to known ends and reports the shift', () => {
  const atStart = normalise({ base: 7, rows: rows(1, 10), hasBefore: false, hasAfter: true }, 100);
  assert.equal(atStart.window.base, 0);
  assert.equal(atStart.shift, -7);
  const atEnd = normalise({ base: 50, rows: rows(91, 100), hasBefore: true, hasAfter: false }, 100);
  assert.equal(atEnd.window.base, 90);
  assert.equal(atEnd.shift, 40);
  const fine = normalise({ base: 90, rows: rows(91, 100), hasBefore: true, hasAfter: false }, 100);
  assert.equal(fine.shift, 0);
});

test('id estimates interpolate between anchors and converge as anchors are learned', () => {
  assert.equal(estimateId(0, 1000, 1, 1000), 1);
  assert.equal(estimateId(999, 1000, 1, 1000), 1000);
  assert.equal(estimateId(499, 1000, 1, 1000), 500);
  // Filtered list: the first half of the ids hold only 10 rows.
  const anchors = addAnchor([], [10, 5000]);
  assert.equal(estimateId(10, 1000, 1, 10_000, anchors), 5000);
  assert.ok(estimateId(505, 1000, 1, 10_000, anchors) > 5000);
  assert.equal(estimateIndex(5000, 1000, 1, 10_000, anchors), 10);
  // Inconsistent anchors (id going down as the index goes up) are replaced.
  const next = addAnchor(anchors, [20, 4000]);
  assert.deepEqual(next, [[20, 4000]]);
});
