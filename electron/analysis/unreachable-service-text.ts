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

export function unreachableText(f: UnreachableFacts) {
  const g = f.group;
  const when = (rel: number) => formatWhen(f.baseNs, rel);
  const icmp = f.icmpVer === 6 ? 'ICMPv6 type 1' : 'ICMP type 3';
  const codeText = `${icmp} code ${f.codes[0][0]} (${f.meaning.name})`;
  const isDns = g.port === 53;
  const one = f.count === 1;
  const what = isDns ? (g.direction === 'request' ? (one ? 'DNS query' : 'DNS queries') : (one ? 'DNS response' : 'DNS responses')) : `${f.label} packet${one ? '' : 's'}`;
  const clientText = f.clients.length === 1 ? f.clients[0].addr : `${n(f.clients.length)} clients (${f.clients.slice(0, 5).map((c) => c.addr).join(', ')}${f.clients.length > 5 ? ', …' : ''})`;
  const reporterText = f.reporters.join(', ');
  const selfReported = f.reporters.length === 1 && f.reporters[0] === (g.direction === 'request' ? g.service : f.clients[0]?.addr);
  const namesText = f.names.slice(0, 10).map(([name, c]) => `${name} (${n(c)}×)`).join(', ');

  const title = g.direction === 'request'
    ? `${f.label} on ${g.service} unreachable: ${n(f.count)} ${f.meaning.name} error${f.count === 1 ? '' : 's'}`
    : `Late ${f.label} replies from ${g.service} rejected: ${n(f.count)} ${f.meaning.name} error${f.count === 1 ? '' : 's'}`;

  const paras: string[] = [];
  const causes: string[] = [];
  if (g.direction === 'request') {
    paras.push(`${codeText} means ${f.meaning.meaning}.`
      + (f.meaning.name === 'port unreachable'
        ? ` A host's IP stack sends it when a ${g.proto === 17 ? 'UDP datagram' : 'packet'} arrives for a port on which no program is listening (RFC 1122 §4.1.3.1, RFC 792).`
        : ''));
    paras.push(`Between ${when(f.first)} and ${when(f.last)} (${formatDuration(f.last - f.first)}), ${n(f.count)} ${what} from ${clientText} `
      + `to ${g.service}${g.port >= 0 ? `:${g.port}` : ''} ${one ? 'was' : 'were'} answered with ${codeText}, sent by ${reporterText}`
      + (selfReported ? ' itself: the host is up and reachable, but nothing answers on that port.' : '.')
      + (f.failedRequests > 0 ? ` The capture holds ${n(f.failedRequests)} request packet${f.failedRequests === 1 ? '' : 's'} of these conversations.` : ' The original requests are not in the capture itself: the quotes inside the ICMP errors are their only record.')
      + (isDns && f.names.length ? ` The ICMP messages quote the original queries, which asked for: ${namesText}.` : ''));
    paras.push(f.answered === 0
      ? `${g.service} never sent a single ${f.serviceName ?? f.label} reply in this capture, so every ${isDns ? 'name lookup' : 'request'} through it failed`
        + (isDns ? ': clients that use it as their resolver cannot resolve names, and every service that needs a name fails with them.' : '.')
      : `${g.service} did send ${n(f.answered)} packets from that port in this capture, so the service works at times: the failures are intermittent.`);
    if (f.meaning.name === 'port unreachable') {
      causes.push(`the ${f.serviceName ?? f.label} service on ${g.service} is stopped, crashed, or not bound to this address and port (check the service status and the listening sockets)`);
      causes.push(`a host firewall on ${g.service} rejecting ${g.port}/${g.proto === 17 ? 'udp' : 'tcp'} with ICMP port unreachable (a REJECT rule)`);
      causes.push(`the clients are configured with the wrong ${isDns ? 'resolver' : 'server'} address (DHCP options, ${isDns ? 'resolv.conf / adapter DNS settings' : 'application settings'})`);
      causes.push(`the service was overloaded or brought down by an attack (look for floods towards ${g.service} at the same time)`);
    } else {
      causes.push(...f.meaning.causes);
      if (!selfReported) causes.push(`${reporterText} is reporting on the server's behalf: check the route and the filtering on that device`);
    }
  } else {
    paras.push(`${codeText} sent by a client means the client's port was already closed when the answer arrived.`);
    paras.push(`Between ${when(f.first)} and ${when(f.last)}, ${n(f.count)} ${what} from ${g.service}:${g.port} ${one ? 'was' : 'were'} rejected this way by ${clientText}.`
      + (isDns && f.names.length ? ` They answered queries for: ${namesText}.` : '')
      + ' The client had given up waiting (its resolver or application timed out and closed the socket) before the reply came.');
    if (f.firstQueryNs !== null && f.firstFailedNs !== null) {
      paras.push(`The client's first query in these conversations left at ${when(f.firstQueryNs)}; the server's first reply came `
        + `${formatDuration(f.firstFailedNs - f.firstQueryNs)} later, and the rejected one ${formatDuration(f.first - f.firstQueryNs)} after the query.`);
    }
    causes.push(`${g.service} answers too slowly: check its load and, for a resolver, its upstream servers (slow or failing recursion ends in late SERVFAIL answers)`);
    causes.push('a client timeout shorter than the server\'s normal response time');
    causes.push('packet loss on the path delaying the exchange until after the client gave up');
  }
  paras.push(`Likely causes to verify: ${causes.map((c, i) => `(${i + 1}) ${c}`).join('; ')}.`);

  const events: TimelineEvent[] = [];
  const ev = (rel: number | null, text: string) => { if (rel !== null) events.push({ tsNs: String(f.baseNs + BigInt(Math.round(rel))), text }); };
  if (f.firstFailedNs !== null && f.firstFailedNs < f.first) ev(f.firstFailedNs, `First ${isDns ? 'DNS packet' : `${f.label} packet`} in a conversation with ${g.service} that fails`);
  ev(f.first, `First ${codeText} from ${reporterText} about ${f.label} on ${g.service}`);
  if (f.count > 1) ev(f.last, `Last ${f.meaning.name} error about ${f.label} on ${g.service} (${n(f.count)} in total)`);

  const recommendations = g.direction === 'request'
    ? [
      `Check that the ${f.serviceName ?? f.label} service on ${g.service} is running and listening on ${g.port}/${g.proto === 17 ? 'udp' : 'tcp'}, and restart it if not.`,
      `Review firewall rules on ${g.service} and on the path for rules that reject ${g.port}/${g.proto === 17 ? 'udp' : 'tcp'}.`,
      ...(isDns ? [`Verify which resolver the affected clients are configured to use and give them a working secondary resolver.`] : []),
      `Monitor ${g.service}:${g.port} from outside (a synthetic ${isDns ? 'lookup' : 'request'}) so an outage is noticed before users report it.`,
    ]
    : [
      `Measure the response time of ${g.service}:${g.port}; for a resolver, check its upstream servers and its cache.`,
      'Compare the clients\' timeout with the server\'s normal response time.',
    ];
  return { title, explanation: paras.join('\n\n'), recommendations, events, causes };
}
