/**
 * UDP port scans: one source sending a datagram or two to many ports of one host, answered by
 * ICMP port unreachable (closed), by a UDP reply (open), or not at all (open or filtered).
 * Two look-alikes are excluded: traceroute (UDP to 33434-33534 by design) and floods to random
 * ports (too fast to be a scan; the udp-flood detector reports those).
 */
import { densestWindow } from './sliding-window';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { DraftFinding, EvidenceSet } from './finding';
import { scanFinding, type ScanTally } from './scan-finding';
import { serviceLabel } from './service-names';

const TRACEROUTE_FIRST = 33434, TRACEROUTE_LAST = 33534;

interface UdpRow { id: number; t: number; src_id: number; dst_id: number; sport: number; dport: number; flow_id: number | null }

export function detectUdpScans(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  // A UDP scan needs refusals (ICMP port unreachable quoting the probes), so the few (scanner, target)
  // pairs that drew any are the only ones whose datagrams are worth reading.
  const refusals = db.prepare(`SELECT e.packet_id AS id, e.orig_dport AS port, s.id AS src_id, d.id AS dst_id
    FROM icmp_errors e JOIN addrs s ON s.addr = e.orig_src JOIN addrs d ON d.addr = e.orig_dst
    WHERE e.orig_proto = 17 ORDER BY e.packet_id`).all() as Array<{ id: number; port: number; src_id: number; dst_id: number }>;
  if (refusals.length === 0) return [];
  const pairs = new Map<string, { src: number; dst: number; probes: UdpRow[]; replies: UdpRow[]; closed: Array<{ id: number; port: number }> }>();
  for (const r of refusals) {
    const k = `${r.src_id}|${r.dst_id}`;
    let p = pairs.get(k);
    if (!p) { p = { src: r.src_id, dst: r.dst_id, probes: [], replies: [], closed: [] }; pairs.set(k, p); }
    p.closed.push({ id: r.id, port: r.port });
  }
  // One table scan for the datagrams of those pairs, both ways, instead of two indexed queries per pair.
  const pairList = JSON.stringify([...pairs.values()].map((p) => [p.src, p.dst]));
  const rows = db.prepare(`WITH pairs(a, b) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?))
    SELECT id, ts_ns - ? AS t, src_id, dst_id, sport, dport, flow_id FROM packets NOT INDEXED
    WHERE ip_proto = 17 AND ((src_id, dst_id) IN (SELECT a, b FROM pairs) OR (dst_id, src_id) IN (SELECT a, b FROM pairs))
    ORDER BY ts_ns, id`).all(pairList, baseNs) as UdpRow[];
  for (const r of rows) {
    pairs.get(`${r.src_id}|${r.dst_id}`)?.probes.push(r);
    pairs.get(`${r.dst_id}|${r.src_id}`)?.replies.push(r);
  }
  const floodRatePerNs = th.udpFlood.minPacketsInWindow / (th.udpFlood.windowSec * 1e9);
  const out: DraftFinding[] = [];
  for (const p of [...pairs.values()].sort((a, b) => a.src - b.src || a.dst - b.dst)) {
    const probes = p.probes;
    // The same tests as a GROUP BY (src, dst) would make: enough distinct ports, not traceroute,
    // few datagrams per port.
    const distinctPorts = new Set<number>();
    let tr = 0;
    for (const x of probes) {
      if (x.dport === null) continue;
      distinctPorts.add(x.dport);
      if (x.dport >= TRACEROUTE_FIRST && x.dport <= TRACEROUTE_LAST) tr++;
    }
    if (distinctPorts.size < th.portScan.minPorts) continue;
    if (tr === probes.length) continue;
    if (probes.length / distinctPorts.size > th.portScan.udpMaxPacketsPerPort) continue;
    const times = probes.map((x) => x.t);
    const windowNs = th.udpFlood.windowSec * 1e9;
    if (densestWindow(times, windowNs).count >= floodRatePerNs * windowNs) continue;

    const scanner = ctx.addr(p.src), target = ctx.addr(p.dst);
    const closedRows = p.closed;
    const openRows = p.replies.map((r) => ({ id: r.id, port: r.sport })).sort((a, b) => a.id - b.id);
    const closed = new Set(closedRows.map((r) => r.port));
    const open = new Set(openRows.map((r) => r.port));
    const ports = new Set(probes.map((x) => x.dport));
    const tally: ScanTally = { probed: ports.size, open: [...open].filter((x) => ports.has(x)).sort((a, b) => a - b), closed: 0, filtered: 0, connect: 0, halfOpen: 0 };
    for (const port of ports) {
      if (open.has(port)) continue;
      if (closed.has(port)) tally.closed++; else tally.filtered++;
    }
    // Silence alone is not proof of a scan (many UDP applications do not answer); require refusals.
    if (tally.closed === 0 || (tally.closed + tally.filtered) / tally.probed < th.portScan.minFailedRatio) continue;
    const evidence = new EvidenceSet();
    evidence.addAll('open', openRows.map((r) => r.id));
    evidence.addAll('closed', closedRows.map((r) => r.id));
    evidence.addAll('probe', probes.map((x) => x.id));
    evidence.describe('open', `udp && ${addrTest([target], 'src')} && ${addrTest([scanner], 'dst')}`);
    evidence.describe('closed', `(icmp.type == 3 || icmpv6.type == 1) && ${addrTest([scanner], 'dst')}`);
    evidence.describe('probe', `udp && ${addrTest([scanner], 'src')} && ${addrTest([target], 'dst')}`);
    const flowIds = [...new Set(probes.map((x) => x.flow_id).filter((x): x is number => x !== null))];
    out.push(scanFinding(ctx, {
      kind: 'vertical', proto: 17, scanner, target, port: null, tally, evidence, scanType: 'UDP',
      startNs: times[0], endNs: times[times.length - 1], flowIds,
      openLabel: tally.open.map((port) => serviceLabel(17, port)),
    }));
  }
  return out;
}
