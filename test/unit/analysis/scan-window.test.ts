import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodAt, ScanWindow } from '../../../electron/analysis/scan-window';

const S = 1e9;

test('a window is hot with enough distinct keys inside it, most failing; hot windows that overlap make one period', () => {
  const w = new ScanWindow(10 * S, 3, 0.5);
  // Keys 1..3 within 2 s: hot from the third probe; key 4 at 5 s extends the period.
  w.push(0, 1, false); w.push(1 * S, 2, false);
  assert.deepEqual(w.periods, []);
  w.push(2 * S, 3, false);
  assert.deepEqual(w.periods, [{ startNs: 0, endNs: 2 * S }]);
  w.push(5 * S, 4, false);
  assert.deepEqual(w.periods, [{ startNs: 0, endNs: 5 * S }]);
  // 20 s later the old probes have left the window: one probe is not a scan.
  w.push(25 * S, 5, false);
  assert.equal(w.periods.length, 1);
  // A second burst is a second period.
  w.push(26 * S, 6, false); w.push(27 * S, 7, false);
  assert.deepEqual(w.periods, [{ startNs: 0, endNs: 5 * S }, { startNs: 25 * S, endNs: 27 * S }]);
  assert.equal(periodAt(w.periods, 3 * S), 0);
  assert.equal(periodAt(w.periods, 26 * S), 1);
  assert.equal(periodAt(w.periods, 10 * S), -1);
});

test('keys answered inside the window are not failures; an answer leaving the window makes its key fail again', () => {
  const w = new ScanWindow(10 * S, 4, 0.5);
  // Four keys, three answered: 1 of 4 failing is below half.
  w.push(0, 1, true); w.push(1 * S, 2, true); w.push(2 * S, 3, true); w.push(3 * S, 4, false);
  assert.deepEqual(w.periods, []);
  // Key 1 probed again unanswered, still answered once in the window: no change.
  w.push(4 * S, 1, false);
  assert.deepEqual(w.periods, []);
  // At 10.5 s the answered probe of key 1 (t=0) has left the window (0.5, 10.5]: keys 2 and 3
  // answered, 4, 1 and 5 failing: 3 of 5.
  w.push(10.5 * S, 5, false);
  assert.deepEqual(w.periods, [{ startNs: 1 * S, endNs: 10.5 * S }]);
});

test('a slow scan, one key a minute, never fills a 5-minute window', () => {
  const w = new ScanWindow(300 * S, 20, 0.5);
  for (let i = 0; i < 500; i++) w.push(i * 60 * S, i, false);
  assert.deepEqual(w.periods, []);
});

test('the running counts agree with a count made from scratch for every window (random probes)', () => {
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let round = 0; round < 20; round++) {
    const width = 10 * S, minKeys = 2 + Math.floor(rand() * 5), ratio = rand();
    const w = new ScanWindow(width, minKeys, ratio);
    const probes: Array<{ t: number; key: number; answered: boolean }> = [];
    const expected: Array<{ startNs: number; endNs: number }> = [];
    let t = 0;
    for (let i = 0; i < 400; i++) {
      t += Math.floor(rand() * 3 * S);
      const p = { t, key: Math.floor(rand() * 12), answered: rand() < 0.4 };
      probes.push(p);
      w.push(p.t, p.key, p.answered);
      const inside = probes.filter((x) => x.t > t - width);
      const keys = new Map<number, boolean>();
      for (const x of inside) keys.set(x.key, (keys.get(x.key) ?? false) || x.answered);
      const failed = [...keys.values()].filter((a) => !a).length;
      if (keys.size >= minKeys && failed / keys.size >= ratio) {
        const last = expected[expected.length - 1];
        if (last && inside[0].t <= last.endNs) last.endNs = t; else expected.push({ startNs: inside[0].t, endNs: t });
      }
    }
    assert.deepEqual(w.periods, expected, `round ${round}`);
  }
});
