/**
 * A port scan as a finding: the tally of what the probes met, and the title, explanation and
 * recommendations built from it. Shared by the TCP scans (port-scan.ts) and the UDP scans
 * (port-scan-udp.ts).
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { serviceFor, serviceLabel } from './service-names';

export const MITRE_T1046 = { id: 'T1046', name: 'Network Service Discovery' };

export interface ScanTally { probed: number; open: number[]; closed: number; filtered: number; connect: number; halfOpen: number }

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
  flowIds: Iterable<number>;
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
    `Reported because at least ${n(f.kind === 'vertical' ? T.minPorts : T.minHosts)} ${f.kind === 'vertical' ? 'ports' : 'hosts'} were probed within ${formatDuration(T.windowSec * 1e9)}`
      + `${f.proto === 6 ? ', most of them without an answer' : ''}. A slower scan, spread beyond that window, is not reported (threshold portScan.windowSec).`,
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
