/**
 * Turns a TimelineSeries (sparse buckets, one value per key) into stacked bars in chart
 * units: x in seconds relative to an origin timestamp, y as a rate (per second).
 */
import type { TimelineSeries } from '../../../electron/ipc/contract.js';
import { nsDiffSec } from '../lib/ns-time.js';

export interface BarSegment {
  key: number;
  y0: number;
  y1: number;
  /** The bucket's raw value for this key (count or bytes in the bucket). */
  value: number;
}

export interface StackedBar {
  /** Bucket index in the series (TimelineSeries.points[].i). */
  i: number;
  /** Start and end of the bucket, seconds relative to the origin. */
  t0: number;
  t1: number;
  /** Sum of the rates of all keys (top of the stack). */
  total: number;
  segments: BarSegment[];
}

export interface BarLayout {
  bars: StackedBar[];
  /** Highest stack, for the y domain. */
  max: number;
}

/**
 * Values are per-bucket totals; dividing by the bucket width gives packets/s or bytes/s,
 * so the height does not depend on how many buckets the server chose.
 * `hidden[k]` drops key k from the stack (legend toggles).
 */
export function stackBars(series: TimelineSeries, originNs: string, hidden: readonly boolean[] = []): BarLayout {
  const w = series.widthSec > 0 ? series.widthSec : 1;
  const start = nsDiffSec(series.startNs, originNs);
  const bars: StackedBar[] = [];
  let max = 0;
  for (const p of series.points) {
    let y = 0;
    const segments: BarSegment[] = [];
    for (let k = 0; k < series.keys.length; k++) {
      const v = p.values[k] ?? 0;
      if (v <= 0 || hidden[k]) continue;
      const rate = v / w;
      segments.push({ key: k, y0: y, y1: y + rate, value: v });
      y += rate;
    }
    if (segments.length === 0) continue;
    const t0 = start + p.i * w;
    bars.push({ i: p.i, t0, t1: t0 + w, total: y, segments });
    if (y > max) max = y;
  }
  bars.sort((a, b) => a.i - b.i);
  return { bars, max };
}

/** Per-key totals over the whole series (for the legend). */
export function keyTotals(series: TimelineSeries): number[] {
  const totals = series.keys.map(() => 0);
  for (const p of series.points) for (let k = 0; k < totals.length; k++) totals[k]! += p.values[k] ?? 0;
  return totals;
}

/** Bar rectangle in pixels; at least `minWidth` wide so single-bucket spikes stay visible. */
export function barRect(t0: number, t1: number, x: (t: number) => number, minWidth = 1): { x: number; width: number } {
  const a = x(t0);
  const b = x(t1);
  const gap = b - a > 4 ? 1 : 0; // a hairline between wide bars keeps them readable
  const width = Math.max(minWidth, b - a - gap);
  return { x: a, width };
}

/** Number of buckets to ask for: about one per `pxPerBucket` pixels, within sane limits. */
export function bucketCount(plotWidth: number, pxPerBucket = 4): number {
  return Math.max(20, Math.min(1000, Math.floor(plotWidth / pxPerBucket)));
}

/** The bucket under a chart x (seconds) or -1. */
export function barAt(bars: readonly StackedBar[], t: number): number {
  let lo = 0;
  let hi = bars.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bars[mid]!;
    if (t < b.t0) hi = mid - 1;
    else if (t >= b.t1) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Greedy lane assignment for finding windows drawn as tabs above the chart: windows that
 * overlap (in pixels, with `gap`) go to different lanes. Returns one lane per input, in order.
 */
export function assignLanes(spans: ReadonlyArray<{ x: number; w: number }>, gap = 2, maxLanes = 3): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.x - spans[b]!.x);
  const laneEnd: number[] = [];
  const lanes = new Array<number>(spans.length).fill(0);
  for (const i of order) {
    const s = spans[i]!;
    let lane = laneEnd.findIndex((end) => s.x >= end + gap);
    if (lane < 0) lane = laneEnd.length < maxLanes ? laneEnd.length : laneEnd.indexOf(Math.min(...laneEnd));
    laneEnd[lane] = s.x + s.w;
    lanes[i] = lane;
  }
  return lanes;
}
