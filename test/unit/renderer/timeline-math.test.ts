import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignLanes, barAt, barRect, bucketCount, keyTotals, stackBars } from '../../../renderer/src/charts/timeline-layout.js';
import { labelsFit, relTickLabel, stepDigits, timeTicks, utcTickLabel, estimateWidth } from '../../../renderer/src/charts/time-axis.js';
import { seriesColours } from '../../../renderer/src/charts/palette.js';
import type { TimelineSeries } from '../../../electron/ipc/contract.js';

const ORIGIN = '1714564800000000000'; // 2024-05-01 12:00:00 UTC

const series: TimelineSeries = {
  widthNs: '500000000',
  widthSec: 0.5,
  startNs: '1714564801000000000',
  keys: ['TCP', 'UDP', 'other'],
  points: [
    { i: 3, values: [0, 4, 1] },
    { i: 0, values: [10, 2, 0] },
  ],
};

test('bars stack per bucket as rates, relative to the origin, sorted by bucket', () => {
  const { bars, max } = stackBars(series, ORIGIN);
  assert.equal(bars.length, 2);
  assert.equal(bars[0]!.i, 0);
  assert.equal(bars[0]!.t0, 1);
  assert.equal(bars[0]!.t1, 1.5);
  assert.deepEqual(bars[0]!.segments.map((s) => [s.key, s.y0, s.y1]), [[0, 0, 20], [1, 20, 24]]);
  assert.equal(bars[1]!.t0, 2.5);
  assert.equal(max, 24);
  assert.deepEqual(keyTotals(series), [10, 6, 1]);
});

test('hidden keys leave the stack', () => {
  const { bars, max } = stackBars(series, ORIGIN, [true, false, false]);
  assert.deepEqual(bars[0]!.segments.map((s) => s.key), [1]);
  assert.equal(max, 10);
});

test('bar geometry, hit testing, bucket count and lanes', () => {
  const x = (t: number) => t * 100;
  assert.deepEqual(barRect(1, 1.5, x), { x: 100, width: 49 });
  assert.deepEqual(barRect(1, 1.001, x), { x: 100, width: 1 });
  const { bars } = stackBars(series, ORIGIN);
  assert.equal(barAt(bars, 1.2), 0);
  assert.equal(barAt(bars, 2.0), -1);
  assert.equal(barAt(bars, 2.7), 1);
  assert.equal(bucketCount(1000), 250);
  assert.equal(bucketCount(10), 20);
  assert.deepEqual(assignLanes([{ x: 0, w: 100 }, { x: 50, w: 10 }, { x: 120, w: 10 }, { x: 55, w: 5 }]), [0, 1, 0, 2]);
});

test('tick labels never overlap and never stick out of the plot', () => {
  for (const width of [120, 300, 640, 1400]) {
    for (const span of [0.000004, 0.003, 0.7, 42, 3600 * 5, 86400 * 9]) {
      for (const mode of ['utc', 'relative'] as const) {
        const ticks = timeTicks({ domain: [0.25, 0.25 + span], range: [0, width], originNs: ORIGIN, mode });
        assert.ok(ticks.length >= 1, `${mode} ${span}s in ${width}px has ticks`);
        assert.ok(labelsFit(ticks, [0, width], 14), `${mode} ${span}s in ${width}px: ${ticks.map((t) => t.label).join(' | ')}`);
        for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.t > ticks[i - 1]!.t);
        const labels = new Set(ticks.map((t) => t.label));
        assert.equal(labels.size, ticks.length, `distinct labels for ${mode} ${span}s: ${[...labels].join(' | ')}`);
      }
    }
  }
});

test('UTC ticks use calendar steps and enough precision', () => {
  const ticks = timeTicks({ domain: [0, 60], range: [0, 800], originNs: ORIGIN, mode: 'utc' });
  assert.ok(ticks.every((t) => /^12:0[01]:\d\d$/.test(t.label)), ticks.map((t) => t.label).join(' '));
  const fine = timeTicks({ domain: [0, 0.005], range: [0, 800], originNs: ORIGIN, mode: 'utc' });
  assert.ok(fine.length >= 3 && fine.every((t) => /^12:00:00\.\d{3,}$/.test(t.label)), fine.map((t) => t.label).join(' '));
  assert.equal(utcTickLabel(Date.UTC(2024, 4, 2, 0, 0, 0), 3_600_000, true), '2024-05-02 00:00');
  assert.equal(utcTickLabel(Date.UTC(2024, 4, 2, 0, 0, 0, 250), 250, false), '00:00:00.250');
  assert.equal(stepDigits(0.25), 1);
  assert.equal(stepDigits(0.0005), 4);
  assert.equal(stepDigits(5), 0);
  assert.equal(relTickLabel(1.5, 0.5), '1.5 s');
  assert.equal(relTickLabel(1e-17, 0.5), '0.0 s');
  assert.ok(estimateWidth('12:00:00') > 40);
});

test('series colours: fixed for known keys, distinct for the rest', () => {
  const c = seriesColours(['TCP', 'foo', 'bar', 'syn', 'TLSv1.3']);
  assert.equal(new Set(c).size, 5);
  assert.equal(seriesColours(['TCP'])[0], c[0]);
});

test('protocol variants that share a known colour still get distinct colours', () => {
  const c = seriesColours(['TCP', 'TLSv1.2', 'TLSv1', 'TLS']);
  assert.equal(new Set(c).size, 4);
});
