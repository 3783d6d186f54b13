/**
 * Port scans (MITRE T1046, Network Service Discovery).
 * Vertical: one source probes many ports of one host. Horizontal: one source probes one port on
 * many hosts. Either way most probes fail (closed or filtered), which is what separates a scan
 * from a browser or an administrator: their connections mostly succeed.
 * The scan type comes from the handshakes: SYN/ACK answered by RST is a half-open SYN scan,
 * completed handshakes are a connect scan. UDP scans are in port-scan-udp.ts.
 */
import { TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { DraftFinding, EvidenceSet } from './finding';
import { IdSet } from './id-set';
import { detectUdpScans } from './port-scan-udp';
import { scanFinding, type ScanTally } from './scan-finding';
import { serviceLabel } from './service-names';

const SYN_ONLY = `(tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN}`;

interface FlowOutcome { id: number; key: number; answered: number; completed: number; rst_resp: number; t: number; lt: number }

/**
 * A scanner's flows towards one host (vertical) or port (horizontal), summed as they stream by:
 * per probed key (a port or a host) open if any flow got a SYN/ACK, closed on RST, else filtered;
 * the span from the first SYN to the last packet; the flows.
 */
class ProbeTally {
  private readonly byKey = new Map<number, { open: boolean; closed: boolean; completed: boolean }>();
  private connect = 0;
  private halfOpen = 0;
  startNs = Infinity;
  endNs = -Infinity;
  readonly flowIds = new IdSet();

  observe(f: FlowOutcome): void {
    const k = this.byKey.get(f.key) ?? { open: false, closed: false, completed: false };
    if (f.answered) { k.open = true; if (f.completed) { k.completed = true; this.connect++; } else this.halfOpen++; }
    else if (f.rst_resp) k.closed = true;
    this.byKey.set(f.key, k);
    this.startNs = Math.min(this.startNs, f.t);
    this.endNs = Math.max(this.endNs, f.lt);
    this.flowIds.add(f.id);
  }

  tally(): ScanTally {
    const t: ScanTally = { probed: this.byKey.size, open: [], closed: 0, filtered: 0, connect: this.connect, halfOpen: this.halfOpen };
    for (const [key, k] of this.byKey) {
      if (k.open) t.open.push(key);
      else if (k.closed) t.closed++;
      else t.filtered++;
    }
    t.open.sort((a, b) => a - b);
    return t;
  }
}

export function detectPortScans(ctx: DetectorContext): DraftFinding[] {
  const { vertical, horizontal, evidence } = tcpScanCandidates(ctx);
  return [...detectVertical(ctx, vertical, evidence), ...detectHorizontal(ctx, horizontal, evidence), ...detectUdpScans(ctx)];
}

interface Candidate { src: number; key: number }

/** Evidence packet ids by role, then by `${vertical}|${scanner}|${key}`. */
interface ScanEvidence { open: Map<string, IdSet>; closed: Map<string, IdSet>; probe: Map<string, IdSet> }

const SYN_ACK_FLAGS = TCP_SYN | TCP_ACK;

/**
 * (scanner, host) pairs for vertical scans and (scanner, port) pairs for horizontal ones, in
 * (scanner, key) order, with the packets that prove them. A pair is a scan when the scanner sent
 * SYNs to enough distinct ports (or hosts) *and* enough of the probed keys failed, judged from
 * the flows' handshake outcomes. The second test is one GROUP BY over `flows`, ten times smaller
 * than `packets`, so it runs first; only when some pair passes it are the packets read, in one
 * table scan for every candidate: the suspects' SYNs (to count what they probed) and the
 * answers they got (SYN/ACK: open, RST: closed).
 */
function tcpScanCandidates(ctx: DetectorContext): { vertical: Candidate[]; horizontal: Candidate[]; evidence: ScanEvidence } {
  const { db, th } = ctx;
  const T = th.portScan;
  const evidence: ScanEvidence = { open: new Map(), closed: new Map(), probe: new Map() };
  // Per probed (host, port): was it ever answered? Then per pair: how many keys, how many open.
  const outcomes = db.prepare(`WITH k AS MATERIALIZED (
      SELECT orig_id, resp_id, resp_port, max(synack_ts_ns IS NOT NULL) AS open
      FROM flows NOT INDEXED WHERE ip_proto = 6 AND syn_ts_ns IS NOT NULL GROUP BY orig_id, resp_id, resp_port)
    SELECT 0 AS vertical, orig_id AS src, resp_port AS key, count(*) AS probed, sum(open) AS open
      FROM k GROUP BY orig_id, resp_port HAVING count(*) >= ?
    UNION ALL
    SELECT 1, orig_id, resp_id, count(*), sum(open) FROM k GROUP BY orig_id, resp_id HAVING count(*) >= ?`)
    .all(T.minHosts, T.minPorts) as Array<{ vertical: number; src: number; key: number; probed: number; open: number }>;
  const failing = outcomes.filter((o) => (o.probed - o.open) / o.probed >= T.minFailedRatio);
  if (failing.length === 0) return { vertical: [], horizontal: [], evidence };

  const wanted = new Set(failing.map((o) => `${o.vertical}|${o.src}|${o.key}`));
  const add = (role: Map<string, IdSet>, key: string, id: number) => {
    if (wanted.has(key)) (role.get(key) ?? role.set(key, new IdSet()).get(key)!).add(id);
  };
  // What each suspect probed: distinct ports per host (vertical), distinct hosts per port (horizontal),
  // counted up to the threshold (all the test below asks).
  const portsOf = new Map<string, Set<number>>();
  const hostsOf = new Map<string, Set<number>>();
  const note = (m: Map<string, Set<number>>, key: string, x: number | null, min: number) => {
    if (x === null || !wanted.has(key)) return;
    const seen = m.get(key) ?? m.set(key, new Set()).get(key)!;
    if (seen.size < min) seen.add(x);
  };
  const suspects = [...new Set(failing.map((o) => o.src))];
  const suspectSet = new Set(suspects);
  const rows = db.prepare(`WITH suspects(id) AS (SELECT value FROM json_each(?))
    SELECT id, src_id, dst_id, sport, dport, tcp_flags AS f FROM packets NOT INDEXED
    WHERE ip_proto = 6 AND (
      (src_id IN suspects AND ${SYN_ONLY})
      OR (dst_id IN suspects AND ((tcp_flags & ${SYN_ACK_FLAGS}) = ${SYN_ACK_FLAGS} OR (tcp_flags & ${TCP_RST}) != 0)))
    ORDER BY id`).iterate(JSON.stringify(suspects)) as IterableIterator<{ id: number; src_id: number; dst_id: number | null; sport: number | null; dport: number | null; f: number }>;
  for (const r of rows) {
    if (suspectSet.has(r.src_id) && (r.f & SYN_ACK_FLAGS) === TCP_SYN) {
      note(portsOf, `1|${r.src_id}|${r.dst_id}`, r.dport, T.minPorts);
      note(hostsOf, `0|${r.src_id}|${r.dport}`, r.dst_id, T.minHosts);
      add(evidence.probe, `1|${r.src_id}|${r.dst_id}`, r.id);
      add(evidence.probe, `0|${r.src_id}|${r.dport}`, r.id);
    }
    if (r.dst_id !== null && suspectSet.has(r.dst_id)) {
      // Vertical: the host answered the scanner; horizontal: some host answered on the port.
      if ((r.f & SYN_ACK_FLAGS) === SYN_ACK_FLAGS) { add(evidence.open, `1|${r.dst_id}|${r.src_id}`, r.id); add(evidence.open, `0|${r.dst_id}|${r.sport}`, r.id); }
      if ((r.f & TCP_RST) !== 0) { add(evidence.closed, `1|${r.dst_id}|${r.src_id}`, r.id); add(evidence.closed, `0|${r.dst_id}|${r.sport}`, r.id); }
    }
  }
  const pick = (vertical: number, probed: Map<string, Set<number>>, min: number) => failing
    .filter((o) => o.vertical === vertical && (probed.get(`${vertical}|${o.src}|${o.key}`)?.size ?? 0) >= min)
    .map((o) => ({ src: o.src, key: o.key }))
    .sort((a, b) => a.src - b.src || a.key - b.key);
  return { vertical: pick(1, portsOf, T.minPorts), horizontal: pick(0, hostsOf, T.minHosts), evidence };
}

/** Groups candidates by scanner (they are sorted by scanner). */
function byScanner(pairs: Candidate[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of pairs) (out.get(p.src) ?? out.set(p.src, []).get(p.src)!).push(p.key);
  return out;
}

/**
 * The scanner's TCP flows that began with a SYN, summed per pair key in `pairs` (host or port);
 * each flow's `key` is the other one, the thing probed (port or host).
 */
function probesOf(ctx: DetectorContext, scanner: number, vertical: boolean, pairs: number[]): Map<number, ProbeTally> {
  const out = new Map(pairs.map((pair) => [pair, new ProbeTally()]));
  const rows = ctx.db.prepare(`SELECT id, ${vertical ? 'resp_id AS pair, resp_port AS key' : 'resp_port AS pair, resp_id AS key'},
      synack_ts_ns IS NOT NULL AS answered, ack_ts_ns IS NOT NULL AS completed, rst_resp, syn_ts_ns - ? AS t, last_ts_ns - ? AS lt
    FROM flows WHERE orig_id = ? AND ip_proto = 6 AND syn_ts_ns IS NOT NULL ORDER BY id`).iterate(ctx.baseNs, ctx.baseNs, scanner) as IterableIterator<FlowOutcome & { pair: number }>;
  for (const r of rows) out.get(r.pair)?.observe(r);
  return out;
}

function detectVertical(ctx: DetectorContext, pairs: Candidate[], ev: ScanEvidence): DraftFinding[] {
  const { th } = ctx;
  const out: DraftFinding[] = [];
  for (const [scanner, targets] of byScanner(pairs)) {
    const probes = probesOf(ctx, scanner, true, targets);
    for (const target of targets) {
      const probed = probes.get(target)!;
      const t = probed.tally();
      if (t.probed < th.portScan.minPorts || (t.closed + t.filtered) / t.probed < th.portScan.minFailedRatio) continue;
      const key = `1|${scanner}|${target}`;
      const evidence = new EvidenceSet();
      evidence.addAll('open', ev.open.get(key) ?? []);
      evidence.addAll('closed', ev.closed.get(key) ?? []);
      evidence.addAll('probe', ev.probe.get(key) ?? []);
      const [s, d] = [ctx.addr(scanner), ctx.addr(target)];
      evidence.describe('open', `${addrTest([d], 'src')} && ${addrTest([s], 'dst')} && tcp.flags.syn == 1 && tcp.flags.ack == 1`);
      evidence.describe('closed', `${addrTest([d], 'src')} && ${addrTest([s], 'dst')} && tcp.flags.reset == 1`);
      evidence.describe('probe', `${addrTest([s], 'src')} && ${addrTest([d], 'dst')} && tcp.flags.syn == 1 && tcp.flags.ack == 0`);
      out.push(scanFinding(ctx, {
        kind: 'vertical', proto: 6, scanner: ctx.addr(scanner), target: ctx.addr(target), port: null, tally: t, evidence, startNs: probed.startNs, endNs: probed.endNs, flowIds: probed.flowIds,
        openLabel: t.open.map((port) => serviceLabel(6, port)),
      }));
    }
  }
  return out;
}

function detectHorizontal(ctx: DetectorContext, pairs: Candidate[], ev: ScanEvidence): DraftFinding[] {
  const { th } = ctx;
  const out: DraftFinding[] = [];
  for (const [scanner, ports] of byScanner(pairs)) {
    const probes = probesOf(ctx, scanner, false, ports);
    for (const port of ports) {
      const probed = probes.get(port)!;
      const t = probed.tally();
      if (t.probed < th.portScan.minHosts || (t.closed + t.filtered) / t.probed < th.portScan.minFailedRatio) continue;
      const key = `0|${scanner}|${port}`;
      const evidence = new EvidenceSet();
      evidence.addAll('open', ev.open.get(key) ?? []);
      evidence.addAll('closed', ev.closed.get(key) ?? []);
      evidence.addAll('probe', ev.probe.get(key) ?? []);
      const s = ctx.addr(scanner);
      evidence.describe('open', `${addrTest([s], 'dst')} && tcp.srcport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 1`);
      evidence.describe('closed', `${addrTest([s], 'dst')} && tcp.srcport == ${port} && tcp.flags.reset == 1`);
      evidence.describe('probe', `${addrTest([s], 'src')} && tcp.dstport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0`);
      out.push(scanFinding(ctx, {
        kind: 'horizontal', proto: 6, scanner: ctx.addr(scanner), target: null, port, tally: t, evidence, startNs: probed.startNs, endNs: probed.endNs, flowIds: probed.flowIds,
        openLabel: t.open.map((id) => ctx.addr(id)),
      }));
    }
  }
  return out;
}
