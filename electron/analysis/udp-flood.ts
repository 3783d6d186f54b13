/**
 * UDP flood: a volume of datagrams towards one host that it does not answer, spread over many
 * flows (random ports or many sources). A busy DNS or media server answers most of what it gets,
 * and a single media stream is one flow: neither is a flood.
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { IdSet } from './id-set';
import { keysThatMayFillWindow, windowBucketNs } from './sliding-window';
import { floodsTo, sourcesText } from './volume-flood';

export function detectUdpFloods(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const T = th.udpFlood;
  // One table scan counts packets per target and time bucket; only targets that may fill a window are read.
  const buckets = db.prepare(`SELECT dst_id, (ts_ns - ?) / ? AS b, count(*) AS n FROM packets NOT INDEXED
    WHERE ip_proto = 17 AND dst_id IS NOT NULL GROUP BY dst_id, b ORDER BY dst_id, b`)
    .all(baseNs, windowBucketNs(T.windowSec * 1e9)) as Array<{ dst_id: number; b: number; n: number }>;
  const targets = keysThatMayFillWindow(buckets, (x, y) => x.dst_id === y.dst_id, T.minPacketsInWindow);
  const out: DraftFinding[] = [];
  for (const [dst_id, shape] of floodsTo(ctx, targets.map((t) => t.dst_id), 'ip_proto = 17', T.windowSec, T.minPacketsInWindow)) {
    const flowIds = shape.flowIds;
    if (flowIds.size < T.minFlows) continue;
    // Answers: anything the target sent back to the flooding sources (UDP replies, ICMP errors).
    const answers = new IdSet();
    for (const r of db.prepare(`SELECT id, dst_id FROM packets WHERE src_id = ? AND ts_ns BETWEEN ? AND ? ORDER BY id`)
      .iterate(dst_id, ctx.abs(shape.startNs), ctx.abs(shape.endNs + 1e9)) as IterableIterator<{ id: number; dst_id: number }>) {
      if (shape.sourceIds.has(r.dst_id)) answers.add(r.id);
    }
    const replyRatio = answers.size / shape.count;
    if (replyRatio > T.maxReplyRatio) continue;
    const ports = db.prepare(`SELECT count(DISTINCT dport) FROM packets WHERE dst_id = ? AND ip_proto = 17 AND ts_ns BETWEEN ? AND ?`)
      .pluck().get(dst_id, ctx.abs(shape.startNs), ctx.abs(shape.endNs)) as number;
    const target = ctx.addr(dst_id);
    const evidence = new EvidenceSet();
    evidence.addAll('answer', answers);
    evidence.addAll('datagram', shape.ids);
    const floodSources = shape.sources.length <= 64 ? ` && ${addrTest(shape.sources.map((s) => s.addr), 'dst')}` : '';
    evidence.describe('answer', `${addrTest([target], 'src')}${floodSources}`);
    evidence.describe('datagram', `udp && ${addrTest([target], 'dst')}`);
    const when = (rel: number) => formatWhen(baseNs, rel);
    const ddos = shape.sources.length >= T.ddosMinSources;
    const mbit = (shape.bytes * 8) / Math.max((shape.endNs - shape.startNs) / 1e9, 0.001) / 1e6;
    out.push({
      kind: 'udp-flood',
      title: `UDP flood on ${target} from ${shape.sources.length === 1 ? shape.sources[0].addr : `${n(shape.sources.length)} sources`}: ${n(shape.count)} datagrams to ${n(ports)} ports`,
      severity: shape.peakPerSec >= T.highPacketsPerSec || ddos ? 'high' : 'medium',
      confidence: clamp01(0.55 + (1 - replyRatio) * 0.25 + Math.min(flowIds.size / 1000, 1) * 0.15),
      startTsNs: ctx.abs(shape.startNs),
      endTsNs: ctx.abs(shape.endNs),
      targets: [{ addr: target, proto: 'udp' }],
      sources: shape.sources.slice(0, 20).map((s) => ({ addr: s.addr, proto: 'udp' })),
      metrics: {
        datagrams: shape.count, bytes: shape.bytes, destinationPorts: ports, flows: flowIds.size, sources: shape.sources.length,
        answers: answers.size, peakPerSec: shape.peakPerSec, avgPerSec: Math.round(shape.avgPerSec * 10) / 10,
        avgMbitPerSec: Math.round(mbit * 100) / 100, durationSec: Math.round((shape.endNs - shape.startNs) / 1e6) / 1000,
      },
      explanation: [
        `Between ${when(shape.startNs)} and ${when(shape.endNs)} (${formatDuration(shape.endNs - shape.startNs)}), ${sourcesText(shape.sources, shape.spread)} sent `
          + `${n(shape.count)} UDP datagrams (${n(shape.bytes)} bytes, about ${n(Math.round(mbit * 100) / 100)} Mbit/s) to ${target}, spread over ${n(ports)} destination ports `
          + `and ${n(flowIds.size)} flows: peak ${n(shape.peakPerSec)} per second.`,
        `${target} sent back only ${n(answers.size)} packets to these sources. UDP needs no handshake, so a sender can push datagrams as fast as its link allows; `
          + 'traffic to random closed ports is not a conversation with any application but an attempt to fill the target\'s link or exhaust its stack '
          + '(every datagram to a closed port costs the target an ICMP error, until its rate limit kicks in).',
      ].join('\n\n'),
      affected: [{ addr: target, detail: `${n(shape.count)} datagrams on ${n(ports)} ports`, count: shape.count, firstTs: String(ctx.abs(shape.startNs)), lastTs: String(ctx.abs(shape.endNs)) }],
      recommendations: [
        `Filter UDP to ${target} at the edge to the ports it actually serves; drop the rest before it reaches the host.`,
        ddos ? 'Many sources: ask the upstream provider for scrubbing; a local filter cannot help once the link itself is full.' : `Block or rate-limit ${shape.sources[0].addr} at the perimeter.`,
      ],
      mitre: [{ id: 'T1498.001', name: 'Network Denial of Service: Direct Network Flood' }],
      evidence,
      flowIds,
      details: { events: [
        { tsNs: String(ctx.abs(shape.startNs)), text: `UDP flood on ${target} begins` },
        { tsNs: String(ctx.abs(shape.endNs)), text: `UDP flood on ${target} ends` },
      ] },
    });
  }
  return out;
}
