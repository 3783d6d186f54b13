/**
 * DNS failures from matched transactions (dns_transactions):
 *  - NXDOMAIN bursts per client: many lookups of names that do not exist (DGA malware, broken config);
 *  - SERVFAIL bursts per server: the resolver cannot resolve (upstream down, DNSSEC failure);
 *  - unanswered queries per server: the resolver is silent (down, overloaded, filtered).
 * Queries that drew an ICMP error are left to the unreachable-service detector, which explains them.
 */
import { formatDuration, formatWhen, n } from './case-time';
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { markHotEvents, median, prefixSums } from './sliding-window';

interface Tx {
  id: number; q: number | null; r: number | null; flow_id: number | null; client_id: number; server_id: number;
  qname: string; rcode: number | null; status: string; t: number; rtt: number | null;
}

type Kind = 'nxdomain' | 'servfail' | 'unanswered';

export function detectDnsFailures(ctx: DetectorContext): DraftFinding[] {
  const { db, baseNs } = ctx;
  const icmpFlows = new Set(db.prepare('SELECT DISTINCT orig_flow_id FROM icmp_errors WHERE orig_flow_id IS NOT NULL').pluck().all() as number[]);
  // Multicast DNS and LLMNR queries go to a group address and are answered (or not) by whichever
  // host owns the name: silence there is normal, so only unicast servers are judged.
  const all = (db.prepare(`SELECT t.id, t.query_packet_id AS q, t.response_packet_id AS r, t.flow_id, t.client_id, t.server_id,
      t.qname, t.rcode, t.status, coalesce(t.query_ts_ns, t.response_ts_ns) - ? AS t, t.rtt_ns AS rtt, s.addr AS server
    FROM dns_transactions t JOIN addrs s ON s.id = t.server_id LEFT JOIN flows f ON f.id = t.flow_id
    WHERE coalesce(f.resp_port, 53) NOT IN (5353, 5355)
    ORDER BY coalesce(t.query_ts_ns, t.response_ts_ns), t.id`).all(baseNs) as Array<Tx & { server: string }>)
    .filter((x) => (x.flow_id === null || !icmpFlows.has(x.flow_id)) && !isGroupAddress(x.server));
  const answered = all.filter((x) => x.status !== 'unanswered' && x.rcode !== null);
  const asked = all.filter((x) => x.status !== 'response-only');
  return [
    ...burstsBy(ctx, answered, (x) => x.client_id, 'nxdomain'),
    ...burstsBy(ctx, answered, (x) => x.server_id, 'servfail'),
    ...burstsBy(ctx, asked, (x) => x.server_id, 'unanswered'),
  ];
}

/** IPv4 multicast 224/4 and broadcast, IPv6 multicast ff00::/8. */
export function isGroupAddress(addr: string): boolean {
  if (addr.includes(':')) return addr.toLowerCase().startsWith('ff');
  const first = Number(addr.split('.')[0]);
  return (first >= 224 && first <= 239) || addr === '255.255.255.255';
}

function isFailure(kind: Kind, x: Tx): boolean {
  return kind === 'nxdomain' ? x.rcode === 3 : kind === 'servfail' ? x.rcode === 2 : x.status === 'unanswered';
}

function burstsBy(ctx: DetectorContext, txs: Tx[], keyOf: (x: Tx) => number, kind: Kind): DraftFinding[] {
  const T = ctx.th.dns;
  const minCount = kind === 'nxdomain' ? T.nxdomainMinCount : kind === 'servfail' ? T.servfailMinCount : T.unansweredMinCount;
  const minRatio = kind === 'nxdomain' ? T.nxdomainMinRatio : kind === 'servfail' ? 0 : T.unansweredMinRatio;
  const groups = new Map<number, Tx[]>();
  for (const x of txs) { const k = keyOf(x); (groups.get(k) ?? groups.set(k, []).get(k)!).push(x); }
  const out: DraftFinding[] = [];
  for (const [key, list] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    const fails = list.map((x) => (isFailure(kind, x) ? 1 : 0));
    if (fails.reduce<number>((s, v) => s + v, 0) < minCount) continue;
    const sums = prefixSums(fails);
    const hot = markHotEvents(list.map((x) => x.t), T.windowSec * 1e9, (count, i, j) => {
      const f = sums[j + 1] - sums[i];
      return f >= minCount && f / count >= minRatio;
    });
    const first = hot.indexOf(1);
    if (first < 0) continue;
    const last = hot.lastIndexOf(1);
    // The burst runs from its first failure to its last; the share is measured over that span.
    let from = first, to = last;
    while (from < to && !fails[from]) from++;
    while (to > from && !fails[to]) to--;
    const period = list.slice(from, to + 1);
    const failed = period.filter((x) => isFailure(kind, x));
    out.push(buildFinding(ctx, kind, key, period, failed));
  }
  return out;
}

