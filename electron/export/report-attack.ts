/**
 * The report for an attack (SYN flood, other floods, scans, ARP poisoning): incident summary,
 * 1. type of attack and evidence, 2. how the attack caused the malfunction, then the logs,
 * timeline, impact and recommendations.
 */
import type { CaseDb } from '../../db/open-case';
import { formatDuration, n } from '../analysis/case-time';
import type { Block, Section } from './report-model';
import type { CaseFacts, ReportFinding } from './report-data';
import { closingSections, evidenceRolesTable, findingsTable, metricsTable, paragraphs, when } from './report-common';

function num(f: ReportFinding, key: string): number { const v = f.metrics[key]; return typeof v === 'number' ? v : 0; }
function str(f: ReportFinding, key: string): string { const v = f.metrics[key]; return v === undefined ? '' : String(v); }

function durationOf(f: ReportFinding): string { return formatDuration(Number(BigInt(f.endTs) - BigInt(f.startTs))); }

export function attackTypeName(f: ReportFinding): string {
  switch (f.kind) {
    case 'syn-flood':
      return `TCP SYN flood: ${str(f, 'scope') === 'DDoS' ? 'distributed denial of service (DDoS)' : 'denial of service (DoS)'}`
        + (str(f, 'spoofingLikely') === 'yes' ? ' with spoofed source addresses' : '');
    case 'icmp-flood': return 'ICMP echo (ping) flood: denial of service';
    case 'udp-flood': return 'UDP flood: denial of service';
    case 'port-scan': return `Port scan (${str(f, 'scanType')}, ${str(f, 'scanKind')}): reconnaissance`;
    case 'arp-spoof': return 'ARP cache poisoning: adversary in the middle';
    case 'arp-gratuitous-storm': return 'Gratuitous ARP storm';
    case 'dns-nxdomain-burst': return 'Burst of lookups for nonexistent names (possible DGA malware)';
    case 'dns-servfail-burst': return 'DNS resolution failure (SERVFAIL burst)';
    case 'dns-unanswered': return 'DNS server not answering';
    default: return f.title;
  }
}

function summaryText(f: ReportFinding, facts: CaseFacts): string {
  const target = f.targets[0];
  const tgt = target ? `${target.addr}${target.port !== undefined ? `:${target.port}` : ''}` : 'the target';
  if (f.kind === 'syn-flood') {
    const from = num(f, 'attackSources') === 1 ? f.sources[0]?.addr ?? 'one source' : `${n(num(f, 'attackSources'))} source addresses`;
    let s = `Between ${when(f.startTs, facts.baseNs)} and ${when(f.endTs, facts.baseNs)} (${durationOf(f)}), ${tgt} was hit by a TCP SYN flood from ${from}: `
      + `${n(num(f, 'attackSyns'))} SYNs, peak ${n(num(f, 'peakSynPerSec'))} per second, none of them followed by the ACK that completes a connection. `
      + answeringText(f, facts);
    if (num(f, 'impactedClients') > 0) {
      s += ` ${n(num(f, 'impactedClients'))} of the ${n(num(f, 'legitimateClients'))} legitimate clients saw failed connections: `
        + `${n(num(f, 'clientUnansweredConnections'))} connection attempts never answered, ${n(num(f, 'serverResets'))} reset by the server, `
        + `${n(num(f, 'http5xx'))} HTTP 5xx errors.`;
    } else if (num(f, 'legitimateClients') > 0) {
      s += ` None of the ${n(num(f, 'legitimateClients'))} legitimate clients saw a failed connection while it ran.`;
    }
    return s + ` Severity: ${f.severity}.`;
  }
  return `${f.title}. It ran from ${when(f.startTs, facts.baseNs)} to ${when(f.endTs, facts.baseNs)} (${durationOf(f)}) and is supported by ${n(f.evidenceTotal)} packets. Severity: ${f.severity}.`;
}

interface Answering { stopped: boolean; lastAnsweredTsNs: string | null; afterLastAnswer: number; synAckRateAtEnd: number; endWindowSec: number }

/**
 * Whether the server stopped answering is read from the finding's data (details.answering), never
 * assumed: a server that kept sending SYN/ACKs to the end must not be said to have stopped.
 */
