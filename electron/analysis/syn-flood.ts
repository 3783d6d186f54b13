/**
 * SYN flood: many TCP handshakes opened towards one ip:port and never completed, so the server's
 * table of half-open connections (the SYN backlog) fills and real clients are turned away.
 *
 * Per target ip:port, a sliding window over its SYNs finds the "hot" period: enough SYNs, and
 * most of them never completed. Flow outcomes come from the ingest's handshake timings
 * (syn/synack/ack_ts_ns); retransmissions from PKT_TCP_RETRANSMISSION.
 *
 * Memory does not grow with the capture: the SYNs stream by twice (once to find each target's hot
 * period holding only one window of them, once to sum up the attack inside it), and what a
 * finding keeps of hundreds of thousands of SYNs is counts, id sets (id-set.ts) and per-source tallies.
 */
import { PKT_TCP_RETRANSMISSION } from '../decode/packet-summary';
import type { Endpoint } from '../model/endpoint';
import { packetIdRange } from '../../db/time-range';
import { spreadOf } from './address-spread';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet, round1 } from './finding';
import { IdSet } from './id-set';
import { serviceFor } from './service-names';
import { keysThatMayFillWindow, windowBucketNs, WindowStream } from './sliding-window';
import { affectedRows, measureImpact } from './syn-flood-impact';
import { synFloodText, SynFloodFacts } from './syn-flood-text';
import { synAck, synOnly } from './tcp-flags-sql';

/** Handshake outcome of the flow a SYN belongs to. */
const UNANSWERED = 0, HALF_OPEN = 1, COMPLETED = 2, REFUSED = 3;

interface SynRow { id: number; t: number; src_id: number; sport: number; flow_id: number | null; flags: number; answered: number | null; completed: number | null; rst_resp: number | null }

interface Target { dst_id: number; dport: number }

/** A target's hot period: indexes, in its SYNs' time order, of the first and last SYN in a hot window. */
interface HotPeriod { target: Target; first: number; last: number }

function outcomeOf(s: SynRow): number {
  return s.completed ? COMPLETED : s.answered ? HALF_OPEN : s.rst_resp ? REFUSED : UNANSWERED;
}

export function detectSynFlood(ctx: DetectorContext): DraftFinding[] {
  const busy = busyTargets(ctx);
  if (busy.length === 0) return [];
  const hot = hotPeriods(ctx, busy);
  const out: DraftFinding[] = [];
  // Hosts that completed a TCP handshake with anyone: read once, and only if some target is flooded.
  let completed: Set<number> | null = null;
  const completers = () => completed ??= new Set(ctx.db.prepare('SELECT DISTINCT orig_id FROM flows WHERE ip_proto = 6 AND ack_ts_ns IS NOT NULL')
    .pluck().all() as number[]);
  for (const attack of attacks(ctx, hot)) {
    const f = describeAttack(ctx, attack, completers);
    if (f) out.push(f);
  }
  return out;
}

/**
 * The ip:ports that could hold a hot window, in (host, port) order. One table scan counts SYNs
 * per target and time bucket (see keysThatMayFillWindow), so the SYNs of a target that never
 * received minSynsInWindow of them within one window are never read.
 */
function busyTargets(ctx: DetectorContext): Target[] {
  const { db, th, baseNs } = ctx;
  const T = th.synFlood;
  const rows = db.prepare(`SELECT dst_id, dport, (ts_ns - ?) / ? AS b, count(*) AS n
    FROM packets NOT INDEXED
    WHERE ip_proto = 6 AND ${synOnly()} AND dst_id IS NOT NULL AND dport IS NOT NULL
    GROUP BY dst_id, dport, b ORDER BY dst_id, dport, b`)
    .all(baseNs, windowBucketNs(T.windowSec * 1e9)) as Array<Target & { b: number; n: number }>;
  return keysThatMayFillWindow(rows, (x, y) => x.dst_id === y.dst_id && x.dport === y.dport, T.minSynsInWindow)
    .map((r) => ({ dst_id: r.dst_id, dport: r.dport }));
}

/**
 * Every SYN sent to `targets`, with its flow's handshake outcome: one table scan, grouped by
 * target, each target's in time order (then packet id).
 */
