/**
 * SYN flood: many TCP handshakes opened towards one ip:port and never completed, so the server's
 * table of half-open connections (the SYN backlog) fills and real clients are turned away.
 *
 * Per target ip:port, a sliding window over its SYNs finds the "hot" period: enough SYNs, and
 * most of them never completed. Flow outcomes come from the ingest's handshake timings
 * (syn/synack/ack_ts_ns); retransmissions from PKT_TCP_RETRANSMISSION.
 */
import { PKT_TCP_RETRANSMISSION, TCP_ACK, TCP_SYN } from '../decode/packet-summary';
import type { Endpoint } from '../model/endpoint';
import { spreadOf } from './address-spread';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { serviceFor } from './service-names';
import { keysThatMayFillWindow, markHotEvents, peakPerSecond, prefixSums, windowBucketNs } from './sliding-window';
import { affectedRows, measureImpact } from './syn-flood-impact';
import { synFloodText, SynFloodFacts } from './syn-flood-text';

const SYN_ONLY = `(tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN}`;
const SYN_ACK = `(tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN | TCP_ACK}`;

/** Handshake outcome of the flow a SYN belongs to. */
const UNANSWERED = 0, HALF_OPEN = 1, COMPLETED = 2, REFUSED = 3;

/** A SYN/ACK sent by a target, `t` relative to the case start. */
interface SynAckRow { id: number; t: number; dst_id: number; flags: number }

interface SynRow { id: number; t: number; src_id: number; sport: number; flow_id: number | null; flags: number; answered: number | null; completed: number | null; rst_resp: number | null }

export function detectSynFlood(ctx: DetectorContext): DraftFinding[] {
  const { db, baseNs } = ctx;
  const busy = busyTargets(ctx);
  if (busy.length === 0) return [];
  // One table scan reads, for every busy ip:port, the SYNs it received and the SYN/ACKs it sent,
  // grouped by target, SYNs first, each in time order.
  const rows = db.prepare(`WITH busy(host, port) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
    SELECT p.id, p.ts_ns - ? AS t, p.src_id, p.sport, p.dst_id, p.flow_id, p.flags, ${SYN_ACK.replace('tcp_flags', 'p.tcp_flags')} AS synack,
      CASE WHEN ${SYN_ONLY.replace('tcp_flags', 'p.tcp_flags')} THEN p.dst_id ELSE p.src_id END AS host,
      CASE WHEN ${SYN_ONLY.replace('tcp_flags', 'p.tcp_flags')} THEN p.dport ELSE p.sport END AS port,
      f.synack_ts_ns IS NOT NULL AS answered, f.ack_ts_ns IS NOT NULL AS completed, f.rst_resp
    FROM packets p NOT INDEXED LEFT JOIN flows f ON f.id = p.flow_id
    WHERE p.ip_proto = 6 AND (
      ((p.dst_id, p.dport) IN busy AND ${SYN_ONLY.replace('tcp_flags', 'p.tcp_flags')})
      OR ((p.src_id, p.sport) IN busy AND ${SYN_ACK.replace('tcp_flags', 'p.tcp_flags')}))
    ORDER BY host, port, synack, p.ts_ns, p.id`)
    .iterate(JSON.stringify(busy.map((b) => [b.dst_id, b.dport])), baseNs) as IterableIterator<SynRow & { dst_id: number; synack: number; host: number; port: number }>;
  const out: DraftFinding[] = [];
  // Hosts that completed a TCP handshake with anyone: read once, and only if some target is flooded.
  let completed: Set<number> | null = null;
  const completers = () => completed ??= new Set(db.prepare('SELECT DISTINCT orig_id FROM flows WHERE ip_proto = 6 AND ack_ts_ns IS NOT NULL')
    .pluck().all() as number[]);
  let syns: SynRow[] = [];
  let synAcks: SynAckRow[] = [];
  let host = -1, port = -1;
  const flush = () => {
    const f = syns.length ? analyseTarget(ctx, host, port, syns, synAcks.sort((a, b) => a.id - b.id), completers) : null;
    if (f) out.push(f);
    syns = [];
    synAcks = [];
  };
  for (const r of rows) {
    if (r.host !== host || r.port !== port) { flush(); host = r.host; port = r.port; }
    if (r.synack) synAcks.push(r); else syns.push(r);
  }
  flush();
  return out;
}

/**
 * The ip:ports that could hold a hot window, in (host, port) order. One table scan counts SYNs
 * per target and time bucket (see keysThatMayFillWindow), so the SYNs of a target that never
 * received minSynsInWindow of them within one window are never read.
 */
