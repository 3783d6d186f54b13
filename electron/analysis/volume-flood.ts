/**
 * Shared arithmetic of volumetric floods (ICMP, UDP): packets towards one target, their densest
 * window, peak rate, the sources behind them and the flood's extent. The protocol detectors
 * decide what counts as a flood packet and what counts as an answer.
 */
import { spreadOf, Spread } from './address-spread';
import type { DetectorContext } from './detector-context';
import { IdSet } from './id-set';
import { WindowStream } from './sliding-window';

export interface FloodPacket { id: number; t: number; src_id: number; bytes: number; flow_id: number | null }

export interface FloodShape {
  /** The flood's packets: those from the first hot window's first packet to the last one's last. */
  count: number;
  ids: IdSet;
  flowIds: IdSet;
  windowCount: number;
  peakPerSec: number;
  avgPerSec: number;
  bytes: number;
  sources: Array<{ addr: string; count: number }>;
  sourceIds: Set<number>;
  spread: Spread;
  startNs: number;
  endNs: number;
}

/**
 * The floods towards `targets`: per target (ascending ids) whose packets matching `where` fill a
 * window of `windowSec` with `minInWindow` of them, the flood's shape. One table scan finds each
 * target's hot span holding only a window of packets at a time; a second reads back the targets
 * that have one and sums their flood up, so no target's packets are ever all held.
 */
export function* floodsTo(ctx: DetectorContext, targets: number[], where: string, windowSec: number, minInWindow: number): Generator<[number, FloodShape]> {
  if (targets.length === 0) return;
  const spans = new Map<number, { first: number; last: number; windowCount: number }>();
  let dst = -1;
  let windows: WindowStream | null = null;
  const close = () => {
    if (windows && windows.finish().firstHot >= 0) spans.set(dst, { first: windows.firstHot, last: windows.lastHot, windowCount: windows.densest });
  };
  for (const p of packetsTo(ctx, targets, where)) {
    if (p.dst_id !== dst || windows === null) {
      close();
      dst = p.dst_id;
      windows = new WindowStream(windowSec * 1e9, (count) => count >= minInWindow);
    }
    windows.push(p.t);
  }
  close();
  if (spans.size === 0) return;

  let flood: FloodSum | null = null;
  let index = 0;
  for (const p of packetsTo(ctx, [...spans.keys()], where)) {
    if (flood === null || p.dst_id !== flood.dst) {
      if (flood) yield [flood.dst, flood.shape(ctx)];
      flood = new FloodSum(p.dst_id, spans.get(p.dst_id)!.windowCount);
      index = 0;
    }
    const span = spans.get(p.dst_id)!;
    if (index >= span.first && index <= span.last) flood.observe(p);
    index++;
  }
  if (flood) yield [flood.dst, flood.shape(ctx)];
}

/** The packets matching `where` sent to each of `targets`, by target (ascending ids), each target's in time order. */
function packetsTo(ctx: DetectorContext, targets: number[], where: string): IterableIterator<FloodPacket & { dst_id: number }> {
  return ctx.db.prepare(`SELECT id, ts_ns - ? AS t, src_id, origlen AS bytes, flow_id, dst_id FROM packets NOT INDEXED
    WHERE dst_id IN (SELECT value FROM json_each(?)) AND ${where} ORDER BY dst_id, ts_ns, id`)
    .iterate(ctx.baseNs, JSON.stringify(targets)) as IterableIterator<FloodPacket & { dst_id: number }>;
}

/** One target's flood packets, summed as they stream by. */
class FloodSum {
  private count = 0;
  private bytes = 0;
  private startNs = 0;
  private endNs = 0;
  private readonly ids = new IdSet();
  private readonly flowIds = new IdSet();
  private readonly perSource = new Map<number, number>();
  private readonly perSecond = new WindowStream(1e9);

  constructor(readonly dst: number, private readonly windowCount: number) {}

  observe(p: FloodPacket): void {
    if (this.count === 0) this.startNs = p.t;
    this.endNs = p.t;
    this.count++;
    this.bytes += p.bytes;
    this.ids.add(p.id);
    if (p.flow_id !== null) this.flowIds.add(p.flow_id);
    this.perSource.set(p.src_id, (this.perSource.get(p.src_id) ?? 0) + 1);
    this.perSecond.push(p.t);
  }

  shape(ctx: DetectorContext): FloodShape {
    const sources = [...this.perSource.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id, count]) => ({ addr: ctx.addr(id), count }));
    return {
      count: this.count, ids: this.ids, flowIds: this.flowIds, windowCount: this.windowCount,
      peakPerSec: this.perSecond.finish().densest,
      avgPerSec: this.count / Math.max((this.endNs - this.startNs) / 1e9, 0.001),
      bytes: this.bytes, sources, sourceIds: new Set(this.perSource.keys()), spread: spreadOf(sources.map((s) => s.addr)),
      startNs: this.startNs, endNs: this.endNs,
    };
  }
}

export function sourcesText(sources: Array<{ addr: string; count: number }>, spread: Spread): string {
  if (sources.length === 1) return sources[0].addr;
  return `${sources.length.toLocaleString('en-US')} sources in ${spread.wideNets.toLocaleString('en-US')} /8 networks (busiest ${sources.slice(0, 3).map((s) => s.addr).join(', ')})`;
}
