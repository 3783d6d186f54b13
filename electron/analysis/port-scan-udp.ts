/**
 * UDP port scans: one source sending a datagram or two to many ports of one host, answered by
 * ICMP port unreachable (closed), by a UDP reply (open), or not at all (open or filtered).
 * Two look-alikes are excluded: traceroute (UDP to 33434-33534 by design) and floods to random
 * ports (too fast to be a scan; the udp-flood detector reports those).
 */
import { densestWindow } from './sliding-window';
import type { DetectorContext } from './detector-context';
import { DraftFinding, EvidenceSet } from './finding';
import { scanFinding, ScanTally } from './port-scan';
import { serviceLabel } from './service-names';

const TRACEROUTE_FIRST = 33434, TRACEROUTE_LAST = 33534;

export function detectUdpScans(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const pairs = db.prepare(`SELECT src_id, dst_id, count(DISTINCT dport) AS ports, count(*) AS pkts,
      sum(dport BETWEEN ${TRACEROUTE_FIRST} AND ${TRACEROUTE_LAST}) AS tr
    FROM packets WHERE ip_proto = 17 AND src_id IS NOT NULL AND dst_id IS NOT NULL
    GROUP BY src_id, dst_id HAVING ports >= ? ORDER BY src_id, dst_id`).all(th.portScan.minPorts) as Array<{ src_id: number; dst_id: number; ports: number; pkts: number; tr: number }>;
  const floodRatePerNs = th.udpFlood.minPacketsInWindow / (th.udpFlood.windowSec * 1e9);
  const out: DraftFinding[] = [];
  for (const p of pairs) {
    if (p.tr === p.pkts) continue;
    if (p.pkts / p.ports > th.portScan.udpMaxPacketsPerPort) continue;
    const probes = db.prepare(`SELECT id, ts_ns - ? AS t, dport, flow_id FROM packets WHERE src_id = ? AND dst_id = ? AND ip_proto = 17 ORDER BY ts_ns, id`)
      .all(baseNs, p.src_id, p.dst_id) as Array<{ id: number; t: number; dport: number; flow_id: number | null }>;
    const times = probes.map((x) => x.t);
    const windowNs = th.udpFlood.windowSec * 1e9;
    if (densestWindow(times, windowNs).count >= floodRatePerNs * windowNs) continue;

    const scanner = ctx.addr(p.src_id), target = ctx.addr(p.dst_id);
    const closedRows = db.prepare(`SELECT e.packet_id AS id, e.orig_dport AS port FROM icmp_errors e
      WHERE e.orig_src = ? AND e.orig_dst = ? AND e.orig_proto = 17 ORDER BY e.packet_id`).all(scanner, target) as Array<{ id: number; port: number }>;
    const openRows = db.prepare('SELECT id, sport AS port FROM packets WHERE src_id = ? AND dst_id = ? AND ip_proto = 17 ORDER BY id')
      .all(p.dst_id, p.src_id) as Array<{ id: number; port: number }>;
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
    const flowIds = [...new Set(probes.map((x) => x.flow_id).filter((x): x is number => x !== null))];
    out.push(scanFinding(ctx, {
      kind: 'vertical', proto: 17, scanner, target, port: null, tally, evidence, scanType: 'UDP',
      startNs: times[0], endNs: times[times.length - 1], flowIds,
      openLabel: tally.open.map((port) => serviceLabel(17, port)),
    }));
  }
  return out;
}
