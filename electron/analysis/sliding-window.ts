/**
 * Sliding-window counts over sorted event times (nanoseconds relative to the case start).
 * Two pointers keep every operation linear in the number of events.
 */

export interface DensestWindow {
  /** Events inside the densest window [times[first], times[first] + width). */
  count: number;
  first: number;
  last: number;
}

/** The window of `widthNs` holding the most events; times must be sorted ascending. */
export function densestWindow(times: ArrayLike<number>, widthNs: number): DensestWindow {
  let best: DensestWindow = { count: 0, first: 0, last: -1 };
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < i) j = i;
    while (j + 1 < times.length && times[j + 1] < times[i] + widthNs) j++;
    const count = j - i + 1;
    if (count > best.count) best = { count, first: i, last: j };
  }
  return best;
}

/** Peak events per second over 1-second sliding windows. */
export function peakPerSecond(times: ArrayLike<number>): number {
  return densestWindow(times, 1e9).count;
}

/**
 * Marks every event that lies in at least one "hot" window: a window of `widthNs` starting at an
 * event, for which `isHot(count, from, to)` holds ([from, to] are the indexes inside it).
 * Returns a 0/1 array aligned with `times`.
 */
export function markHotEvents(times: ArrayLike<number>, widthNs: number,
  isHot: (count: number, from: number, to: number) => boolean): Uint8Array {
  const diff = new Int32Array(times.length + 1);
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < i) j = i;
    while (j + 1 < times.length && times[j + 1] < times[i] + widthNs) j++;
    if (isHot(j - i + 1, i, j)) { diff[i]++; diff[j + 1]--; }
  }
  const hot = new Uint8Array(times.length);
  let run = 0;
  for (let i = 0; i < times.length; i++) { run += diff[i]; hot[i] = run > 0 ? 1 : 0; }
  return hot;
}

/**
 * The same windows as markHotEvents and densestWindow, over events that arrive one at a time in
 * time order: only the events within one window of the latest are held (a ring of times and flags),
 * so a detector can scan a capture's worth of events in memory that does not grow with it.
 * A window starts at each event and holds the events up to `widthNs` after it; `isHot(count,
 * flagged)` judges it from its size and how many of its events were pushed flagged.
 */
export class WindowStream {
  /** Most events in one window (densestWindow(...).count). */
  densest = 0;
  /** Index of the first event in a hot window, or -1 (markHotEvents(...).indexOf(1)). */
  firstHot = -1;
  /** Index of the last event in a hot window, or -1 (markHotEvents(...).lastIndexOf(1)). */
  lastHot = -1;
  /** A power of two, doubled when full: many small streams (one per pair) stay small. */
  private times = new Float64Array(16);
  private flags = new Uint8Array(16);
  /** Absolute index of the oldest held event, and of the next event to arrive. */
  private head = 0;
  private next = 0;
  private flaggedHeld = 0;

  constructor(private readonly widthNs: number,
    private readonly isHot: (count: number, flagged: number) => boolean = () => false) {}

  /** Events pushed so far. */
  get count(): number { return this.next; }

  push(t: number, flagged = false): void {
    const mask = this.times.length - 1;
    // Every held window that `t` falls outside of is complete: it ends at the event before this one.
    while (this.head < this.next && !(t < this.times[this.head & mask] + this.widthNs)) this.closeOldest();
    if (this.next - this.head === this.times.length) this.grow();
    const at = this.next & (this.times.length - 1);
    this.times[at] = t;
    this.flags[at] = flagged ? 1 : 0;
    if (flagged) this.flaggedHeld++;
    this.next++;
  }

  /** No more events: the windows still open end at the last one. */
  finish(): this {
    while (this.head < this.next) this.closeOldest();
    return this;
  }

  private closeOldest(): void {
    const count = this.next - this.head;
    if (count > this.densest) this.densest = count;
    if (this.isHot(count, this.flaggedHeld)) {
      if (this.firstHot < 0) this.firstHot = this.head;
      this.lastHot = Math.max(this.lastHot, this.next - 1);
    }
    if (this.flags[this.head & (this.times.length - 1)]) this.flaggedHeld--;
    this.head++;
  }

  private grow(): void {
    const size = this.times.length, mask = size - 1;
    const times = new Float64Array(size * 2), flags = new Uint8Array(size * 2);
    for (let i = this.head; i < this.next; i++) {
      times[i & (size * 2 - 1)] = this.times[i & mask];
      flags[i & (size * 2 - 1)] = this.flags[i & mask];
    }
    this.times = times;
    this.flags = flags;
  }
}

/** Prefix sums so a window's count of flagged events is O(1). */
export function prefixSums(flags: ArrayLike<number>): Int32Array {
  const out = new Int32Array(flags.length + 1);
  for (let i = 0; i < flags.length; i++) out[i + 1] = out[i] + (flags[i] ? 1 : 0);
  return out;
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A pre-filter for the windows above that SQLite can compute in one table scan: events counted per
 * time bucket one window wide (`(ts_ns - base) / bucketNs`, integer division). A window
 * [t, t + width) lies within two consecutive buckets (three, allowing for the rounding of float
 * times far from the case start), so a key whose busiest three consecutive buckets hold fewer than
 * `min` events cannot have a window of `min` events, and its events need not be read at all.
 */
export function windowBucketNs(widthNs: number): bigint {
  return BigInt(Math.min(2 ** 62, Math.max(1, Math.ceil(widthNs))));
}

/**
 * The first row of every key that may have a window of `min` events. `rows` holds one row per
 * (key, bucket), sorted by key then bucket; `sameKey` tells whether two rows share a key.
 */
export function keysThatMayFillWindow<R extends { b: number; n: number }>(rows: readonly R[],
  sameKey: (x: R, y: R) => boolean, min: number): R[] {
  const out: R[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && sameKey(rows[i], rows[j])) j++;
    for (let a = i; a < j; a++) {
      // Past 2^53 the bucket numbers are no longer exact: keep the key rather than guess.
      if (!Number.isSafeInteger(rows[a].b)) { out.push(rows[i]); break; }
      let n = 0;
      for (let c = a; c < j && rows[c].b <= rows[a].b + 2; c++) n += rows[c].n;
      if (n >= min) { out.push(rows[i]); break; }
    }
    i = j;
  }
  return out;
}
