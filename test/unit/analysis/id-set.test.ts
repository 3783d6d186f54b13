import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdSet } from '../../../electron/analysis/id-set';
import { densestWindow, markHotEvents, WindowStream } from '../../../electron/analysis/sliding-window';

/** xorshift32: the same sequence on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
}

test('IdSet holds exactly what a Set holds, ascending, in array and bitmap chunks', () => {
  const random = rng(7);
  // Dense ranges make bitmap chunks, sparse ones array chunks; ids arrive in random order.
  for (const [count, range] of [[10, 100], [300, 1000], [20_000, 30_000], [9000, 70_000], [2000, 5_000_000]]) {
    const ids = new IdSet();
    const reference = new Set<number>();
    for (let i = 0; i < count; i++) {
      const id = Math.floor(random() * range);
      assert.equal(ids.add(id), !reference.has(id));
      reference.add(id);
    }
    const sorted = [...reference].sort((a, b) => a - b);
    assert.equal(ids.size, reference.size);
    assert.deepEqual([...ids], sorted);
    assert.deepEqual(ids.smallest(7), sorted.slice(0, 7));
    for (let probe = 0; probe < 200; probe++) {
      const id = Math.floor(random() * range * 1.2);
      assert.equal(ids.has(id), reference.has(id), `has(${id})`);
    }
  }
});

test('IdSet refuses what is not an id, and keeps ids past 2^32 exactly', () => {
  const ids = new IdSet();
  assert.throws(() => ids.add(-1), RangeError);
  assert.throws(() => ids.add(1.5), RangeError);
  ids.add(2 ** 33 + 5);
  for (let i = 5000; i >= 0; i--) ids.add(i);
  ids.add(2 ** 33);
  assert.equal(ids.size, 5003);
  assert.ok(ids.has(2 ** 33) && ids.has(2 ** 33 + 5) && ids.has(4999) && !ids.has(5001) && !ids.has(2 ** 33 + 1) && !ids.has(-3));
  assert.deepEqual([...ids].slice(-3), [5000, 2 ** 33, 2 ** 33 + 5]);
  assert.deepEqual(ids.smallest(3), [0, 1, 2]);
});

test('WindowStream finds the same hot span and densest window as the array versions', () => {
  const random = rng(11);
  for (let round = 0; round < 200; round++) {
    // Some rounds hold thousands of events in one window, so the ring grows while it wraps.
    const n = 1 + Math.floor(random() * (round % 10 === 0 ? 5000 : 400));
    const times: number[] = [];
    const flags: number[] = [];
    let t = 0;
    for (let i = 0; i < n; i++) {
      // Bursts and gaps, and equal times, so windows open and close in every way.
      t += random() < 0.2 ? 0 : random() < 0.9 ? Math.floor(random() * 50) : Math.floor(random() * 5000);
      times.push(t);
      flags.push(random() < 0.6 ? 1 : 0);
    }
    const width = round % 10 === 0 ? 1e5 : 1 + Math.floor(random() * 1000);
    const min = 1 + Math.floor(random() * 20);
    const prefix = [0];
    for (const f of flags) prefix.push(prefix[prefix.length - 1] + f);
    const hot = markHotEvents(times, width, (count, i, j) => count >= min && (prefix[j + 1] - prefix[i]) / count >= 0.5);
    const stream = new WindowStream(width, (count, flagged) => count >= min && flagged / count >= 0.5);
    times.forEach((x, i) => stream.push(x, flags[i] === 1));
    stream.finish();
    assert.equal(stream.firstHot, hot.indexOf(1), `round ${round}`);
    assert.equal(stream.lastHot, hot.lastIndexOf(1), `round ${round}`);
    assert.equal(stream.densest, densestWindow(times, width).count, `round ${round}`);
    assert.equal(stream.count, n);
  }
});
