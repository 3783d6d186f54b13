/**
 * The words of a SYN flood finding: title, the handshake walk-through with the case's numbers,
 * the event list for the report's timeline, and recommendations that fit the attack's scope.
 */
import type { Spread } from './address-spread';
import { formatDuration, formatWhen, n } from './case-time';
import { round1, type TimelineEvent } from './finding';
import type { ImpactSummary } from './syn-flood-impact';

export interface SynFloodFacts {
  target: string; port: number; service: string | null;
  startNs: number; endNs: number; baseNs: bigint;
  scope: 'DoS' | 'DDoS'; spoofLikely: boolean;
  sources: Array<{ addr: string; count: number }>;
  attackSyns: number; attackSynRetrans: number; distinctSrcPorts: number;
  peakPerSec: number; avgPerSec: number;
  attackFlows: number; halfOpen: number; unanswered: number;
  synAcks: number; synAckRetrans: number;
  answeredSyns: number; stoppedAnswering: boolean; lastAnsweredNs: number | null; afterLastAnswer: number;
  /** New SYN/ACKs per second to the attack sources in the attack's last `endWindowSec` seconds. */
  synAckRateAtEnd: number; endWindowSec: number;
  /** Attack SYNs that reused the 4-tuple of an earlier attempt without being retransmissions. */
  reusedPortSyns: number;
  neverCompleted: number; onePacket: number; spread: Spread;
  impact: ImpactSummary;
}


