/**
 * Shared arithmetic of volumetric floods (ICMP, UDP): packets towards one target, their densest
 * window, peak rate, the sources behind them and the flood's extent. The protocol detectors
 * decide what counts as a flood packet and what counts as an answer.
 */
import { spreadOf, Spread } from './address-spread';
import type { DetectorContext } from './detector-context';
import { densestWindow, markHotEvents, peakPerSecond } from './sliding-window';

export interface FloodPacket { id: number; t: number; src_id: number; bytes: number; flow_id: number | null }

export interface FloodShape {
  /** Index range of the flood within the packets (the hot windows). */
  first: number;
  last: number;
  packets: FloodPacket[];
  windowCount: number;
  peakPerSec: number;
  avgPerSec: number;
  bytes: number;
  sources: Array<{ addr: string; count: number }>;
  spread: Spread;
  startNs: number;
  endNs: number;
}

/** Null when no window of `windowSec` holds `minInWindow` packets. `pkts` must be sorted by time. */
export function floodShape(ctx: DetectorContext, pkts: FloodPacket[], windowSec: number, minInWindow: number): FloodShape | null {
  const times = pkts.map((p) => p.t);
  const widthNs = windowSec * 1e9;
  const best = densestWindow(times, widthNs);
  if (best.count < minInWindow) return null;
  const hot = markHotEvents(times, widthNs, (count) => count >= minInWindow);
  const first = hot.indexOf(1), last = hot.lastIndexOf(1);
  const packets = pkts.slice(first, last + 1);
  const per = new Map<number, number>();
  let bytes = 0;
  for (const p of packets) { per.set(p.src_id, (per.get(p.src_id) ?? 0) + 1); bytes += p.bytes; }
  const sources = [...per.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id, count]) => ({ addr: ctx.addr(id), count }));
  const startNs = packets[0].t, endNs = packets[packets.length - 1].t;
  return {
    first, last, packets, windowCount: best.count,
    peakPerSec: peakPerSecond(packets.map((p) => p.t)),
    avgPerSec: packets.length / Math.max((endNs - startNs) / 1e9, 0.001),
    bytes, sources, spread: spreadOf(sources.map((s) => s.addr)), startNs, endNs,
  };
}

export function sourcesText(sources: Array<{ addr: string; count: number }>, spread: Spread): string {
  if (sources.length === 1) return sources[0].addr;
  return `${sources.length.toLocaleString('en-US')} sources in ${spread.wideNets.toLocaleString('en-US')} /8 networks (busiest ${sources.slice(0, 3).map((s) => s.addr).join(', ')})`;
}

/**
 * The packets matching `where` sent to each of `targets`, target by target (ascending ids), each
 * list in time order. One table scan serves every target, and only one target's packets are held
 * at a time.
 */
export function* packetsTo(ctx: DetectorContext, targets: number[], where: string): Generator<[number, FloodPacket[]]> {
  if (targets.length === 0) return;
  const rows = ctx.db.prepare(`SELECT id, ts_ns - ? AS t, src_id, origlen AS bytes, flow_id, dst_id FROM packets NOT INDEXED
    WHERE dst_id IN (SELECT value FROM json_each(?)) AND ${where} ORDER BY dst_id, ts_ns, id`)
    .iterate(ctx.baseNs, JSON.stringify(targets)) as IterableIterator<FloodPacket & { dst_id: number }>;
  let dst = -1;
  let list: FloodPacket[] = [];
  for (const r of rows) {
    if (r.dst_id !== dst) {
      if (list.length) yield [dst, list];
      dst = r.dst_id;
      list = [];
    }
    list.push(r);
  }
  if (list.length) yield [dst, list];
}
