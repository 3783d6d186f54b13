/**
 * Port scans (MITRE T1046, Network Service Discovery).
 * Vertical: one source probes many ports of one host. Horizontal: one source probes one port on
 * many hosts. Either way most probes fail (closed or filtered), which is what separates a scan
 * from a browser or an administrator: their connections mostly succeed.
 * The scan type comes from the handshakes: SYN/ACK answered by RST is a half-open SYN scan,
 * completed handshakes are a connect scan. UDP scans are in port-scan-udp.ts.
 * "Many" is counted inside a sliding time window (scan-window.ts, thresholds portScan.windowSec):
 * a finding covers the scan period only, and its evidence is every probe and answer of that period.
 */
import { TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { DraftFinding, EvidenceSet } from './finding';
import { IdSet } from './id-set';
import { detectUdpScans } from './port-scan-udp';
import { periodAt, ScanWindow, type ScanPeriod } from './scan-window';
import { scanFinding, type ScanTally } from './scan-finding';
import { serviceLabel } from './service-names';
import { synAck, synOnly } from './tcp-flags-sql';

interface FlowOutcome { id: number; key: number; answered: number; completed: number; rst_resp: number; t: number; lt: number }

/**
 * A scanner's flows towards one host (vertical) or port (horizontal) in one scan period, summed
 * as they stream by: per probed key (a port or a host) open if any flow got a SYN/ACK, closed on
 * RST, else filtered; the span from the first SYN to the last packet; the flows.
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

/** One scan: a scanner's probes of one host (vertical) or one port (horizontal) in one period. */
interface Scan {
  vertical: boolean;
  src: number;
  /** The host (vertical) or the port (horizontal). */
  key: number;
  /** First and last probe (SYN) of the period. */
  period: ScanPeriod;
  probes: ProbeTally;
  /** Evidence packet ids by role, within the finding's span (first probe to the end of the last flow). */
  open: IdSet;
  closed: IdSet;
  probe: IdSet;
}

export function detectPortScans(ctx: DetectorContext): DraftFinding[] {
  const { vertical, horizontal } = tcpScanCandidates(ctx);
  const scans = [...scansOf(ctx, vertical, true), ...scansOf(ctx, horizontal, false)];
  readEvidence(ctx, scans);
  return [...scans.map((s) => tcpScanFinding(ctx, s)).filter((f): f is DraftFinding => f !== null), ...detectUdpScans(ctx)];
}

interface Candidate { src: number; key: number }

const SYN_ACK_FLAGS = TCP_SYN | TCP_ACK;

/**
 * (scanner, host) pairs that may be vertical scans and (scanner, port) pairs that may be
 * horizontal ones, in (scanner, key) order: over the whole capture the scanner sent SYNs to
 * enough distinct ports (or hosts) and most of the probed keys failed, judged from the flows'
 * handshake outcomes. One GROUP BY over `flows`, ten times smaller than `packets`; the time test
 * (scansOf) then reads only these scanners' flows.
 */
function tcpScanCandidates(ctx: DetectorContext): { vertical: Candidate[]; horizontal: Candidate[] } {
  const T = ctx.th.portScan;
  // Per probed (host, port): was it ever answered? Then per pair: how many keys, how many open.
  const outcomes = ctx.db.prepare(`WITH k AS MATERIALIZED (
      SELECT orig_id, resp_id, resp_port, max(synack_ts_ns IS NOT NULL) AS open
      FROM flows NOT INDEXED WHERE ip_proto = 6 AND syn_ts_ns IS NOT NULL GROUP BY orig_id, resp_id, resp_port)
    SELECT 0 AS vertical, orig_id AS src, resp_port AS key, count(*) AS probed, sum(open) AS open
      FROM k GROUP BY orig_id, resp_port HAVING count(*) >= ?
    UNION ALL
    SELECT 1, orig_id, resp_id, count(*), sum(open) FROM k GROUP BY orig_id, resp_id HAVING count(*) >= ?`)
    .all(T.minHosts, T.minPorts) as Array<{ vertical: number; src: number; key: number; probed: number; open: number }>;
  const failing = outcomes.filter((o) => (o.probed - o.open) / o.probed >= T.minFailedRatio);
  const pick = (vertical: number) => failing.filter((o) => o.vertical === vertical)
    .map((o) => ({ src: o.src, key: o.key }))
    .sort((a, b) => a.src - b.src || a.key - b.key);
  return { vertical: pick(1), horizontal: pick(0) };
}

/** Groups candidates by scanner (they are sorted by scanner). */
function byScanner(pairs: Candidate[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of pairs) (out.get(p.src) ?? out.set(p.src, []).get(p.src)!).push(p.key);
  return out;
}

/**
 * The scans among the candidates: per scanner, its TCP flows that began with a SYN in time order
 * (each flow's `pair` is the candidate's key, its `key` the thing probed), read twice: first each
 * pair's sliding window finds the scan periods, then each period's flows are tallied.
 */
function scansOf(ctx: DetectorContext, pairs: Candidate[], vertical: boolean): Scan[] {
  const T = ctx.th.portScan;
  const min = vertical ? T.minPorts : T.minHosts;
  const out: Scan[] = [];
  for (const [scanner, keys] of byScanner(pairs)) {
    const flows = () => ctx.db.prepare(`SELECT id, ${vertical ? 'resp_id AS pair, resp_port AS key' : 'resp_port AS pair, resp_id AS key'},
        synack_ts_ns IS NOT NULL AS answered, ack_ts_ns IS NOT NULL AS completed, rst_resp, syn_ts_ns - ? AS t, last_ts_ns - ? AS lt
      FROM flows WHERE orig_id = ? AND ip_proto = 6 AND syn_ts_ns IS NOT NULL ORDER BY syn_ts_ns, id`)
      .iterate(ctx.baseNs, ctx.baseNs, scanner) as IterableIterator<FlowOutcome & { pair: number }>;
    const windows = new Map(keys.map((key) => [key, new ScanWindow(T.windowSec * 1e9, min, T.minFailedRatio)]));
    for (const f of flows()) windows.get(f.pair)?.push(f.t, f.key, f.answered === 1);
    const found = new Map<number, { periods: ScanPeriod[]; scans: Scan[] }>();
    for (const key of keys) {
      const periods = windows.get(key)!.periods;
      if (periods.length) found.set(key, { periods, scans: periods.map((period) => ({ vertical, src: scanner, key, period, probes: new ProbeTally(), open: new IdSet(), closed: new IdSet(), probe: new IdSet() })) });
    }
    if (found.size === 0) continue;
    for (const f of flows()) {
      const pair = found.get(f.pair);
      if (!pair) continue;
      const i = periodAt(pair.periods, f.t);
      if (i >= 0) pair.scans[i].probes.observe(f);
    }
    for (const key of keys) out.push(...found.get(key)?.scans ?? []);
  }
  return out;
}

/**
 * One table scan for the packets that prove every scan: the scanners' SYNs (what they probed,
 * retransmissions included) and the answers they got (SYN/ACK: open, RST: closed), from the
 * period's first probe to the end of its last flow, the finding's time span. Each role is then
 * exactly "these packets within that span", which its display filter and window reproduce.
 */
function readEvidence(ctx: DetectorContext, scans: Scan[]): void {
  if (scans.length === 0) return;
  const byPair = new Map<string, Scan[]>();
  for (const s of scans) {
    const k = `${s.vertical ? 1 : 0}|${s.src}|${s.key}`;
    (byPair.get(k) ?? byPair.set(k, []).get(k)!).push(s);
  }
  const add = (k: string, t: number, id: number, role: 'open' | 'closed' | 'probe') => {
    for (const s of byPair.get(k) ?? []) if (t >= s.probes.startNs && t <= s.probes.endNs) s[role].add(id);
  };
  const suspects = [...new Set(scans.map((s) => s.src))];
  const suspectSet = new Set(suspects);
  const rows = ctx.db.prepare(`WITH suspects(id) AS (SELECT value FROM json_each(?))
    SELECT id, ts_ns - ? AS t, src_id, dst_id, sport, dport, tcp_flags AS f FROM packets NOT INDEXED
    WHERE ip_proto = 6 AND (
      (src_id IN suspects AND ${synOnly()})
      OR (dst_id IN suspects AND (${synAck()} OR (tcp_flags & ${TCP_RST}) != 0)))
    ORDER BY id`).iterate(JSON.stringify(suspects), ctx.baseNs) as IterableIterator<{ id: number; t: number; src_id: number; dst_id: number | null; sport: number | null; dport: number | null; f: number }>;
  for (const r of rows) {
    if (suspectSet.has(r.src_id) && (r.f & SYN_ACK_FLAGS) === TCP_SYN) {
      add(`1|${r.src_id}|${r.dst_id}`, r.t, r.id, 'probe');
      add(`0|${r.src_id}|${r.dport}`, r.t, r.id, 'probe');
    }
    if (r.dst_id !== null && suspectSet.has(r.dst_id)) {
      // Vertical: the host answered the scanner; horizontal: some host answered on the port.
      if ((r.f & SYN_ACK_FLAGS) === SYN_ACK_FLAGS) { add(`1|${r.dst_id}|${r.src_id}`, r.t, r.id, 'open'); add(`0|${r.dst_id}|${r.sport}`, r.t, r.id, 'open'); }
      if ((r.f & TCP_RST) !== 0) { add(`1|${r.dst_id}|${r.src_id}`, r.t, r.id, 'closed'); add(`0|${r.dst_id}|${r.sport}`, r.t, r.id, 'closed'); }
    }
  }
}

function tcpScanFinding(ctx: DetectorContext, s: Scan): DraftFinding | null {
  const T = ctx.th.portScan;
  const t = s.probes.tally();
  if (t.probed < (s.vertical ? T.minPorts : T.minHosts) || (t.closed + t.filtered) / t.probed < T.minFailedRatio) return null;
  const evidence = new EvidenceSet();
  evidence.addAll('open', s.open);
  evidence.addAll('closed', s.closed);
  evidence.addAll('probe', s.probe);
  const scanner = ctx.addr(s.src);
  if (s.vertical) {
    const target = ctx.addr(s.key);
    evidence.describe('open', `${addrTest([target], 'src')} && ${addrTest([scanner], 'dst')} && tcp.flags.syn == 1 && tcp.flags.ack == 1`);
    evidence.describe('closed', `${addrTest([target], 'src')} && ${addrTest([scanner], 'dst')} && tcp.flags.reset == 1`);
    evidence.describe('probe', `${addrTest([scanner], 'src')} && ${addrTest([target], 'dst')} && tcp.flags.syn == 1 && tcp.flags.ack == 0`);
    return scanFinding(ctx, {
      kind: 'vertical', proto: 6, scanner, target, port: null, tally: t, evidence, startNs: s.probes.startNs, endNs: s.probes.endNs, flowIds: s.probes.flowIds,
      openLabel: t.open.map((port) => serviceLabel(6, port)),
    });
  }
  const port = s.key;
  evidence.describe('open', `${addrTest([scanner], 'dst')} && tcp.srcport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 1`);
  evidence.describe('closed', `${addrTest([scanner], 'dst')} && tcp.srcport == ${port} && tcp.flags.reset == 1`);
  evidence.describe('probe', `${addrTest([scanner], 'src')} && tcp.dstport == ${port} && tcp.flags.syn == 1 && tcp.flags.ack == 0`);
  return scanFinding(ctx, {
    kind: 'horizontal', proto: 6, scanner, target: null, port, tally: t, evidence, startNs: s.probes.startNs, endNs: s.probes.endNs, flowIds: s.probes.flowIds,
    openLabel: t.open.map((id) => ctx.addr(id)),
  });
}
