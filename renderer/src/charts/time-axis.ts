/**
 * Time-axis ticks whose labels never overlap.
 *
 * The chart works in seconds relative to an origin timestamp (the case's first packet), so
 * sub-microsecond spans keep their precision. Absolute mode labels ticks in UTC: d3's UTC
 * ticks (nice calendar steps) for spans of 20 ms and more, decimal ticks below that (Date has
 * only millisecond precision). Relative mode labels seconds since the origin.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { formatUtcTime, nsAddSec, nsToEpochMs } from '../lib/ns-time.js';

export type AxisMode = 'utc' | 'relative';

export interface Tick {
  /** Seconds relative to the origin. */
  t: number;
  label: string;
}

export interface AxisInput {
  /** Visible domain, seconds relative to the origin. */
  domain: [number, number];
  /** Pixel range of the plot. */
  range: [number, number];
  originNs: string;
  mode: AxisMode;
  /** Label width in px for a string (canvas measureText in the browser, an estimate in tests). */
  measure?: (label: string) => number;
  /** Minimum free space between neighbouring labels, px. */
  gap?: number;
}

export const estimateWidth = (label: string): number => label.length * 6.6 + 2;

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad3 = (n: number) => String(n).padStart(3, '0');

function utcParts(ms: number) {
  const d = new Date(Math.floor(ms));
  return {
    date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    hm: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
    s: pad2(d.getUTCSeconds()),
    ms: pad3(d.getUTCMilliseconds()),
  };
}

/** Label for a UTC tick; `stepMs` decides how much precision to show. */
export function utcTickLabel(ms: number, stepMs: number, showDate: boolean): string {
  const p = utcParts(ms);
  if (stepMs >= 86_400_000) return p.date;
  let time: string;
  if (stepMs >= 60_000) time = p.hm;
  else if (stepMs >= 1000) time = `${p.hm}:${p.s}`;
  else time = `${p.hm}:${p.s}.${p.ms}`;
  return showDate ? `${p.date} ${time}` : time;
}

/** Decimal digits needed to tell ticks `step` seconds apart. */
export function stepDigits(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, Math.min(9, Math.ceil(-Math.log10(step) - 1e-9)));
}

export function relTickLabel(t: number, step: number): string {
  const d = stepDigits(step);
  const v = Math.abs(t) < step / 2 ? 0 : t;
  return `${v.toFixed(d)} s`;
}

/** Sub-20 ms spans in UTC mode: time of day with enough decimals, e.g. "12:00:03.004250". */
function fineUtcLabel(originNs: string, t: number, step: number): string {
  return formatUtcTime(nsAddSec(originNs, t), Math.max(stepDigits(step), 3));
}

function candidates(input: AxisInput, count: number): Tick[] {
  const [d0, d1] = input.domain;
  const span = d1 - d0;
  if (!(span > 0)) return [];
  if (input.mode === 'relative' || span < 0.02) {
    const ticks = scaleLinear().domain([d0, d1]).ticks(count);
    const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : span;
    if (input.mode === 'relative') return ticks.map((t) => ({ t, label: relTickLabel(t, step) }));
    return ticks.map((t) => ({ t, label: fineUtcLabel(input.originNs, t, step) }));
  }
  const originMs = nsToEpochMs(input.originNs);
  const dates = scaleUtc().domain([new Date(originMs + d0 * 1000), new Date(originMs + d1 * 1000)]).ticks(count);
  const ms = dates.map((d) => d.getTime());
  const stepMs = ms.length > 1 ? ms[1]! - ms[0]! : span * 1000;
  let prevDate = '';
  return ms.map((m, idx) => {
    const date = utcParts(m).date;
    // The axis ends carry the full date; ticks repeat it only where the day changes.
    const showDate = stepMs < 86_400_000 && idx > 0 && date !== prevDate;
    prevDate = date;
    return { t: (m - originMs) / 1000, label: utcTickLabel(m, stepMs, showDate) };
  });
}

export interface PlacedTick extends Tick {
  x: number;
  width: number;
}

function place(input: AxisInput, ticks: Tick[]): PlacedTick[] {
  const measure = input.measure ?? estimateWidth;
  const [d0, d1] = input.domain;
  const [r0, r1] = input.range;
  const k = (r1 - r0) / (d1 - d0);
  return ticks.map((tk) => ({ ...tk, x: r0 + (tk.t - d0) * k, width: measure(tk.label) }));
}

/** True when every label, centred on its tick, fits the range and clears its neighbours. */
export function labelsFit(ticks: readonly PlacedTick[], range: [number, number], gap: number): boolean {
  for (let i = 0; i < ticks.length; i++) {
    const a = ticks[i]!;
    if (a.x - a.width / 2 < range[0] - 1 || a.x + a.width / 2 > range[1] + 1) return false;
    if (i > 0) {
      const b = ticks[i - 1]!;
      if (a.x - a.width / 2 < b.x + b.width / 2 + gap) return false;
    }
  }
  return true;
}

/**
 * The densest tick set whose labels fit without overlapping. Labels that would stick out of
 * the plot at either end are dropped rather than clipped.
 */
export function timeTicks(input: AxisInput): PlacedTick[] {
  const gap = input.gap ?? 14;
  const width = Math.abs(input.range[1] - input.range[0]);
  const maxCount = Math.max(2, Math.floor(width / 40));
  let fallback: PlacedTick[] = [];
  let lastKey = '';
  for (let count = maxCount; count >= 1; count--) {
    const placed = place(input, candidates(input, count));
    const key = placed.map((p) => p.t).join(',');
    if (key === lastKey) continue;
    lastKey = key;
    const inside = placed.filter(
      (p) => p.x - p.width / 2 >= input.range[0] - 1 && p.x + p.width / 2 <= input.range[1] + 1,
    );
    if (inside.length >= 2 && labelsFit(inside, input.range, gap)) return inside;
    if (inside.length >= 1 && labelsFit(inside, input.range, gap)) fallback = inside;
  }
  return fallback;
}
