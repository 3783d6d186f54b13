/**
 * The report for an unreachable service (typically DNS answered by ICMP port unreachable):
 * summary of the problem in the DNS and ICMP traffic, when it occurred, how it was noticed,
 * actions taken and key findings, likely cause, then logs, timeline and recommendations.
 */
import type { CaseDb } from '../../db/open-case';
import { formatDuration, n } from '../analysis/case-time';
import type { Block, Section } from './report-model';
import { CaseFacts, dnsOutcomes, otherResolvers, ReportFinding } from './report-data';
import { closingSections, evidenceRolesTable, findingsTable, paragraphs, when } from './report-common';

function num(f: ReportFinding, key: string): number { const v = f.metrics[key]; return typeof v === 'number' ? v : 0; }

function endpointOf(f: ReportFinding): string {
  const t = f.targets[0];
  return t ? `${t.addr}${t.port !== undefined ? `:${t.port}` : ''}` : '';
}

/**
 * The finding's span starts at the first failing request; the ICMP errors come later. Findings
 * stored before firstErrorTsNs existed fall back to the finding's span.
 */
export function whenOccurredText(f: ReportFinding, facts: CaseFacts): string {
  const firstReq = f.details.firstRequestTsNs as string | null | undefined;
  const firstErr = (f.details.firstErrorTsNs as string | undefined) ?? f.startTs;
  const lastErr = (f.details.lastErrorTsNs as string | undefined) ?? f.endTs;
  let text = `Finding #${f.id}: the first ICMP error at ${when(firstErr, facts.baseNs)}, the last at ${when(lastErr, facts.baseNs)} `
    + `(${formatDuration(Number(BigInt(lastErr) - BigInt(firstErr)))}).`;
  if (firstReq && BigInt(firstReq) < BigInt(firstErr)) {
    text += ` The first packet of these failing conversations was sent earlier, at ${when(firstReq, facts.baseNs)}.`;
  }
  return text;
}

export function unreachableSections(db: CaseDb, main: ReportFinding[], others: ReportFinding[], facts: CaseFacts, perRole: number): Section[] {
  const sections: Section[] = [];

  const summary: Block[] = [];
  for (const f of main) {
    const label = String(f.details.serviceLabel ?? '');
    const request = f.metrics.direction === 'request';
    const clients = f.sources.map((s) => s.addr).join(', ');
    const names = (f.details.names as Array<{ name: string; count: number }> | undefined) ?? [];
    let text = request
      ? `The ${label} service on ${f.targets[0]?.addr} could not be reached. In the DNS and ICMP traffic, ${n(num(f, 'icmpErrors'))} packets from ${clients} to ${endpointOf(f)} `
        + `were answered by ICMP destination unreachable (${f.metrics.codeName}) instead of a ${label} reply, and the service sent ${n(num(f, 'serviceResponses'))} replies of its own in the whole capture.`
      : `${label} replies from ${endpointOf(f)} reached ${clients} after the client had stopped waiting: ${n(num(f, 'icmpErrors'))} of them were rejected with ICMP destination unreachable (${f.metrics.codeName}).`;
    if (names.length) text += ` Names affected: ${names.slice(0, 10).map((x) => x.name).join(', ')}${names.length > 10 ? ', …' : ''}.`;
    const target = f.targets[0];
    if (target && target.port === 53) {
      const o = dnsOutcomes(db, target.addr);
      text += ` DNS transactions with ${target.addr} in the case: ${n(o.answered ?? 0)} answered, ${n(o.unanswered ?? 0)} unanswered, ${n(o['response-only'] ?? 0)} responses without a matching query.`;
      for (const r of otherResolvers(db, f.sources.map((x) => x.addr), target.addr)) {
        text += ` The same client${f.sources.length === 1 ? '' : 's'} also asked ${r.server}, which answered ${n(r.answered)} of ${n(r.total)} queries.`;
      }
    }
    summary.push({ type: 'p', text: text + ` Severity: ${f.severity}.` });
  }
  summary.push(findingsTable(main, facts.baseNs));
  sections.push({ title: 'Summary of the problem found in DNS and ICMP traffic', level: 2, blocks: summary });

  sections.push({
    title: 'When it occurred', level: 2,
    blocks: main.map((f) => ({ type: 'p' as const, text: whenOccurredText(f, facts) })),
  });

  sections.push({
    title: 'How it was noticed', level: 2,
    blocks: [
      ...main.map((f) => ({
        type: 'p' as const,
        text: f.metrics.direction === 'request'
          ? `In the capture: every failing ${f.details.serviceLabel} packet from the clients is followed by an ICMP destination-unreachable message from ${(f.details.reporters as string[] | undefined)?.join(', ')} that quotes it, and no ${f.details.serviceLabel} answer ever comes. The clients retried, and ${n(num(f, 'clients'))} client${num(f, 'clients') === 1 ? '' : 's'} kept failing.`
          : `In the capture: the server's replies are followed by ICMP destination-unreachable messages from the client that quote them.`,
      })),
      { type: 'placeholder', text: 'add how the problem was first reported, for example by users or by monitoring.' },
    ],
  });

  const keyFindings: string[] = [];
  for (const f of main) {
    keyFindings.push(`${f.title} (finding #${f.id}).`);
    keyFindings.push(`${n(num(f, 'icmpErrors'))} ICMP destination-unreachable messages, ${n(num(f, 'failedRequests'))} ${f.metrics.direction === 'request' ? 'request' : 'late reply'} packets in the failed conversations, ${n(num(f, 'clients'))} affected client${num(f, 'clients') === 1 ? '' : 's'}.`);
    keyFindings.push(`${n(num(f, 'serviceResponses'))} packets were sent from ${endpointOf(f)} in the whole capture.`);
  }
  sections.push({
    title: 'Actions taken and key findings', level: 2,
    blocks: [
      { type: 'p', text: `Actions taken: the capture${facts.captures.length === 1 ? '' : 's'} (${facts.captures.map((c) => c.name).join(', ')}) ${facts.captures.length === 1 ? 'was' : 'were'} indexed into a case file (${n(facts.packets)} packets, SHA-256 below); `
        + 'every ICMP error was matched with the packet it quotes and with the DNS transactions of the same conversation, and the packets cited below were reviewed.' },
      { type: 'list', items: keyFindings },
      ...main.map((f) => evidenceRolesTable(f)),
    ],
  });

  sections.push({
    title: 'Likely cause', level: 2,
    blocks: main.flatMap((f) => {
      const causes = (f.details.causes as string[] | undefined) ?? [];
      const explanation = paragraphs(f.explanation.split(/\n\n/).filter((p) => !p.startsWith('Likely causes to verify')).join('\n\n'));
      return [...explanation, { type: 'p' as const, text: 'Causes to verify, most likely first:' }, { type: 'list' as const, ordered: true, items: causes }];
    }),
  });
  sections.push(...closingSections(db, main, others, facts, perRole));
  return sections;
}
