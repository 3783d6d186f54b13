/**
 * The time test of a port scan: many distinct keys (ports of one host, or hosts on one port)
 * probed within a bounded time window, most of them failing, as Zeek's scan.zeek (distinct
 * hosts or ports per scanner within 5 minutes) and the Snort/Suricata portscan preprocessors
 * count them. Counted over a whole capture instead, ordinary clients that now and then fail to
 * reach a server add up to a "scan" once the capture is long enough.
 *
 * A scanner's probes of one pair (host or port) are pushed in time order; every probe closes a
 * window (t - width, t]. A window is hot when it holds at least `minKeys` distinct keys and at
 * least `minFailedRatio` of them failed (no probe of that key in the window was answered).
 * Overlapping hot windows merge into one scan period, from the first probe of the first window
 * to the last probe of the last one. Memory: one window of probes.
 */

/** Relative nanoseconds of the first and the last probe of a scan period. */
export interface ScanPeriod { startNs: number; endNs: number }

export class ScanWindow {
  private readonly times: number[] = [];
  private readonly keys: number[] = [];
  private readonly answered: boolean[] = [];
  private head = 0;
  /** Per key in the window: probes, and probes answered. */
  private readonly perKey = new Map<number, { n: number; answered: number }>();
  private failedKeys = 0;
  readonly periods: ScanPeriod[] = [];

  constructor(private readonly widthNs: number, private readonly minKeys: number, private readonly minFailedRatio: number) {}

  /** One probe of `key` at relative time `t` (not before the previous probe's). */
  push(t: number, key: number, answered: boolean): void {
    while (this.head < this.times.length && this.times[this.head] <= t - this.widthNs) this.evict();
    if (this.head > 64 && this.head * 2 > this.times.length) this.compact();
    this.times.push(t); this.keys.push(key); this.answered.push(answered);
    const k = this.perKey.get(key);
    if (!k) {
      this.perKey.set(key, { n: 1, answered: answered ? 1 : 0 });
      if (!answered) this.failedKeys++;
    } else {
      if (answered && k.answered === 0) this.failedKeys--;
      k.n++;
      if (answered) k.answered++;
    }
    const distinct = this.perKey.size;
    if (distinct < this.minKeys || this.failedKeys / distinct < this.minFailedRatio) return;
    const from = this.times[this.head];
    const last = this.periods[this.periods.length - 1];
    if (last && from <= last.endNs) last.endNs = t;
    else this.periods.push({ startNs: from, endNs: t });
  }

  private evict(): void {
    const key = this.keys[this.head], answered = this.answered[this.head];
    this.head++;
    const k = this.perKey.get(key)!;
    const wasFailed = k.answered === 0;
    k.n--;
    if (answered) k.answered--;
    if (k.n === 0) {
      this.perKey.delete(key);
      if (wasFailed) this.failedKeys--;
    } else if (!wasFailed && k.answered === 0) this.failedKeys++;
  }

  private compact(): void {
    this.times.splice(0, this.head); this.keys.splice(0, this.head); this.answered.splice(0, this.head);
    this.head = 0;
  }
}

/** The index of the period of `periods` (disjoint, in time order) holding `t`, or -1. */
export function periodAt(periods: readonly ScanPeriod[], t: number): number {
  for (let i = 0; i < periods.length; i++) {
    if (t < periods[i].startNs) return -1;
    if (t <= periods[i].endNs) return i;
  }
  return -1;
}