export function answeringText(f: ReportFinding, facts: CaseFacts): string {
  const synAcks = num(f, 'synAcks');
  const a = f.details.answering as Answering | undefined;
  if (synAcks === 0) return 'The capture shows no SYN/ACK from the server to the attacking sources.';
  const head = `The server answered ${n(synAcks)} with a SYN/ACK`;
  if (!a) return `${head}.`;
  if (a.stopped && a.lastAnsweredTsNs) {
    return `${head}, then stopped answering after ${when(a.lastAnsweredTsNs, facts.baseNs)}: the ${n(a.afterLastAnswer)} attack SYNs `
      + 'that followed got no reply, as when its backlog of half-open connections is full.';
  }
  return `${head} and kept answering to the end of the attack (about ${n(a.synAckRateAtEnd)} SYN/ACKs per second in its last ${n(a.endWindowSec)} s).`;
}

function handshakeTable(f: ReportFinding): Block | null {
  const h = f.details.handshake as Record<string, number> | undefined;
  if (!h) return null;
  return {
    type: 'table',
    caption: 'The three-way handshake, step by step, for the attack connections',
    head: ['Step', 'What should happen', 'What the capture shows'],
    rows: [
      ['1. SYN (client → server)', 'The client asks to open a connection.', synStepText(h, num(f, 'attackSynRetransmissions'))],
      ['2. SYN/ACK (server → client)', 'The server reserves a backlog entry and answers.',
        `${n(h.synAck)} SYN/ACKs, plus ${n(h.synAckRetransmissions)} retransmissions; ${n(h.unanswered)} attempts never answered`],
      ['3. ACK (client → server)', 'The client confirms; the connection is open and the entry is freed.',
        `${n(h.ack)} ACKs: ${n(h.halfOpen)} entries left half-open until they timed out`],
    ],
  };
}

/** "12,948 SYNs in 11,688 attempts" needs its reason beside it: retransmissions or reused source ports. */
export function synStepText(h: Record<string, number>, retransmitted: number): string {
  const base = `${n(h.syn)} SYNs in ${n(h.attempts)} connection attempts`;
  const extra = h.syn - h.attempts;
  if (extra <= 0) return base;
  const reused = Math.max(0, extra - retransmitted);
  const parts: string[] = [];
  if (retransmitted > 0) parts.push(`${n(retransmitted)} retransmitted`);
  if (reused > 0) parts.push(`${n(reused)} reused the source port of an earlier attempt (same address and port pair, so the same attempt), not retransmissions`);
  return `${base}: ${parts.join('; ')}`;
}

export function attackSections(db: CaseDb, main: ReportFinding[], others: ReportFinding[], facts: CaseFacts, perRole: number): Section[] {
  const sections: Section[] = [];
  sections.push({
    title: 'Incident summary', level: 2,
    blocks: [
      ...main.map((f) => ({ type: 'p' as const, text: summaryText(f, facts) })),
      { type: 'placeholder', text: 'add how the attack was first noticed (users, monitoring, the provider) and when.' },
      findingsTable(main, facts.baseNs),
    ],
  });
  sections.push({ title: '1. Type of attack and evidence', level: 2, blocks: [] });
  for (const f of main) {
    const blocks: Block[] = [
      { type: 'p', text: `Type: ${attackTypeName(f)}.` },
      { type: 'p', text: `Targets: ${f.targets.map((t) => `${t.addr}${t.port !== undefined ? `:${t.port}` : ''}${t.service ? ` (${t.service})` : ''}`).join(', ') || 'none'}. `
        + `Sources${f.sources.length >= 20 ? ' (first 20)' : ''}: ${f.sources.map((s) => s.addr).join(', ') || 'none'}.` },
    ];
    if (f.mitre.length) blocks.push({ type: 'p', text: `MITRE ATT&CK: ${f.mitre.map((m) => `${m.id} ${m.name}`).join('; ')}.` });
    blocks.push(metricsTable(f), evidenceRolesTable(f));
    sections.push({ title: `Finding #${f.id}: ${f.title}`, level: 3, blocks });
  }
  sections.push({ title: '2. How the attack caused the malfunction', level: 2, blocks: [] });
  for (const f of main) {
    const hs = handshakeTable(f);
    sections.push({ title: `Finding #${f.id}: ${attackTypeName(f)}`, level: 3, blocks: [...(hs ? [hs] : []), ...paragraphs(f.explanation)] });
  }
  sections.push(...closingSections(db, main, others, facts, perRole));
  return sections;
}
