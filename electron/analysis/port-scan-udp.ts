/**
 * UDP port scans: one source sending a datagram or two to many ports of one host, answered by
 * ICMP port unreachable (closed), by a UDP reply (open), or not at all (open or filtered).
 * Two look-alikes are excluded: traceroute (UDP to 33434-33534 by design) and floods to random
 * ports (too fast to be a scan; the udp-flood detector reports those).
 * The ports must be probed within one time window (scan-window.ts), as for TCP scans.
 */
import { WindowStream } from './sliding-window';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { DraftFinding, EvidenceSet } from './finding';
import { IdSet } from './id-set';
import { scanFinding, type ScanTally } from './scan-finding';
import { ScanWindow } from './scan-window';
import { serviceLabel } from './service-names';

const TRACEROUTE_FIRST = 33434, TRACEROUTE_LAST = 33534;

interface UdpRow { id: number; t: number; src_id: number; dst_id: number; sport: number | null; dport: number | null; flow_id: number | null }

/** One (scanner, target) pair's datagrams both ways and the refusals it drew, summed as they stream by. */
class UdpPair {
  /** Refusals (ICMP port unreachable quoting a probe) and the ports they name. */
  readonly closedIds = new IdSet();
  readonly closedPorts = new Set<number | null>();
  /** Datagrams from the scanner to the target. */
  probes = 0;
  readonly probeIds = new IdSet();
  readonly ports = new Set<number | null>();
  traceroute = 0;
  first = 0;
  last = 0;
  readonly flowIds = new IdSet();
  readonly windows: WindowStream;
  /** Distinct ports within a scan window (thresholds portScan.windowSec). */
  readonly scanWindow: ScanWindow;
  /** Datagrams back from the target, and the ports they came from. */
  readonly replyIds = new IdSet();
  readonly replyPorts = new Set<number | null>();

  constructor(readonly src: number, readonly dst: number, windowNs: number, scanWindowNs: number, minPorts: number) {
    this.windows = new WindowStream(windowNs);
    this.scanWindow = new ScanWindow(scanWindowNs, minPorts, 0);
  }

  probe(x: UdpRow): void {
    if (this.probes === 0) this.first = x.t;
    this.last = x.t;
    this.probes++;
    this.probeIds.add(x.id);
    this.ports.add(x.dport);
    if (x.dport !== null && x.dport >= TRACEROUTE_FIRST && x.dport <= TRACEROUTE_LAST) this.traceroute++;
    if (x.flow_id !== null) this.flowIds.add(x.flow_id);
    this.windows.push(x.t);
    if (x.dport !== null) this.scanWindow.push(x.t, x.dport, false);
  }

  reply(x: UdpRow): void {
    this.replyIds.add(x.id);
    this.replyPorts.add(x.sport);
  }
}

export function detectUdpScans(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const windowNs = th.udpFlood.windowSec * 1e9;
  // A UDP scan needs refusals (ICMP port unreachable quoting the probes), so the few (scanner, target)
  // pairs that drew any are the only ones whose datagrams are worth reading.
  const refusals = db.prepare(`SELECT e.packet_id AS id, e.orig_dport AS port, s.id AS src_id, d.id AS dst_id
    FROM icmp_errors e JOIN addrs s ON s.addr = e.orig_src JOIN addrs d ON d.addr = e.orig_dst
    WHERE e.orig_proto = 17 ORDER BY e.packet_id`).iterate() as IterableIterator<{ id: number; port: number | null; src_id: number; dst_id: number }>;
  const pairs = new Map<string, UdpPair>();
  for (const r of refusals) {
    const k = `${r.src_id}|${r.dst_id}`;
    let p = pairs.get(k);
    if (!p) { p = new UdpPair(r.src_id, r.dst_id, windowNs, th.portScan.windowSec * 1e9, th.portScan.minPorts); pairs.set(k, p); }
    p.closedIds.add(r.id);
    p.closedPorts.add(r.port);
  }
  if (pairs.size === 0) return [];
  // One table scan for the datagrams of those pairs, both ways, instead of two indexed queries per pair.
  const pairList = JSON.stringify([...pairs.values()].map((p) => [p.src, p.dst]));
  const rows = db.prepare(`WITH pairs(a, b) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
    SELECT id, ts_ns - ? AS t, src_id, dst_id, sport, dport, flow_id FROM packets NOT INDEXED
    WHERE ip_proto = 17 AND ((src_id, dst_id) IN (SELECT a, b FROM pairs) OR (dst_id, src_id) IN (SELECT a, b FROM pairs))
    ORDER BY ts_ns, id`).iterate(pairList, baseNs) as IterableIterator<UdpRow>;
  for (const r of rows) {
    pairs.get(`${r.src_id}|${r.dst_id}`)?.probe(r);
    pairs.get(`${r.dst_id}|${r.src_id}`)?.reply(r);
  }
  const floodRatePerNs = th.udpFlood.minPacketsInWindow / windowNs;
  const out: DraftFinding[] = [];
  for (const p of [...pairs.values()].sort((a, b) => a.src - b.src || a.dst - b.dst)) {
    // The same tests as a GROUP BY (src, dst) would make: enough distinct ports, not traceroute,
    // few datagrams per port.
    const distinctPorts = p.ports.size - (p.ports.has(null) ? 1 : 0);
    if (distinctPorts < th.portScan.minPorts) continue;
    if (p.traceroute === p.probes) continue;
    if (p.probes / distinctPorts > th.portScan.udpMaxPacketsPerPort) continue;
    if (p.windows.finish().densest >= floodRatePerNs * windowNs) continue;
    // Enough distinct ports within one scan window, not over hours.
    if (p.scanWindow.periods.length === 0) continue;

    const scanner = ctx.addr(p.src), target = ctx.addr(p.dst);
    const tally: ScanTally = { probed: p.ports.size, open: [], closed: 0, filtered: 0, connect: 0, halfOpen: 0 };
    for (const port of p.ports) {
      if (p.replyPorts.has(port)) continue;
      if (p.closedPorts.has(port)) tally.closed++; else tally.filtered++;
    }
    tally.open = ([...p.replyPorts].filter((x) => p.ports.has(x)) as number[]).sort((a, b) => a - b);
    // Silence alone is not proof of a scan (many UDP applications do not answer); require refusals.
    if (tally.closed === 0 || (tally.closed + tally.filtered) / tally.probed < th.portScan.minFailedRatio) continue;
    const evidence = new EvidenceSet();
    evidence.addAll('open', p.replyIds);
    evidence.addAll('closed', p.closedIds);
    evidence.addAll('probe', p.probeIds);
    evidence.describe('open', `udp && ${addrTest([target], 'src')} && ${addrTest([scanner], 'dst')}`);
    evidence.describe('closed', `(icmp.type == 3 || icmpv6.type == 1) && ${addrTest([scanner], 'dst')}`);
    evidence.describe('probe', `udp && ${addrTest([scanner], 'src')} && ${addrTest([target], 'dst')}`);
    out.push(scanFinding(ctx, {
      kind: 'vertical', proto: 17, scanner, target, port: null, tally, evidence, scanType: 'UDP',
      startNs: p.first, endNs: p.last, flowIds: p.flowIds,
      openLabel: tally.open.map((port) => serviceLabel(17, port)),
    }));
  }
  return out;
}