const WHAT: Record<Kind, { label: string; meaning: string }> = {
  nxdomain: { label: 'NXDOMAIN', meaning: 'NXDOMAIN (rcode 3) means the name does not exist.' },
  servfail: { label: 'SERVFAIL', meaning: 'SERVFAIL (rcode 2) means the resolver tried and could not produce an answer: its upstream or the authoritative servers failed or timed out, or DNSSEC validation failed.' },
  unanswered: { label: 'unanswered', meaning: 'A query with neither a response nor an ICMP error means the server is down, overloaded, or a firewall drops the traffic silently; the client waits for its timeout on every lookup.' },
};

function buildFinding(ctx: DetectorContext, kind: Kind, key: number, period: Tx[], failed: Tx[]): DraftFinding {
  const T = ctx.th.dns;
  const when = (rel: number) => formatWhen(ctx.baseNs, rel);
  const who = ctx.addr(key);
  const start = failed[0].t, end = failed[failed.length - 1].t;
  const names = new Map<string, number>();
  for (const x of failed) names.set(x.qname, (names.get(x.qname) ?? 0) + 1);
  const nameList = [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const clients = new Map<number, Tx[]>();
  for (const x of failed) (clients.get(x.client_id) ?? clients.set(x.client_id, []).get(x.client_id)!).push(x);
  const servers = [...new Set(failed.map((x) => ctx.addr(x.server_id)))];
  const share = failed.length / period.length;
  const evidence = new EvidenceSet();
  for (const x of failed) {
    if (x.r !== null) evidence.add(kind === 'nxdomain' ? 'nxdomain-response' : 'servfail-response', x.r);
    if (x.q !== null) evidence.add(kind === 'unanswered' ? 'unanswered-query' : 'query', x.q);
  }
  // nxdomain findings are per client, the others per server.
  const side = (dir: 'src' | 'dst') => addrTest([who], dir);
  if (kind === 'nxdomain') {
    evidence.describe('nxdomain-response', `dns.flags.response == 1 && dns.flags.rcode == 3 && ${side('dst')}`);
    evidence.describe('query', `dns.flags.response == 0 && ${side('src')}`);
  } else if (kind === 'servfail') {
    evidence.describe('servfail-response', `dns.flags.response == 1 && dns.flags.rcode == 2 && ${side('src')}`);
    evidence.describe('query', `dns.flags.response == 0 && ${side('dst')}`);
  } else {
    evidence.describe('unanswered-query', `dns.flags.response == 0 && ${side('dst')}`);
  }
  const rtt = median(failed.map((x) => x.rtt).filter((x): x is number => x !== null));
  const pct = Math.round(share * 1000) / 10;
  const examples = nameList.slice(0, 8).map(([name, c]) => (c > 1 ? `${name} (${n(c)}×)` : name)).join(', ');
  const { label, meaning } = WHAT[kind];
  const perClient = kind === 'nxdomain';
  const title = perClient
    ? `NXDOMAIN burst: ${who} looked up ${n(names.size)} nonexistent names (${n(failed.length)} answers)`
    : kind === 'servfail'
      ? `SERVFAIL burst from resolver ${who}: ${n(failed.length)} failed lookups for ${n(clients.size)} clients`
      : `DNS server ${who} not answering: ${n(failed.length)} unanswered queries from ${n(clients.size)} clients`;
  const body = perClient
    ? `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${who} received ${n(failed.length)} NXDOMAIN answers for ${n(names.size)} distinct names `
      + `from ${servers.join(', ')}: ${pct}% of its answered lookups in that period. Examples: ${examples}.`
    : `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${n(failed.length)} of the ${n(period.length)} queries to ${who} in that period (${pct}%) `
      + `were ${kind === 'servfail' ? 'answered SERVFAIL' : 'never answered'}, for ${n(clients.size)} client${clients.size === 1 ? '' : 's'} and ${n(names.size)} distinct names. Examples: ${examples}.`
      + (rtt !== null ? ` The failing answers took a median ${formatDuration(rtt)}.` : '');
  const hypothesis = perClient
    ? 'A host that looks up many names that do not exist in a short time is typical of malware using a domain-generation algorithm (DGA) to find its command server; a broken search-domain configuration or an application retry loop does the same. Look at the names: random-looking labels point to a DGA.'
    : 'Every application on these clients that needs a name fails or stalls with these lookups, so users see "site not found" or long delays even though the network itself works.';
  const severity: DraftFinding['severity'] = !perClient && clients.size >= T.highMinClients && share >= 0.9 ? 'high' : 'medium';
  const affected = [...clients.entries()].map(([id, xs]) => ({
    addr: ctx.addr(id), detail: `${n(xs.length)} ${label} lookup${xs.length === 1 ? '' : 's'}`, count: xs.length,
    firstTs: String(ctx.abs(xs[0].t)), lastTs: String(ctx.abs(xs[xs.length - 1].t)),
  }));
  const recommendations = perClient
    ? [`Inspect ${who} for malware (process making the lookups, persistence); compare the names with threat-intelligence DGA feeds.`,
      'Consider a DNS firewall / RPZ that blocks newly generated domains and logs which host asked.']
    : kind === 'servfail'
      ? [`Check ${who}'s upstream connectivity and forwarders, and its logs for the failing zones.`, 'Check DNSSEC validation errors (expired signatures, clock skew) on the resolver.', 'Give clients a second, independent resolver.']
      : [`Check that the DNS service on ${who} is running and reachable; look for a firewall silently dropping 53/udp.`, 'Give clients a second, independent resolver.'];
  return {
    kind: `dns-${kind === 'nxdomain' ? 'nxdomain-burst' : kind === 'servfail' ? 'servfail-burst' : 'unanswered'}`,
    title,
    severity,
    confidence: clamp01(0.5 + share * 0.3 + Math.min(failed.length / 100, 1) * 0.2),
    startTsNs: ctx.abs(start),
    endTsNs: ctx.abs(end),
    targets: perClient ? servers.map((addr) => ({ addr, port: 53, proto: 'udp', service: 'dns' })) : [{ addr: who, port: 53, proto: 'udp', service: 'dns' }],
    sources: perClient ? [{ addr: who }] : affected.slice(0, 20).map((a) => ({ addr: a.addr })),
    metrics: {
      failures: failed.length, queriesInPeriod: period.length, failurePercent: pct, distinctNames: names.size, clients: clients.size,
      ...(rtt !== null ? { medianResponseMs: Math.round(rtt / 1e5) / 10 } : {}),
      durationSec: Math.round((end - start) / 1e6) / 1000,
    },
    explanation: `${meaning}\n\n${body}\n\n${hypothesis}`,
    affected,
    recommendations,
    mitre: perClient ? [{ id: 'T1568.002', name: 'Dynamic Resolution: Domain Generation Algorithms (possible)' }] : [],
    evidence,
    flowIds: [...new Set(failed.map((x) => x.flow_id).filter((x): x is number => x !== null))],
    details: {
      names: nameList.slice(0, 50).map(([name, c]) => ({ name, count: c })),
      events: [
        { tsNs: String(ctx.abs(start)), text: `First ${label} DNS lookup of the burst (${who})` },
        { tsNs: String(ctx.abs(end)), text: `Last ${label} DNS lookup of the burst (${n(failed.length)} in total)` },
      ],
    },
  };
}
