import { test } from 'node:test';
import assert from 'node:assert/strict';
import { densestWindow, keysThatMayFillWindow } from '../../../electron/analysis/sliding-window.js';

type Row = { key: string; b: number; n: number };
const same = (x: Row, y: Row) => x.key === y.key;

test('a key is kept when three consecutive buckets together reach the minimum', () => {
  const rows: Row[] = [
    { key: 'a', b: 10, n: 40 }, { key: 'a', b: 11, n: 30 }, { key: 'a', b: 12, n: 30 }, // 100 within b..b+2
    { key: 'b', b: 10, n: 60 }, { key: 'b', b: 13, n: 60 },                              // 60 and 60: never 100 together
    { key: 'c', b: 5, n: 99 },
    { key: 'd', b: 7, n: 100 },
  ];
  assert.deepEqual(keysThatMayFillWindow(rows, same, 100).map((r) => r.key), ['a', 'd']);
});

test('the bucket pre-check never drops a key whose densest window reaches the minimum', () => {
  // Events 1 ns apart straddling a bucket edge: the window spans two buckets, the check must keep it.
  const width = 1_000;
  const times = Array.from({ length: 100 }, (_, i) => 950 + i * 9);
  assert.ok(densestWindow(times, width).count >= 100);
  const perBucket = new Map<number, number>();
  for (const t of times) perBucket.set(Math.floor(t / width), (perBucket.get(Math.floor(t / width)) ?? 0) + 1);
  const rows: Row[] = [...perBucket].sort((x, y) => x[0] - y[0]).map(([b, n]) => ({ key: 'x', b, n }));
  assert.equal(keysThatMayFillWindow(rows, same, 100).length, 1);
});
