/**
 * Report sections shared by every incident type: the findings table, evidence tables,
 * "What the logs show", the timeline, impact, recommendations and the captures with their hashes.
 */
import type { CaseDb } from '../../db/open-case';
import { formatRel, formatUtc, n } from '../analysis/case-time';
import type { Block, Section } from './report-model';
import { CaseFacts, evidenceExcerpt, ReportFinding } from './report-data';

const ROLE_LABELS: Record<string, string> = {
  syn: 'SYN from an attacking source',
  synack: 'SYN/ACK from the server (step 2)',
  'synack-retransmission': 'SYN/ACK retransmitted by the server',
  'client-syn': 'SYN from a legitimate client, never answered',
  'client-syn-retransmission': 'SYN retransmitted by a legitimate client',
  'server-rst': 'RST from the server to a legitimate client',
  'http-5xx': 'HTTP 5xx response to a legitimate client',
  'icmp-error': 'ICMP destination unreachable',
  request: 'request that failed',
  'late-response': 'reply that arrived after the client gave up',
  probe: 'scan probe',
  open: 'answer from an open port / host',
  closed: 'refusal from a closed port',
  'echo-request': 'ICMP echo request',
  'echo-reply': 'ICMP echo reply',
  datagram: 'UDP datagram of the flood',
  answer: 'packet sent back by the target',
  'nxdomain-response': 'NXDOMAIN response',
  'servfail-response': 'SERVFAIL response',
  query: 'DNS query',
  'unanswered-query': 'DNS query never answered',
  'conflicting-claim': 'ARP claim by the suspect MAC',
  claim: 'ARP claim by another MAC',
  'gratuitous-arp': 'gratuitous ARP',
};

export function roleLabel(role: string): string { return ROLE_LABELS[role] ?? role; }

export function when(ns: bigint | string, baseNs: bigint): string {
  const abs = typeof ns === 'string' ? BigInt(ns) : ns;
  return `${formatUtc(abs)} (t+${formatRel(Number(abs - baseNs))} s)`;
}

export function findingsTable(findings: ReportFinding[], baseNs: bigint): Block {
  return {
    type: 'table',
    head: ['#', 'Severity', 'Finding', 'Start', 'End', 'Evidence packets'],
    rows: findings.map((f) => [String(f.id), f.severity, f.title, when(f.startTs, baseNs), when(f.endTs, baseNs), n(f.evidenceTotal)]),
    links: findings.map((f) => [undefined, undefined, undefined, undefined, undefined, `finding:${f.id}:evidenceTotal`]),
  };
}

const METRIC_LABELS: Record<string, string> = {
  attackSyns: 'Attack SYNs', attackSources: 'Attacking source addresses', peakSynPerSec: 'Peak SYNs per second',
  avgSynPerSec: 'Average SYNs per second', attackFlows: 'Attack connection attempts', halfOpen: 'Half-open (SYN/ACK never ACKed)',
  unanswered: 'Never answered', completedByAttackers: 'Handshakes completed by attackers', synAcks: 'SYN/ACKs sent to attackers',
  synAckRetransmissions: 'SYN/ACK retransmissions', attackSynRetransmissions: 'SYN retransmissions by attackers',
  clientUnansweredConnections: 'Client connections never answered', clientSynRetransmissions: 'Client SYN retransmissions',
  http5xx: 'HTTP 5xx responses', icmpErrors: 'ICMP errors', durationSec: 'Duration (s)',
};

