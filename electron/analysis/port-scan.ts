/**
 * Port scans (MITRE T1046, Network Service Discovery).
 * Vertical: one source probes many ports of one host. Horizontal: one source probes one port on
 * many hosts. Either way most probes fail (closed or filtered), which is what separates a scan
 * from a browser or an administrator: their connections mostly succeed.
 * The scan type comes from the handshakes: SYN/ACK answered by RST is a half-open SYN scan,
 * completed handshakes are a connect scan. UDP scans are in port-scan-udp.ts.
 */
import { TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { detectUdpScans } from './port-scan-udp';
import { serviceFor, serviceLabel } from './service-names';

const SYN_ONLY = `(tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN}`;

export const MITRE_T1046 = { id: 'T1046', name: 'Network Service Discovery' };

interface FlowOutcome { id: number; key: number; answered: number; completed: number; rst_resp: number; t: number; lt: number }

export interface ScanTally { probed: number; open: number[]; closed: number; filtered: number; connect: number; halfOpen: number }

/** Per probed key (a port or a host): open if any flow got a SYN/ACK, closed on RST, else filtered. */
function tally(flows: FlowOutcome[]): ScanTally {
  const byKey = new Map<number, { open: boolean; closed: boolean; completed: boolean }>();
  let connect = 0, halfOpen = 0;
  for (const f of flows) {
    const k = byKey.get(f.key) ?? { open: false, closed: false, completed: false };
    if (f.answered) { k.open = true; if (f.completed) { k.completed = true; connect++; } else halfOpen++; }
    else if (f.rst_resp) k.closed = true;
    byKey.set(f.key, k);
  }
  const t: ScanTally = { probed: byKey.size, open: [], closed: 0, filtered: 0, connect, halfOpen };
  for (const [key, k] of byKey) {
    if (k.open) t.open.push(key);
    else if (k.closed) t.closed++;
    else t.filtered++;
  }
  t.open.sort((a, b) => a - b);
  return t;
}

function span(flows: FlowOutcome[]): { startNs: number; endNs: number; flowIds: number[] } {
  let startNs = Infinity, endNs = -Infinity;
  for (const f of flows) { startNs = Math.min(startNs, f.t); endNs = Math.max(endNs, f.lt); }
  return { startNs, endNs, flowIds: flows.map((f) => f.id) };
}

export function detectPortScans(ctx: DetectorContext): DraftFinding[] {
  return [...detectVertical(ctx), ...detectHorizontal(ctx), ...detectUdpScans(ctx)];
}

function detectVertical(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const pairs = db.prepare(`SELECT src_id, dst_id, count(DISTINCT dport) AS ports FROM packets
    WHERE ip_proto = 6 AND ${SYN_ONLY} AND src_id IS NOT NULL AND dst_id IS NOT NULL
    GROUP BY src_id, dst_id HAVING ports >= ? ORDER BY src_id, dst_id`).all(th.portScan.minPorts) as Array<{ src_id: number; dst_id: number; ports: number }>;
  const out: DraftFinding[] = [];
  for (const p of pairs) {
    const flows = db.prepare(`SELECT id, resp_port AS key, synack_ts_ns IS NOT NULL AS answered, ack_ts_ns IS NOT NULL AS completed,
        rst_resp, syn_ts_ns - ? AS t, last_ts_ns - ? AS lt
      FROM flows WHERE orig_id = ? AND resp_id = ? AND ip_proto = 6 AND syn_ts_ns IS NOT NULL`).all(baseNs, baseNs, p.src_id, p.dst_id) as FlowOutcome[];
    const t = tally(flows);
    if (t.probed < th.portScan.minPorts || (t.closed + t.filtered) / t.probed < th.portScan.minFailedRatio) continue;
    const evidence = new EvidenceSet();
    evidence.addAll('open', db.prepare(`SELECT id FROM packets WHERE src_id = ? AND dst_id = ? AND ip_proto = 6
      AND (tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN | TCP_ACK} ORDER BY id`).pluck().all(p.dst_id, p.src_id) as number[]);
    evidence.addAll('closed', db.prepare(`SELECT id FROM packets WHERE src_id = ? AND dst_id = ? AND ip_proto = 6
      AND (tcp_flags & ${TCP_RST}) != 0 ORDER BY id`).pluck().all(p.dst_id, p.src_id) as number[]);
    evidence.addAll('probe', db.prepare(`SELECT id FROM packets WHERE src_id = ? AND dst_id = ? AND ip_proto = 6 AND ${SYN_ONLY} ORDER BY id`)
      .pluck().all(p.src_id, p.dst_id) as number[]);
    out.push(scanFinding(ctx, {
      kind: 'vertical', proto: 6, scanner: ctx.addr(p.src_id), target: ctx.addr(p.dst_id), port: null, tally: t, evidence, ...span(flows),
      openLabel: t.open.map((port) => serviceLabel(6, port)),
    }));
  }
  return out;
}

function detectHorizontal(ctx: DetectorContext): DraftFinding[] {
  const { db, th, baseNs } = ctx;
  const pairs = db.prepare(`SELECT src_id, dport, count(DISTINCT dst_id) AS hosts FROM packets
    WHERE ip_proto = 6 AND ${SYN_ONLY} AND src_id IS NOT NULL
    GROUP BY src_id, dport HAVING hosts >= ? ORDER BY src_id, dport`).all(th.portScan.minHosts) as Array<{ src_id: number; dport: number; hosts: number }>;
  const out: DraftFinding[] = [];
  for (const p of pairs) {
    const flows = db.prepare(`SELECT id, resp_id AS key, synack_ts_ns IS NOT NULL AS answered, ack_ts_ns IS NOT NULL AS completed,
        rst_resp, syn_ts_ns - ? AS t, last_ts_ns - ? AS lt
      FROM flows WHERE orig_id = ? AND resp_port = ? AND ip_proto = 6 AND syn_ts_ns IS NOT NULL`).all(baseNs, baseNs, p.src_id, p.dport) as FlowOutcome[];
    const t = tally(flows);
    if (t.probed < th.portScan.minHosts || (t.closed + t.filtered) / t.probed < th.portScan.minFailedRatio) continue;
    const evidence = new EvidenceSet();
    evidence.addAll('open', db.prepare(`SELECT id FROM packets WHERE dst_id = ? AND sport = ? AND ip_proto = 6
      AND (tcp_flags & ${TCP_SYN | TCP_ACK}) = ${TCP_SYN | TCP_ACK} ORDER BY id`).pluck().all(p.src_id, p.dport) as number[]);
    evidence.addAll('closed', db.prepare(`SELECT id FROM packets WHERE dst_id = ? AND sport = ? AND ip_proto = 6
      AND (tcp_flags & ${TCP_RST}) != 0 ORDER BY id`).pluck().all(p.src_id, p.dport) as number[]);
    evidence.addAll('probe', db.prepare(`SELECT id FROM packets WHERE src_id = ? AND dport = ? AND ip_proto = 6 AND ${SYN_ONLY} ORDER BY id`)
      .pluck().all(p.src_id, p.dport) as number[]);
    out.push(scanFinding(ctx, {
      kind: 'horizontal', proto: 6, scanner: ctx.addr(p.src_id), target: null, port: p.dport, tally: t, evidence, ...span(flows),
      openLabel: t.open.map((id) => ctx.addr(id)),
    }));
  }
  return out;
}

export interface ScanFacts {
  kind: 'vertical' | 'horizontal';
  proto: number;
  scanner: string;
  /** Vertical: the host; horizontal: null. */
  target: string | null;
  /** Horizontal: the port; vertical: null. */
  port: number | null;
  tally: ScanTally;
  /** Relative ns of the first probe and the last packet of the scan. */
  startNs: number;
  endNs: number;
  flowIds: number[];
  evidence: EvidenceSet;
  /** Open ports (vertical) or answering hosts (horizontal), as text. */
  openLabel: string[];
  /** UDP: "UDP" scan type; TCP: derived from handshakes. */
  scanType?: string;
}

export function scanFinding(ctx: DetectorContext, f: ScanFacts): DraftFinding {
  const T = ctx.th.portScan;
  const t = f.tally;
  const start = f.startNs;
  const end = f.endNs;
  const scanType = f.scanType ?? (t.connect > t.halfOpen ? 'TCP connect' : 'TCP SYN (half-open)');
  const when = (rel: number) => formatWhen(ctx.baseNs, rel);
  const proto = f.proto === 6 ? 'tcp' : 'udp';
  const rate = t.probed / Math.max((end - start) / 1e9, 0.001);
  const what = f.kind === 'vertical'
    ? `${n(t.probed)} ${proto.toUpperCase()} ports of ${f.target}`
    : `${serviceLabel(f.proto, f.port!)} on ${n(t.probed)} hosts`;
  const openWord = f.kind === 'vertical' ? 'open' : 'answering';
  const title = `${f.kind === 'vertical' ? 'Vertical' : 'Horizontal'} ${scanType} scan of ${what} by ${f.scanner}: ${n(t.open.length)} ${openWord}`;
  const openText = f.openLabel.length ? f.openLabel.slice(0, 20).join(', ') + (f.openLabel.length > 20 ? ', …' : '') : 'none';
  const explanation = [
    `${f.scanner} probed ${what} between ${when(start)} and ${when(end)} (${formatDuration(end - start)}, about ${n(Math.round(rate))} probes per second). `
      + `${n(t.open.length)} ${f.kind === 'vertical' ? 'ports answered as open' : 'hosts answered'}, ${n(t.closed)} refused the probe `
      + `(${f.proto === 6 ? 'RST' : 'ICMP port unreachable'}), ${n(t.filtered)} never answered (filtered or absent).`,
    f.proto === 6
      ? (scanType.startsWith('TCP SYN')
        ? 'The scanner sent SYNs and, when a port answered SYN/ACK, reset the connection instead of completing the handshake: a half-open SYN scan (nmap -sS), which learns which ports listen without opening a connection the application would log.'
        : 'The scanner completed full handshakes with the ports that answered, then dropped them: a connect scan (nmap -sT), as run by a tool without raw-socket privileges.')
      : 'UDP has no handshake: the scanner sends a datagram to each port and reads silence as open-or-filtered and ICMP port unreachable as closed.',
    `${f.kind === 'vertical' ? 'Open ports' : 'Answering hosts'}: ${openText}. A scan is reconnaissance: it usually precedes an attempt to exploit what it found.`,
  ].join('\n\n');
  const recommendations = [
    `Find out who controls ${f.scanner}: an authorised vulnerability scan, or reconnaissance by an intruder (or malware on an internal host).`,
    f.kind === 'vertical'
      ? `Review the ${n(t.open.length)} open ports on ${f.target}: close what is not needed and check that what is exposed is patched.`
      : `Check the ${n(t.open.length)} hosts that answered on ${serviceLabel(f.proto, f.port!)}: they are what the scanner will try next.`,
    `If the scan is not authorised, block ${f.scanner} at the perimeter and watch for follow-up connections from it to the ${f.kind === 'vertical' ? 'open ports' : 'answering hosts'}.`,
  ];
  const svc = f.port !== null ? serviceFor(f.proto, f.port) : null;
  return {
    kind: 'port-scan',
    title,
    severity: t.probed >= T.highMinTargets ? 'high' : 'medium',
    confidence: clamp01(0.5 + 0.4 * ((t.closed + t.filtered) / t.probed) + (t.probed >= 100 ? 0.1 : 0)),
    startTsNs: ctx.abs(start),
    endTsNs: ctx.abs(end),
    targets: f.kind === 'vertical'
      ? [{ addr: f.target!, proto }]
      : f.openLabel.slice(0, 20).map((addr) => ({ addr, port: f.port!, proto, ...(svc ? { service: svc.name } : {}) })),
    sources: [{ addr: f.scanner, proto }],
    metrics: {
      scanKind: f.kind, scanType, probed: t.probed, open: t.open.length, closed: t.closed, filtered: t.filtered,
      probesPerSec: Math.round(rate * 10) / 10, durationSec: Math.round((end - start) / 1e6) / 1000,
      ...(f.port !== null ? { port: f.port } : {}),
    },
    explanation,
    affected: f.kind === 'vertical'
      ? [{ addr: f.target!, detail: `${n(t.probed)} ports probed, open: ${openText}`, count: t.probed, firstTs: String(ctx.abs(start)), lastTs: String(ctx.abs(end)) }]
      : f.openLabel.map((addr) => ({ addr, detail: `answered on ${serviceLabel(f.proto, f.port!)}` })),
    recommendations,
    mitre: [MITRE_T1046],
    evidence: f.evidence,
    flowIds: f.flowIds,
    details: {
      scanKind: f.kind, openPorts: f.kind === 'vertical' ? f.openLabel : [],
      events: [
        { tsNs: String(ctx.abs(start)), text: `${f.kind === 'vertical' ? 'Vertical' : 'Horizontal'} scan by ${f.scanner} begins` },
        { tsNs: String(ctx.abs(end)), text: `Scan by ${f.scanner} ends (${n(t.probed)} ${f.kind === 'vertical' ? 'ports' : 'hosts'} probed)` },
      ],
    },
  };
}