function synsTo(ctx: DetectorContext, targets: Target[]): IterableIterator<SynRow & Target> {
  return ctx.db.prepare(`WITH busy(host, port) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
    SELECT p.id, p.ts_ns - ? AS t, p.src_id, p.sport, p.dst_id, p.dport, p.flow_id, p.flags,
      f.synack_ts_ns IS NOT NULL AS answered, f.ack_ts_ns IS NOT NULL AS completed, f.rst_resp
    FROM packets p NOT INDEXED LEFT JOIN flows f ON f.id = p.flow_id
    WHERE p.ip_proto = 6 AND (p.dst_id, p.dport) IN busy AND ${synOnly('p.tcp_flags')}
    ORDER BY p.dst_id, p.dport, p.ts_ns, p.id`)
    .iterate(JSON.stringify(targets.map((b) => [b.dst_id, b.dport])), ctx.baseNs) as IterableIterator<SynRow & Target>;
}

/**
 * First pass: each target's hot period, if it has one. A window is hot with enough SYNs, most of
 * them never completed (unanswered or half-open); only one window of SYNs is held at a time.
 */
function hotPeriods(ctx: DetectorContext, busy: Target[]): HotPeriod[] {
  const T = ctx.th.synFlood;
  const out: HotPeriod[] = [];
  let target: Target | null = null;
  let windows: WindowStream | null = null;
  const close = () => {
    if (target && windows && windows.finish().firstHot >= 0) out.push({ target, first: windows.firstHot, last: windows.lastHot });
  };
  for (const s of synsTo(ctx, busy)) {
    if (!target || s.dst_id !== target.dst_id || s.dport !== target.dport) {
      close();
      target = { dst_id: s.dst_id, dport: s.dport };
      windows = new WindowStream(T.windowSec * 1e9, (count, incomplete) => count >= T.minSynsInWindow && incomplete / count >= T.minIncompleteRatio);
    }
    const o = outcomeOf(s);
    windows!.push(s.t, o === UNANSWERED || o === HALF_OPEN);
  }
  close();
  return out;
}

/**
 * Second pass: the attack on each hot target, summed from the SYNs of its hot period that came
 * from sources which never completed a handshake with it. Targets in (host, port) order.
 */
function* attacks(ctx: DetectorContext, hot: HotPeriod[]): Generator<AttackTally> {
  if (hot.length === 0) return;
  const byKey = new Map(hot.map((h) => [`${h.target.dst_id}|${h.target.dport}`, h]));
  let attack: AttackTally | null = null;
  let period: HotPeriod | null = null;
  let index = 0;
  for (const s of synsTo(ctx, hot.map((h) => h.target))) {
    if (!period || s.dst_id !== period.target.dst_id || s.dport !== period.target.dport) {
      if (attack) yield attack;
      period = byKey.get(`${s.dst_id}|${s.dport}`)!;
      attack = new AttackTally(period.target, legitimateClients(ctx, s.dst_id));
      index = 0;
    }
    if (index >= period.first && index <= period.last) attack!.observe(s);
    index++;
  }
  if (attack) yield attack;
}

/** Clients that completed a handshake with this host, with the time of their first one: they are users, not attackers. */
function legitimateClients(ctx: DetectorContext, targetId: number): Map<number, number> {
  const legit = new Map<number, number>();
  for (const r of ctx.db.prepare(`SELECT orig_id, min(syn_ts_ns) - ? AS first_ok FROM flows
      WHERE resp_id = ? AND ip_proto = 6 AND ack_ts_ns IS NOT NULL AND syn_ts_ns IS NOT NULL GROUP BY orig_id`)
    .all(ctx.baseNs, targetId) as Array<{ orig_id: number; first_ok: number }>) legit.set(r.orig_id, r.first_ok);
  return legit;
}

/** The attack SYNs of one target's hot period, summed as they stream by (time order). */
class AttackTally {
  syns = 0;
  startNs = 0;
  endNs = 0;
  retransmissions = 0;
  /** SYNs whose flow got a SYN/ACK (half-open or completed), and the time of the last one. */
  answeredSyns = 0;
  lastAnsweredNs: number | null = null;
  /** Attack SYNs later than the last answered one (all of them while none was answered). */
  afterLastAnswer = 0;
  /** Attack SYNs that belong to a flow. */
  synsInFlows = 0;
  readonly ids = new IdSet();
  readonly perSource = new Map<number, number>();
  readonly srcPorts = new Set<number>();
  readonly flows = new IdSet();
  readonly halfOpenFlows = new IdSet();
  readonly unansweredFlows = new IdSet();
  readonly perSecond = new WindowStream(1e9);

