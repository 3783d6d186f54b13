/**
 * ICMP flood ("ping flood"): echo requests towards one host at a rate no diagnostic ping needs.
 * The packets consume the target's link and CPU (each one asks for a reply); a rate-limited
 * reply ratio shows the target defending itself.
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { keysThatMayFillWindow, windowBucketNs } from './sliding-window';
import { floodsTo, sourcesText } from './volume-flood';

/** Echo request: ICMPv4 type 8, ICMPv6 type 128 (stored in the sport column, as Zeek does). */
const ECHO_REQUEST = '((ip_proto = 1 AND sport = 8) OR (ip_proto = 58 AND sport = 128))';
const ECHO_REPLY = '((ip_proto = 1 AND sport = 0) OR (ip_proto = 58 AND sport = 129))';

export function detectIcmpFloods(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const T = th.icmpFlood;
  // One table scan counts packets per target and time bucket; only targets that may fill a window are read.
  const buckets = db.prepare(`SELECT dst_id, (ts_ns - ?) / ? AS b, count(*) AS n FROM packets NOT INDEXED
    WHERE ${ECHO_REQUEST} AND dst_id IS NOT NULL GROUP BY dst_id, b ORDER BY dst_id, b`)
    .all(baseNs, windowBucketNs(T.windowSec * 1e9)) as Array<{ dst_id: number; b: number; n: number }>;
  const targets = keysThatMayFillWindow(buckets, (x, y) => x.dst_id === y.dst_id, T.minPacketsInWindow);
  const out: DraftFinding[] = [];
  for (const [dst_id, shape] of floodsTo(ctx, targets.map((t) => t.dst_id), ECHO_REQUEST, T.windowSec, T.minPacketsInWindow)) {
    const target = ctx.addr(dst_id);
    const evidence = new EvidenceSet();
    evidence.addAll('echo-request', shape.ids);
    let replies = 0;
    for (const id of db.prepare(`SELECT id FROM packets WHERE src_id = ? AND ${ECHO_REPLY} AND ts_ns BETWEEN ? AND ? ORDER BY id`)
      .pluck().iterate(dst_id, ctx.abs(shape.startNs), ctx.abs(shape.endNs + 1e9)) as IterableIterator<number>) {
      evidence.add('echo-reply', id);
      replies++;
    }
    evidence.describe('echo-request', `${addrTest([target], 'dst')} && (icmp.type == 8 || icmpv6.type == 128)`);
    evidence.describe('echo-reply', `${addrTest([target], 'src')} && (icmp.type == 0 || icmpv6.type == 129)`);
    const when = (rel: number) => formatWhen(baseNs, rel);
    const ddos = shape.sources.length >= T.ddosMinSources;
    const from = sourcesText(shape.sources, shape.spread);
    const replyPct = Math.round((replies / shape.count) * 1000) / 10;
    out.push({
      kind: 'icmp-flood',
      title: `ICMP echo flood on ${target} from ${shape.sources.length === 1 ? shape.sources[0].addr : `${n(shape.sources.length)} sources`}: ${n(shape.count)} echo requests`,
      severity: shape.peakPerSec >= T.highPacketsPerSec || ddos ? 'high' : 'medium',
      confidence: clamp01(0.6 + Math.min(shape.windowCount / T.minPacketsInWindow, 4) * 0.08),
      startTsNs: ctx.abs(shape.startNs),
      endTsNs: ctx.abs(shape.endNs),
      targets: [{ addr: target, proto: 'icmp' }],
      sources: shape.sources.slice(0, 20).map((s) => ({ addr: s.addr, proto: 'icmp' })),
      metrics: {
        echoRequests: shape.count, echoReplies: replies, replyPercent: replyPct, sources: shape.sources.length,
        peakPerSec: shape.peakPerSec, avgPerSec: Math.round(shape.avgPerSec * 10) / 10, bytes: shape.bytes,
        durationSec: Math.round((shape.endNs - shape.startNs) / 1e6) / 1000,
      },
      explanation: [
        `Between ${when(shape.startNs)} and ${when(shape.endNs)} (${formatDuration(shape.endNs - shape.startNs)}), ${from} sent ${n(shape.count)} ICMP echo requests `
          + `(${n(shape.bytes)} bytes) to ${target}: peak ${n(shape.peakPerSec)} per second, average ${n(Math.round(shape.avgPerSec))} per second. An ordinary ping sends one a second.`,
        `${target} answered ${n(replies)} of them (${replyPct}%). Each request asks the target to build and send a reply, so a flood costs it bandwidth in both directions and CPU; `
          + (replyPct < 50 ? 'the low reply ratio suggests the target (or a device in front of it) was rate-limiting ICMP, or was overwhelmed.' : 'the target kept answering, so the link is carrying the flood twice.'),
      ].join('\n\n'),
      affected: [{ addr: target, detail: `${n(shape.count)} echo requests, ${n(replies)} replies`, count: shape.count, firstTs: String(ctx.abs(shape.startNs)), lastTs: String(ctx.abs(shape.endNs)) }],
      recommendations: [
        `Rate-limit ICMP echo towards ${target} at the edge (for example a few per second per source) rather than dropping ICMP entirely, which breaks path-MTU discovery.`,
        ddos ? 'The flood comes from many sources: ask the upstream provider to filter or scrub it before it reaches your link.' : `Block or rate-limit ${shape.sources[0].addr} at the perimeter and report it to its network owner.`,
      ],
      mitre: [{ id: 'T1498.001', name: 'Network Denial of Service: Direct Network Flood' }],
      evidence,
      flowIds: shape.flowIds,
      details: { events: [
        { tsNs: String(ctx.abs(shape.startNs)), text: `ICMP echo flood on ${target} begins` },
        { tsNs: String(ctx.abs(shape.endNs)), text: `ICMP echo flood on ${target} ends` },
      ] },
    });
  }
  return out;
}