function busyTargets(ctx: DetectorContext): Array<{ dst_id: number; dport: number }> {
  const { db, th, baseNs } = ctx;
  const T = th.synFlood;
  const rows = db.prepare(`SELECT dst_id, dport, (ts_ns - ?) / ? AS b, count(*) AS n
    FROM packets NOT INDEXED
    WHERE ip_proto = 6 AND ${SYN_ONLY} AND dst_id IS NOT NULL AND dport IS NOT NULL
    GROUP BY dst_id, dport, b ORDER BY dst_id, dport, b`)
    .all(baseNs, windowBucketNs(T.windowSec * 1e9)) as Array<{ dst_id: number; dport: number; b: number; n: number }>;
  return keysThatMayFillWindow(rows, (x, y) => x.dst_id === y.dst_id && x.dport === y.dport, T.minSynsInWindow);
}

/**
 * `syns`: every SYN towards targetId:port, ordered by time then packet id; `sentSynAcks`: every
 * SYN/ACK from targetId:port, in packet id order; `completers`: the hosts that completed any handshake.
 */
function analyseTarget(ctx: DetectorContext, targetId: number, port: number, syns: SynRow[], sentSynAcks: SynAckRow[],
  completers: () => Set<number>): DraftFinding | null {
  const { db, th, baseNs } = ctx;
  const T = th.synFlood;
  const times = syns.map((s) => s.t);
  const outcome = syns.map((s) => s.completed ? COMPLETED : s.answered ? HALF_OPEN : s.rst_resp ? REFUSED : UNANSWERED);
  const incomplete = prefixSums(outcome.map((o) => (o === UNANSWERED || o === HALF_OPEN ? 1 : 0)));
  const hot = markHotEvents(times, T.windowSec * 1e9, (count, i, j) =>
    count >= T.minSynsInWindow && (incomplete[j + 1] - incomplete[i]) / count >= T.minIncompleteRatio);
  const first = hot.indexOf(1);
  if (first < 0) return null;
  const last = hot.lastIndexOf(1);

  // Clients that completed a handshake with this host: they are users, not attackers.
  const legit = new Map<number, number>();
  for (const r of db.prepare(`SELECT orig_id, min(syn_ts_ns) - ? AS first_ok FROM flows
      WHERE resp_id = ? AND ip_proto = 6 AND ack_ts_ns IS NOT NULL AND syn_ts_ns IS NOT NULL GROUP BY orig_id`)
    .all(baseNs, targetId) as Array<{ orig_id: number; first_ok: number }>) legit.set(r.orig_id, r.first_ok);

  // The attack: SYNs in the hot period from sources that never completed a handshake with the target.
  const evidence = new EvidenceSet();
  const impactEvidence = new EvidenceSet();
  const attackSyns: SynRow[] = [];
  const perSource = new Map<number, number>();
  const attackFlows = new Set<number>();
  const halfOpenFlows = new Set<number>();
  const unansweredFlows = new Set<number>();
  const srcPorts = new Set<number>();
  let attackSynRetrans = 0;
  let lastAnsweredNs: number | null = null;
  let answeredSyns = 0;
  for (let i = first; i <= last; i++) {
    const s = syns[i];
    if (legit.has(s.src_id)) continue;
    if (outcome[i] === HALF_OPEN || outcome[i] === COMPLETED) { lastAnsweredNs = s.t; answeredSyns++; }
    attackSyns.push(s);
    perSource.set(s.src_id, (perSource.get(s.src_id) ?? 0) + 1);
    srcPorts.add(s.sport);
    if (s.flags & PKT_TCP_RETRANSMISSION) attackSynRetrans++;
    if (s.flow_id !== null) {
      attackFlows.add(s.flow_id);
      if (outcome[i] === HALF_OPEN) halfOpenFlows.add(s.flow_id);
      else if (outcome[i] === UNANSWERED) unansweredFlows.add(s.flow_id);
    }
  }
  if (attackSyns.length === 0) return null;
  // A hot window may open on ordinary SYNs just before the flood: the attack is bounded by its own SYNs.
  const startNs = attackSyns[0].t;
  const endNs = attackSyns[attackSyns.length - 1].t;
  const afterLastAnswer = lastAnsweredNs === null ? attackSyns.length : attackSyns.filter((s) => s.t > lastAnsweredNs!).length;
  const stoppedAnswering = lastAnsweredNs !== null && endNs - lastAnsweredNs >= T.stoppedAnsweringSec * 1e9 && afterLastAnswer > 0;

  // The server's side of step 2: SYN/ACKs (and their retransmissions) towards the attack sources.
  let synAcks = 0, synAckRetrans = 0;
  const synAckIds: number[] = [], synAckRetransIds: number[] = [];
  const synAckFromNs = startNs, synAckToNs = endNs + 120e9;
  // Relative times are exact integers below 2^53 ns (104 days); past that, let SQLite compare epoch times.
  const synAckRows = Number.isSafeInteger(synAckFromNs) && Number.isSafeInteger(synAckToNs)
    ? sentSynAcks.filter((r) => r.t >= synAckFromNs && r.t <= synAckToNs)
    : db.prepare(`SELECT id, dst_id, flags FROM packets WHERE src_id = ? AND sport = ? AND ip_proto = 6
        AND ${SYN_ACK} AND ts_ns BETWEEN ? AND ? ORDER BY id`)
      .all(targetId, port, ctx.abs(synAckFromNs), ctx.abs(synAckToNs)) as SynAckRow[];
  // "Did the server stop answering?" is decided from the SYN/ACK rate in the attack's last stretch.
  const endWindowNs = Math.min(T.stoppedAnsweringSec * 2e9, Math.max(1e9, (endNs - startNs) / 4));
  let synAcksAtEnd = 0;
  for (const r of synAckRows) {
    if (!perSource.has(r.dst_id)) continue;
    if (r.flags & PKT_TCP_RETRANSMISSION) { synAckRetrans++; synAckRetransIds.push(r.id); } else {
      synAcks++; synAckIds.push(r.id);
      if (r.t !== undefined && r.t >= endNs - endWindowNs && r.t <= endNs) synAcksAtEnd++;
    }
  }
  const synAckRateAtEnd = synAcksAtEnd / (endWindowNs / 1e9);
  // A SYN that is neither a retransmission nor the first of its attempt reused a source port (same 4-tuple).
  const reusedPortSyns = Math.max(0, attackSyns.filter((s) => s.flow_id !== null).length - attackSynRetrans - attackFlows.size);

  const impact = measureImpact(ctx, targetId, port, legit, startNs, endNs, endNs + T.impactGraceSec * 1e9, impactEvidence);
  // Impact evidence first: it is small and proves the harm; then the handshake steps.
  for (const role of ['http-5xx', 'server-rst', 'client-syn-retransmission', 'client-syn']) evidence.addAll(role, impactEvidence.idsOf(role));
  evidence.addAll('synack', synAckIds);
  evidence.addAll('synack-retransmission', synAckRetransIds);
  evidence.addAll('syn', attackSyns.map((s) => s.id));
  describeSynFloodEvidence(ctx, evidence, targetId, port, [...legit.keys()]);

  // Who attacked, and can the addresses be believed?
  const sourceAddrs = [...perSource.keys()].map((id) => ctx.addr(id));
  const spread = spreadOf(sourceAddrs);
  const completedAnywhere = completers();
  const neverCompleted = [...perSource.keys()].filter((id) => !completedAnywhere.has(id)).length;
  const onePacket = countSinglePacketSources(ctx, [...perSource.keys()]);
  const ranked = [...perSource.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const topShare = ranked[0][1] / attackSyns.length;
  const ddos = perSource.size >= T.ddosMinSources && topShare < T.dosTopSourceShare;
  const spoofLikely = perSource.size >= T.ddosMinSources && neverCompleted / perSource.size >= T.spoofMinNeverCompleted
    && spread.narrowNets / perSource.size >= T.spoofMin16PerSource;

  const peak = peakPerSecond(attackSyns.map((s) => s.t));
  const durationSec = Math.max((endNs - startNs) / 1e9, 0.001);
  const critical = peak >= T.criticalSynPerSec || impact.impactedClients >= T.criticalImpactedClients;
  const target = ctx.addr(targetId);
  const svc = serviceFor(6, port);
  const facts: SynFloodFacts = {
    target, port, service: svc?.label ?? null, startNs, endNs, baseNs, scope: ddos ? 'DDoS' : 'DoS', spoofLikely,
    sources: ranked.map(([id, count]) => ({ addr: ctx.addr(id), count })), attackSyns: attackSyns.length,
    attackSynRetrans, distinctSrcPorts: srcPorts.size, peakPerSec: peak, avgPerSec: attackSyns.length / durationSec,
    attackFlows: attackFlows.size, halfOpen: halfOpenFlows.size, unanswered: unansweredFlows.size,
    synAcks, synAckRetrans, answeredSyns, stoppedAnswering, lastAnsweredNs, afterLastAnswer,
    synAckRateAtEnd, endWindowSec: endWindowNs / 1e9, reusedPortSyns,
    neverCompleted, onePacket, spread, impact,
  };
  const text = synFloodText(facts);
  const targets: Endpoint[] = [{ addr: target, port, proto: 'tcp', ...(svc ? { service: svc.name } : {}) }];
  const sources: Endpoint[] = ranked.slice(0, 20).map(([id]) => ({ addr: ctx.addr(id), proto: 'tcp' }));
  const mitre = [{ id: 'T1499.001', name: 'Endpoint Denial of Service: OS Exhaustion Flood' }];
  if (ddos || peak >= T.criticalSynPerSec) mitre.push({ id: 'T1498.001', name: 'Network Denial of Service: Direct Network Flood' });
  return {
    kind: 'syn-flood',
    title: text.title,
    severity: critical ? 'critical' : 'high',
    confidence: clamp01(0.5 + 0.3 * ((halfOpenFlows.size + unansweredFlows.size) / Math.max(1, attackFlows.size)) + (attackSyns.length >= 10 * T.minSynsInWindow ? 0.15 : 0.05)),
    startTsNs: ctx.abs(startNs),
    endTsNs: ctx.abs(endNs),
    targets, sources,
    metrics: {
      attackSyns: attackSyns.length, attackSources: perSource.size, peakSynPerSec: peak,
      avgSynPerSec: Math.round(facts.avgPerSec * 10) / 10, durationSec: Math.round(durationSec * 1000) / 1000,
      attackFlows: attackFlows.size, halfOpen: halfOpenFlows.size, unanswered: unansweredFlows.size, completedByAttackers: 0,
      synAcks, synAckRetransmissions: synAckRetrans, attackSynRetransmissions: attackSynRetrans, distinctSourcePorts: srcPorts.size,
      distinctSlash8: spread.wideNets, distinctSlash16: spread.narrowNets, sourcesNeverCompleted: neverCompleted,
      singlePacketSources: onePacket, scope: facts.scope, spoofingLikely: spoofLikely ? 'yes' : 'no',
      legitimateClients: impact.baselineClients, impactedClients: impact.impactedClients,
      clientUnansweredConnections: impact.unanswered, clientSynRetransmissions: impact.synRetransmissions,
      serverResets: impact.resets, http5xx: impact.http5xx, slowHandshakes: impact.slow,
      ...(impact.baselineHandshakeMs !== null ? { baselineHandshakeMs: round1(impact.baselineHandshakeMs) } : {}),
      ...(impact.attackHandshakeMs !== null ? { attackHandshakeMs: round1(impact.attackHandshakeMs) } : {}),
    },
    explanation: text.explanation,
    affected: affectedRows(ctx, impact),
    recommendations: text.recommendations,
    mitre,
    evidence,
    flowIds: [...attackFlows, ...impact.flowIds],
    details: {
      events: text.events, handshake: text.handshake, http5xxStatuses: impact.http5xxStatuses,
      answering: {
        stopped: stoppedAnswering, lastAnsweredTsNs: lastAnsweredNs !== null ? String(ctx.abs(lastAnsweredNs)) : null,
        afterLastAnswer, synAckRateAtEnd: round1(synAckRateAtEnd), endWindowSec: endWindowNs / 1e9,
      },
    },
  };
}

/** Each role as a display filter (evidence-query.ts adds the exceptions the filter cannot say). */
function describeSynFloodEvidence(ctx: DetectorContext, evidence: EvidenceSet, targetId: number, port: number, legitIds: number[]): void {
  const target = ctx.addr(targetId);
  const legit = legitIds.length > 0 && legitIds.length <= 64 ? legitIds.map((id) => ctx.addr(id)).sort() : null;
  const toTarget = `${addrTest([target], 'dst')} && tcp.dstport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0`;
  const fromTarget = `${addrTest([target], 'src')} && tcp.srcport == ${port}`;
  const notLegit = (dir: 'src' | 'dst') => legit ? ` && !(${addrTest(legit, dir)})` : '';
  const onlyLegit = (dir: 'src' | 'dst') => legit ? ` && ${addrTest(legit, dir)}` : '';
  evidence.describe('syn', `${toTarget}${notLegit('src')}`);
  evidence.describe('synack', `${fromTarget} && tcp.flags.syn == 1 && tcp.flags.ack == 1 && !tcp.analysis.retransmission${notLegit('dst')}`);
  evidence.describe('synack-retransmission', `${fromTarget} && tcp.flags.syn == 1 && tcp.flags.ack == 1 && tcp.analysis.retransmission${notLegit('dst')}`);
  evidence.describe('client-syn', `${toTarget} && !tcp.analysis.retransmission${onlyLegit('src')}`);
  evidence.describe('client-syn-retransmission', `${toTarget} && tcp.analysis.retransmission${onlyLegit('src')}`);
  evidence.describe('server-rst', `${fromTarget} && tcp.flags.reset == 1${onlyLegit('dst')}`);
  evidence.describe('http-5xx', `${fromTarget} && http.response.code >= 500${onlyLegit('dst')}`);
}

function round1(x: number): number { return Math.round(x * 10) / 10; }

/** Sources whose only packet in the whole case was one SYN: typical of spoofed floods. */
function countSinglePacketSources(ctx: DetectorContext, ids: number[]): number {
  const stmt = ctx.db.prepare('SELECT pkts_sent FROM hosts WHERE addr_id = ?').pluck();
  let n = 0;
  for (const id of ids) if ((stmt.get(id) as number | undefined) === 1) n++;
  return n;
}