  constructor(readonly target: Target, readonly legit: Map<number, number>) {}

  observe(s: SynRow): void {
    if (this.legit.has(s.src_id)) return;
    const o = outcomeOf(s);
    if (this.syns === 0) this.startNs = s.t;
    this.endNs = s.t;
    this.syns++;
    if (o === HALF_OPEN || o === COMPLETED) {
      this.lastAnsweredNs = s.t;
      this.answeredSyns++;
      this.afterLastAnswer = 0;
    } else if (this.lastAnsweredNs === null || s.t > this.lastAnsweredNs) {
      this.afterLastAnswer++;
    }
    this.ids.add(s.id);
    this.perSource.set(s.src_id, (this.perSource.get(s.src_id) ?? 0) + 1);
    this.srcPorts.add(s.sport);
    if (s.flags & PKT_TCP_RETRANSMISSION) this.retransmissions++;
    if (s.flow_id !== null) {
      this.synsInFlows++;
      this.flows.add(s.flow_id);
      if (o === HALF_OPEN) this.halfOpenFlows.add(s.flow_id);
      else if (o === UNANSWERED) this.unansweredFlows.add(s.flow_id);
    }
    this.perSecond.push(s.t);
  }
}

/** The server's side of step 2: SYN/ACKs (and their retransmissions) to the attack sources, up to 120 s after the attack. */
function synAcksToAttackers(ctx: DetectorContext, a: AttackTally, endWindowNs: number) {
  const { dst_id: targetId, dport: port } = a.target;
  const from = ctx.abs(a.startNs), to = ctx.abs(a.endNs + 120e9);
  const range = packetIdRange(ctx.db, from, to);
  const rows = ctx.db.prepare(`SELECT id, ts_ns - ? AS t, dst_id, flags FROM packets
    WHERE src_id = ? AND sport = ? AND ip_proto = 6 AND ${synAck()} AND ts_ns BETWEEN ? AND ? ${range ? 'AND id BETWEEN ? AND ?' : ''}
    ORDER BY id`).iterate(ctx.baseNs, targetId, port, from, to, ...(range ? [range.first, range.last] : [])) as
    IterableIterator<{ id: number; t: number; dst_id: number; flags: number }>;
  const sent = { synAcks: 0, retransmissions: 0, atEnd: 0, ids: new IdSet(), retransmissionIds: new IdSet() };
  for (const r of rows) {
    if (!a.perSource.has(r.dst_id)) continue;
    if (r.flags & PKT_TCP_RETRANSMISSION) { sent.retransmissions++; sent.retransmissionIds.add(r.id); } else {
      sent.synAcks++; sent.ids.add(r.id);
      if (r.t >= a.endNs - endWindowNs && r.t <= a.endNs) sent.atEnd++;
    }
  }
  return sent;
}

