/**
 * The words of an unreachable-service finding: what the ICMP error means for this service,
 * the numbers from the case, the causes worth checking, and the event list for the timeline.
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { UnreachableMeaning } from './icmp-unreachable-codes';
import type { UnreachableGroup } from './unreachable-group';
import type { TimelineEvent } from './finding';

export interface UnreachableFacts {
  group: UnreachableGroup;
  label: string;
  serviceName: string | null;
  baseNs: bigint;
  first: number; last: number; count: number;
  answered: number;
  meaning: UnreachableMeaning;
  icmpVer: number;
  codes: Array<[code: number, count: number]>;
  reporters: string[];
  clients: Array<{ addr: string; count: number }>;
  names: Array<[name: string, count: number]>;
  failedRequests: number;
  firstFailedNs: number | null;
  /** Response direction: when the client first asked, in the conversations that failed. */
  firstQueryNs: number | null;
}

export function unreachableText(facts: UnreachableFacts) {
  const group = facts.group;
  const when = (rel: number) => formatWhen(facts.baseNs, rel);
  const icmp = facts.icmpVer === 6 ? 'ICMPv6 type 1' : 'ICMP type 3';
  const codeText = `${icmp} code ${facts.codes[0][0]} (${facts.meaning.name})`;
  const isDns = group.port === 53;
  const one = facts.count === 1;
  const what = isDns ? (group.direction === 'request' ? (one ? 'DNS query' : 'DNS queries') : (one ? 'DNS response' : 'DNS responses')) : `${facts.label} packet${one ? '' : 's'}`;
  const clientText = facts.clients.length === 1 ? facts.clients[0].addr : `${n(facts.clients.length)} clients (${facts.clients.slice(0, 5).map((client) => client.addr).join(', ')}${facts.clients.length > 5 ? ', …' : ''})`;
  const reporterText = facts.reporters.join(', ');
  const selfReported = facts.reporters.length === 1 && facts.reporters[0] === (group.direction === 'request' ? group.service : facts.clients[0]?.addr);
  const namesText = facts.names.slice(0, 10).map(([name, count]) => `${name} (${n(count)}×)`).join(', ');

  const title = group.direction === 'request'
    ? `${facts.label} on ${group.service} unreachable: ${n(facts.count)} ${facts.meaning.name} error${facts.count === 1 ? '' : 's'}`
    : `Late ${facts.label} replies from ${group.service} rejected: ${n(facts.count)} ${facts.meaning.name} error${facts.count === 1 ? '' : 's'}`;

  const paras: string[] = [];
  const causes: string[] = [];
  if (group.direction === 'request') {
    paras.push(`${codeText} means ${facts.meaning.meaning}.`
      + (facts.meaning.name === 'port unreachable'
        ? ` A host's IP stack sends it when a ${group.proto === 17 ? 'UDP datagram' : 'packet'} arrives for a port on which no program is listening (RFC 1122 §4.1.3.1, RFC 792).`
        : ''));
    paras.push(`Between ${when(facts.first)} and ${when(facts.last)} (${formatDuration(facts.last - facts.first)}), ${n(facts.count)} ${what} from ${clientText} `
      + `to ${group.service}${group.port >= 0 ? `:${group.port}` : ''} ${one ? 'was' : 'were'} answered with ${codeText}, sent by ${reporterText}`
      + (selfReported ? ' itself: the host is up and reachable, but nothing answers on that port.' : '.')
      + (facts.failedRequests > 0 ? ` The capture holds ${n(facts.failedRequests)} request packet${facts.failedRequests === 1 ? '' : 's'} of these conversations.` : ' The original requests are not in the capture itself: the quotes inside the ICMP errors are their only record.')
      + (isDns && facts.names.length ? ` The ICMP messages quote the original queries, which asked for: ${namesText}.` : ''));
    paras.push(facts.answered === 0
      ? `${group.service} never sent a single ${facts.serviceName ?? facts.label} reply in this capture, so every ${isDns ? 'name lookup' : 'request'} through it failed`
        + (isDns ? ': clients that use it as their resolver cannot resolve names, and every service that needs a name fails with them.' : '.')
      : `${group.service} did send ${n(facts.answered)} packets from that port in this capture, so the service works at times: the failures are intermittent.`);
    if (facts.meaning.name === 'port unreachable') {
      causes.push(`the ${facts.serviceName ?? facts.label} service on ${group.service} is stopped, crashed, or not bound to this address and port (check the service status and the listening sockets)`);
      causes.push(`a host firewall on ${group.service} rejecting ${group.port}/${group.proto === 17 ? 'udp' : 'tcp'} with ICMP port unreachable (a REJECT rule)`);
      causes.push(`the clients are configured with the wrong ${isDns ? 'resolver' : 'server'} address (DHCP options, ${isDns ? 'resolv.conf / adapter DNS settings' : 'application settings'})`);
      causes.push(`the service was overloaded or brought down by an attack (look for floods towards ${group.service} at the same time)`);
    } else {
      causes.push(...facts.meaning.causes);
      if (!selfReported) causes.push(`${reporterText} is reporting on the server's behalf: check the route and the filtering on that device`);
    }
  } else {
    paras.push(`${codeText} sent by a client means the client's port was already closed when the answer arrived.`);
    paras.push(`Between ${when(facts.first)} and ${when(facts.last)}, ${n(facts.count)} ${what} from ${group.service}:${group.port} ${one ? 'was' : 'were'} rejected this way by ${clientText}.`
      + (isDns && facts.names.length ? ` They answered queries for: ${namesText}.` : '')
      + ' The client had given up waiting (its resolver or application timed out and closed the socket) before the reply came.');
    if (facts.firstQueryNs !== null && facts.firstFailedNs !== null) {
      paras.push(`The client's first query in these conversations left at ${when(facts.firstQueryNs)}; the server's first reply came `
        + `${formatDuration(facts.firstFailedNs - facts.firstQueryNs)} later, and the rejected one ${formatDuration(facts.first - facts.firstQueryNs)} after the query.`);
    }
    causes.push(`${group.service} answers too slowly: check its load and, for a resolver, its upstream servers (slow or failing recursion ends in late SERVFAIL answers)`);
    causes.push('a client timeout shorter than the server\'s normal response time');
    causes.push('packet loss on the path delaying the exchange until after the client gave up');
  }
  paras.push(`Likely causes to verify: ${causes.map((cause, i) => `(${i + 1}) ${cause}`).join('; ')}.`);

  const events: TimelineEvent[] = [];
  const addEvent = (rel: number | null, text: string) => { if (rel !== null) events.push({ tsNs: String(facts.baseNs + BigInt(Math.round(rel))), text }); };
  if (facts.firstFailedNs !== null && facts.firstFailedNs < facts.first) addEvent(facts.firstFailedNs, `First ${isDns ? 'DNS packet' : `${facts.label} packet`} in a conversation with ${group.service} that fails`);
  addEvent(facts.first, `First ${codeText} from ${reporterText} about ${facts.label} on ${group.service}`);
  if (facts.count > 1) addEvent(facts.last, `Last ${facts.meaning.name} error about ${facts.label} on ${group.service} (${n(facts.count)} in total)`);

  const recommendations = group.direction === 'request'
    ? [
      `Check that the ${facts.serviceName ?? facts.label} service on ${group.service} is running and listening on ${group.port}/${group.proto === 17 ? 'udp' : 'tcp'}, and restart it if not.`,
      `Review firewall rules on ${group.service} and on the path for rules that reject ${group.port}/${group.proto === 17 ? 'udp' : 'tcp'}.`,
      ...(isDns ? [`Verify which resolver the affected clients are configured to use and give them a working secondary resolver.`] : []),
      `Monitor ${group.service}:${group.port} from outside (a synthetic ${isDns ? 'lookup' : 'request'}) so an outage is noticed before users report it.`,
    ]
    : [
      `Measure the response time of ${group.service}:${group.port}; for a resolver, check its upstream servers and its cache.`,
      'Compare the clients\' timeout with the server\'s normal response time.',
    ];
  return { title, explanation: paras.join('\n\n'), recommendations, events, causes };
}