export function synFloodText(facts: SynFloodFacts) {
  const when = (rel: number) => formatWhen(facts.baseNs, rel);
  const svc = facts.service ? ` (${facts.service})` : '';
  const endpoint = `${facts.target}:${facts.port}`;
  const single = facts.sources.length === 1 ? facts.sources[0].addr : null;
  const title = `SYN flood (${facts.scope}${facts.spoofLikely ? ', spoofed sources' : ''}) on ${endpoint}${svc}`
    + (single ? ` from ${single}` : ` from ${n(facts.sources.length)} sources`);

  const who = single
    ? `${single} alone sent`
    : `${n(facts.sources.length)} different source addresses sent`;
  const paras: string[] = [];
  paras.push('A TCP connection opens with a three-way handshake: (1) the client sends SYN; (2) the server answers SYN/ACK '
    + 'and keeps a half-open entry in its SYN backlog while it waits; (3) the client\'s ACK completes the connection and frees '
    + 'the entry. A SYN flood sends step 1 over and over and never step 3, until the backlog is full and the server can no '
    + 'longer accept anyone.');
  paras.push(`Between ${when(facts.startNs)} and ${when(facts.endNs)} (${formatDuration(facts.endNs - facts.startNs)}), ${who} `
    + `${n(facts.attackSyns)} SYNs to ${endpoint}${svc}: peak ${n(facts.peakPerSec)} SYN/s, average ${n(round1(facts.avgPerSec))} SYN/s, `
    + `from ${n(facts.distinctSrcPorts)} different source ports, in ${n(facts.attackFlows)} connection attempts`
    + (facts.attackSynRetrans ? ` (${n(facts.attackSynRetrans)} of the SYNs were retransmissions).` : '; not one SYN was retransmitted, as a real TCP stack would, which points to a flooding tool.')
    + reusedPortsText(facts.reusedPortSyns, facts.attackSyns, facts.attackFlows));

  const step2 = facts.synAcks > 0
    ? `Step 2 happened: the server answered ${n(facts.synAcks)} of the ${n(facts.attackFlows)} attempts with a SYN/ACK`
      + (facts.synAckRetrans ? ` and retransmitted its SYN/ACKs ${n(facts.synAckRetrans)} times while it waited for the ACK.` : '.')
    : 'No SYN/ACK from the server to the attacking sources appears in the capture: either the server was already saturated or the capture saw only the inbound direction.';
  const step3 = `Step 3 never came: none of the ${n(facts.attackFlows)} attack connections was completed with an ACK `
    + `(${n(facts.halfOpen)} were left half-open after a SYN/ACK, ${n(facts.unanswered)} were never answered at all).`;
  paras.push(`${step2} ${step3}`);
  if (facts.stoppedAnswering && facts.lastAnsweredNs !== null) {
    paras.push(`After ${when(facts.lastAnsweredNs)} the server answered no new SYN on ${endpoint}: the ${n(facts.afterLastAnswer)} attack SYNs `
      + 'that followed got no reply, which is what an exhausted SYN backlog looks like from the wire.');
  } else if (facts.synAcks > 0) {
    paras.push(`The server kept answering to the end of the attack: about ${n(round1(facts.synAckRateAtEnd))} new SYN/ACKs per second `
      + `in its last ${n(round1(facts.endWindowSec))} s.`);
  }

  if (single) {
    paras.push(`Scope: denial of service from one address. ${single} `
      + (facts.neverCompleted ? 'never completed a handshake with any host in the capture' : 'completed handshakes with other hosts, but never with the target')
      + '. The source address of a SYN is never verified, so it may still be forged.');
  } else {
    const top = facts.sources.slice(0, 3).map((source) => `${source.addr} (${n(source.count)})`).join(', ');
    const spreadText = `The SYNs came from ${n(facts.sources.length)} addresses in ${n(facts.spread.wideNets)} different /8 `
      + `and ${n(facts.spread.narrowNets)} different /16 networks; ${n(facts.neverCompleted)} of them never completed a handshake with any host in `
      + `the capture and ${n(facts.onePacket)} sent exactly one packet. Busiest sources: ${top}.`;
    paras.push(facts.scope === 'DoS'
      ? `Scope: denial of service from a few addresses. ${spreadText}`
      : `Scope: distributed denial of service (DDoS). ${spreadText} `
        + (facts.spoofLikely
          ? 'Sources this scattered that never finish a handshake are almost certainly spoofed: the attacker forges a new source address per packet.'
          : 'The sources do not look randomly forged; they may be real compromised hosts.'));
  }

  const impact = facts.impact;
  if (impact.clients.length > 0) {
    const statuses = Object.entries(impact.http5xxStatuses).map(([status, count]) => `${n(count)}× ${status}`).join(', ');
    const parts: string[] = [];
    if (impact.unanswered) parts.push(`${n(impact.unanswered)} connection attempts were never answered (the clients retransmitted their SYN ${n(impact.synRetransmissions)} times, backing off 1 s, 2 s, 4 s)`);
    if (impact.resets) parts.push(`${n(impact.resets)} connections were reset by the server`);
    if (impact.http5xx) parts.push(`${n(impact.http5xx)} HTTP requests got a server error (${statuses})`);
    if (impact.slow) parts.push(`${n(impact.slow)} handshakes took longer than usual`);
    let text = `Impact on legitimate clients: ${n(impact.baselineClients)} clients had completed handshakes with ${facts.target} before the attack. `
      + `While it ran, ${n(impact.impactedClients)} of them saw failed connections: ${parts.join('; ')}.`;
    text += handshakeTimeText(impact.baselineHandshakeMs, impact.attackHandshakeMs);
    if (impact.recoveryNs !== null) text += ` Handshakes completed normally again from ${when(impact.recoveryNs)}.`;
    paras.push(text);
  } else if (impact.baselineClients > 0) {
    paras.push(`Impact on legitimate clients: ${n(impact.baselineClients)} clients had completed handshakes with ${facts.target} before the attack, `
      + 'and none of them saw a failed connection (unanswered, reset or HTTP 5xx) while it ran.'
      + handshakeTimeText(impact.baselineHandshakeMs, impact.attackHandshakeMs));
  } else {
    paras.push('No legitimate client traffic to this service was seen during the attack, so the impact on users cannot be measured from this capture.');
  }

  const events: TimelineEvent[] = [];
  const ev = (rel: number | null, text: string) => { if (rel !== null) events.push({ tsNs: String(facts.baseNs + BigInt(Math.round(rel))), text }); };
  ev(facts.startNs, `SYN flood begins: first attack SYN to ${endpoint}`);
  if (facts.stoppedAnswering) ev(facts.lastAnsweredNs, `Last SYN answered by ${facts.target}; from here new SYNs get no SYN/ACK`);
  ev(impact.firstFailureNs, 'First failed connection of a legitimate client');
  ev(impact.first5xxNs, 'First HTTP 5xx error returned to a legitimate client');
  ev(facts.endNs, `Last attack SYN to ${endpoint}`);
  ev(impact.recoveryNs, 'Legitimate handshakes complete again');

  const recommendations = [
    `Enable SYN cookies on ${facts.target} (Linux: net.ipv4.tcp_syncookies=1) or on the load balancer in front of it: the server then encodes the half-open state in the SYN/ACK sequence number and keeps no backlog entry until the ACK arrives, so a flood cannot fill the backlog.`,
    'Raise the SYN backlog (net.ipv4.tcp_max_syn_backlog, the listen() backlog) and lower SYN/ACK retries (net.ipv4.tcp_synack_retries) so half-open entries expire sooner.',
    `Rate-limit new connections to ${endpoint} at the firewall: per source and in total (SYN rate limiting), so a burst of SYNs is dropped before it reaches the server.`,
    'Ask the upstream provider for DDoS scrubbing, or put an IPS / SYN proxy in front of the service, so floods are absorbed before they reach the server\'s link.',
    single
      ? `Blocking ${single} stops this instance, but it is a stopgap: a SYN's source address is never verified, so the attacker can change it or forge others at will.`
      : `Blocking source addresses will not work: the ${n(facts.sources.length)} sources are scattered over ${n(facts.spread.wideNets)} /8 networks and never complete a handshake, so they are forged; every packet can carry a new address, and a blocklist would only hurt the real owners of those addresses.`,
    'Alert on the ratio of half-open to completed handshakes per service, which rose here long before users complained.',
  ];
  const handshake = {
    syn: facts.attackSyns, synAck: facts.synAcks, synAckRetransmissions: facts.synAckRetrans, ack: 0,
    halfOpen: facts.halfOpen, unanswered: facts.unanswered, attempts: facts.attackFlows,
  };
  return { title, explanation: paras.join('\n\n'), events, recommendations, handshake };
}


/** "rose from 0.3 ms to 0.3 ms" is no finding: the direction is said only when the printed values differ. */
export function handshakeTimeText(beforeMs: number | null, duringMs: number | null): string {
  if (beforeMs === null || duringMs === null) return '';
  const a = round1(beforeMs), b = round1(duringMs);
  const head = ' The median SYN → SYN/ACK time of their handshakes';
  if (a === b) return `${head} was unchanged at ${n(a)} ms before and during the attack.`;
  return `${head} ${b > a ? 'rose' : 'fell'} from ${n(a)} ms before the attack to ${n(b)} ms during it.`;
}

/** More SYNs than attempts and no retransmission: say why, or the numbers read as a contradiction. */
export function reusedPortsText(reused: number, syns: number, attempts: number): string {
  if (reused <= 0) return '';
  return ` The ${n(syns)} SYNs fall into ${n(attempts)} attempts because ${n(reused)} of them reused the source port of an earlier attempt `
    + 'to the same target (the same address and port pair, so the same connection attempt); they are new SYNs, not retransmissions.';
}