/** "attackSyns" → "Attack syns": a readable label for any metric a detector adds. */
function metricLabel(key: string): string {
  if (METRIC_LABELS[key]) return METRIC_LABELS[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/Slash(\d+)/g, '/$1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function metricsTable(f: ReportFinding): Block {
  return {
    type: 'table',
    head: ['Measure', 'Value'],
    rows: Object.entries(f.metrics).map(([k, v]) => [metricLabel(k), typeof v === 'number' ? n(v) : String(v)]),
    links: Object.keys(f.metrics).map((k) => [undefined, `finding:${f.id}:${k}`]),
  };
}

export function evidenceRolesTable(f: ReportFinding): Block {
  const stored = f.roles.reduce((s, r) => s + r.count, 0);
  return {
    type: 'table',
    head: ['Evidence', 'Packets cited'],
    rows: [...f.roles.map((r) => [roleLabel(r.role), n(r.count)]), ['Total supporting packets', n(f.evidenceTotal)]],
    caption: stored < f.evidenceTotal
      ? `The case stores ${n(stored)} of the ${n(f.evidenceTotal)} supporting packets as citations (a fixed cap per finding); the total is exact.`
      : undefined,
  };
}

function logsSection(db: CaseDb, findings: ReportFinding[], facts: CaseFacts, perRole: number): Section {
  const blocks: Block[] = [{
    type: 'p',
    text: 'Excerpts of the packets each finding cites, in Wireshark\'s columns (Time = seconds since the first packet of the case). '
      + 'In Flowcase, open the finding to list all of its evidence packets.',
  }];
  for (const f of findings) {
    const lines = evidenceExcerpt(db, f.id, facts.baseNs, perRole);
    if (lines.length === 0) continue;
    blocks.push({
      type: 'table',
      caption: `Finding #${f.id}: ${f.title} (${n(lines.length)} of ${n(f.evidenceTotal)} evidence packets shown)`,
      head: ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Info', 'Cited as'],
      packetColumn: 0,
      rows: lines.map((l) => [String(l.id), formatRel(l.rel, 6), l.src, l.dst, l.proto, l.info, roleLabel(l.role)]),
    });
  }
  return { title: 'What the logs show', level: 2, blocks };
}

function timelineSection(findings: ReportFinding[], facts: CaseFacts): Section {
  const events: Array<{ ns: bigint; text: string }> = [];
  if (facts.firstNs !== null) events.push({ ns: facts.firstNs, text: 'First packet of the capture' });
  for (const f of findings) {
    const list = (f.details.events as Array<{ tsNs: string; text: string }> | undefined) ?? [];
    for (const e of list) events.push({ ns: BigInt(e.tsNs), text: `${e.text} [finding #${f.id}]` });
  }
  if (facts.lastNs !== null) events.push({ ns: facts.lastNs, text: 'Last packet of the capture' });
  events.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  return {
    title: 'Timeline of events', level: 2,
    blocks: [{ type: 'table', head: ['Time (UTC)', 't+ (s)', 'Event'], rows: events.map((e) => [formatUtc(e.ns), formatRel(Number(e.ns - facts.baseNs)), e.text]) }],
  };
}

function impactBlocks(f: ReportFinding, facts: CaseFacts, limit = 40): Block[] {
  if (f.affected.length === 0) return [{ type: 'p', text: 'No affected hosts could be identified from the capture for this finding.' }];
  const rows = f.affected.slice(0, limit).map((a) => [
    a.addr, a.detail, a.count !== undefined ? n(a.count) : '',
    a.firstTs ? when(a.firstTs, facts.baseNs) : '', a.lastTs ? when(a.lastTs, facts.baseNs) : '',
  ]);
  const blocks: Block[] = [{ type: 'table', caption: `Finding #${f.id}: ${f.title}`, head: ['Host', 'What happened', 'Count', 'First', 'Last'], rows }];
  if (f.affected.length > limit) blocks.push({ type: 'p', text: `… and ${n(f.affected.length - limit)} more hosts (see the finding in Flowcase).` });
  return blocks;
}

function recommendationsSection(findings: ReportFinding[]): Section {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const f of findings) for (const r of f.recommendations) if (!seen.has(r)) { seen.add(r); items.push(r); }
  return {
    title: 'Recommendations', level: 2,
    blocks: items.length ? [{ type: 'list', ordered: true, items }] : [{ type: 'p', text: 'No recommendations: no finding was raised.' }],
  };
}

export function capturesSection(facts: CaseFacts): Section {
  return {
    title: 'Captures', level: 2,
    blocks: [
      { type: 'p', text: 'The analysis rests on these capture files. The SHA-256 hashes were computed when they were indexed; recompute them to show the evidence is unchanged.' },
      {
        type: 'table',
        head: ['File', 'SHA-256', 'Format', 'Packets', 'First packet', 'Last packet', 'Status'],
        rows: facts.captures.map((c) => [c.name, c.sha256 || '(not computed)', c.format, n(c.packets),
          c.firstNs !== null ? formatUtc(c.firstNs) : '', c.lastNs !== null ? formatUtc(c.lastNs) : '', c.status]),
      },
    ],
  };
}

function otherFindingsSection(others: ReportFinding[], facts: CaseFacts): Section | null {
  if (others.length === 0) return null;
  return {
    title: 'Other findings', level: 2,
    blocks: [
      { type: 'p', text: 'Lower-severity or unrelated findings in the same case, for completeness.' },
      findingsTable(others, facts.baseNs),
    ],
  };
}

/**
 * The sections every report ends with, whatever the incident type: the logs, the timeline of
 * all findings, impact and recommendations of the main ones, the other findings, the captures.
 */
export function closingSections(db: CaseDb, main: ReportFinding[], others: ReportFinding[], facts: CaseFacts, perRole: number): Section[] {
  const sections: Section[] = [
    logsSection(db, main, facts, perRole),
    timelineSection([...main, ...others], facts),
    { title: 'Impact', level: 2, blocks: main.flatMap((f) => impactBlocks(f, facts)) },
    recommendationsSection(main),
  ];
  const other = otherFindingsSection(others, facts);
  if (other) sections.push(other);
  sections.push(capturesSection(facts));
  return sections;
}

export function paragraphs(text: string): Block[] {
  return text.split(/\n\n+/).filter((p) => p.trim()).map((p) => ({ type: 'p' as const, text: p }));
}