/** The finding for one attack, or null when every SYN of the hot period came from legitimate clients. */
function describeAttack(ctx: DetectorContext, a: AttackTally, completers: () => Set<number>): DraftFinding | null {
  const { th } = ctx;
  const T = th.synFlood;
  if (a.syns === 0) return null;
  const { dst_id: targetId, dport: port } = a.target;
  const { legit, perSource, startNs, endNs, lastAnsweredNs } = a;
  const attackSyns = a.syns;
  const stoppedAnswering = lastAnsweredNs !== null && endNs - lastAnsweredNs >= T.stoppedAnsweringSec * 1e9 && a.afterLastAnswer > 0;

  // "Did the server stop answering?" is decided from the SYN/ACK rate in the attack's last stretch.
  const endWindowNs = Math.min(T.stoppedAnsweringSec * 2e9, Math.max(1e9, (endNs - startNs) / 4));
  const sent = synAcksToAttackers(ctx, a, endWindowNs);
  const synAcks = sent.synAcks, synAckRetrans = sent.retransmissions;
  const synAckRateAtEnd = sent.atEnd / (endWindowNs / 1e9);
  // A SYN that is neither a retransmission nor the first of its attempt reused a source port (same 4-tuple).
  const reusedPortSyns = Math.max(0, a.synsInFlows - a.retransmissions - a.flows.size);

  const evidence = new EvidenceSet();
  const impactEvidence = new EvidenceSet();
  const impact = measureImpact(ctx, targetId, port, legit, startNs, endNs, endNs + T.impactGraceSec * 1e9, impactEvidence);
  // Impact evidence first: it is small and proves the harm; then the handshake steps.
  for (const role of ['http-5xx', 'server-rst', 'client-syn-retransmission', 'client-syn']) evidence.addAll(role, impactEvidence.idsOf(role));
  evidence.addAll('synack', sent.ids);
  evidence.addAll('synack-retransmission', sent.retransmissionIds);
  evidence.addAll('syn', a.ids);
  describeSynFloodEvidence(ctx, evidence, targetId, port, [...legit.keys()]);

  // Who attacked, and can the addresses be believed?
  const sourceAddrs = [...perSource.keys()].map((id) => ctx.addr(id));
  const spread = spreadOf(sourceAddrs);
  const completedAnywhere = completers();
  const neverCompleted = [...perSource.keys()].filter((id) => !completedAnywhere.has(id)).length;
  const onePacket = countSinglePacketSources(ctx, [...perSource.keys()]);
  const ranked = [...perSource.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const topShare = ranked[0][1] / attackSyns;
  const ddos = perSource.size >= T.ddosMinSources && topShare < T.dosTopSourceShare;
  const spoofLikely = perSource.size >= T.ddosMinSources && neverCompleted / perSource.size >= T.spoofMinNeverCompleted
    && spread.narrowNets / perSource.size >= T.spoofMin16PerSource;

  const peak = a.perSecond.finish().densest;
  const durationSec = Math.max((endNs - startNs) / 1e9, 0.001);
  const critical = peak >= T.criticalSynPerSec || impact.impactedClients >= T.criticalImpactedClients;
  const target = ctx.addr(targetId);
  const svc = serviceFor(6, port);
  const halfOpen = a.halfOpenFlows.size, unanswered = a.unansweredFlows.size, attackFlows = a.flows.size;
  const facts: SynFloodFacts = {
    target, port, service: svc?.label ?? null, startNs, endNs, baseNs: ctx.baseNs, scope: ddos ? 'DDoS' : 'DoS', spoofLikely,
    sources: ranked.map(([id, count]) => ({ addr: ctx.addr(id), count })), attackSyns,
    attackSynRetrans: a.retransmissions, distinctSrcPorts: a.srcPorts.size, peakPerSec: peak, avgPerSec: attackSyns / durationSec,
    attackFlows, halfOpen, unanswered,
    synAcks, synAckRetrans, answeredSyns: a.answeredSyns, stoppedAnswering, lastAnsweredNs, afterLastAnswer: a.afterLastAnswer,
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
    confidence: clamp01(0.5 + 0.3 * ((halfOpen + unanswered) / Math.max(1, attackFlows)) + (attackSyns >= 10 * T.minSynsInWindow ? 0.15 : 0.05)),
    startTsNs: ctx.abs(startNs),
    endTsNs: ctx.abs(endNs),
    targets, sources,
    metrics: {
      attackSyns, attackSources: perSource.size, peakSynPerSec: peak,
      avgSynPerSec: round1(facts.avgPerSec), durationSec: Math.round(durationSec * 1000) / 1000,
      attackFlows, halfOpen, unanswered, completedByAttackers: 0,
      synAcks, synAckRetransmissions: synAckRetrans, attackSynRetransmissions: a.retransmissions, distinctSourcePorts: a.srcPorts.size,
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
    flowIds: concatIds(a.flows, impact.flowIds),
    details: {
      events: text.events, handshake: text.handshake, http5xxStatuses: impact.http5xxStatuses,
      answering: {
        stopped: stoppedAnswering, lastAnsweredTsNs: lastAnsweredNs !== null ? String(ctx.abs(lastAnsweredNs)) : null,
        afterLastAnswer: a.afterLastAnswer, synAckRateAtEnd: round1(synAckRateAtEnd), endWindowSec: endWindowNs / 1e9,
      },
    },
  };
}

/** The ids of each list in turn, as often as the result is iterated. */
function concatIds(...lists: Array<Iterable<number>>): Iterable<number> {
  return { *[Symbol.iterator]() { for (const list of lists) yield* list; } };
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

/** Sources whose only packet in the whole case was one SYN: typical of spoofed floods. */
function countSinglePacketSources(ctx: DetectorContext, ids: number[]): number {
  const stmt = ctx.db.prepare('SELECT pkts_sent FROM hosts WHERE addr_id = ?').pluck();
  let n = 0;
  for (const id of ids) if ((stmt.get(id) as number | undefined) === 1) n++;
  return n;
}
