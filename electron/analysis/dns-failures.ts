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
import { IdSet } from './id-set';
import { median, WindowStream } from './sliding-window';

interface Tx {
  id: number; q: number | null; r: number | null; flow_id: number | null; client_id: number; server_id: number;
  qname: string; rcode: number | null; status: string; t: number; rtt: number | null;
}

type Kind = 'nxdomain' | 'servfail' | 'unanswered';

/** Per kind: whose failures are counted (nxdomain per client, the others per server), and over which transactions. */
const SCOPE: Record<Kind, { key: 'client_id' | 'server_id'; where: string }> = {
  nxdomain: { key: 'client_id', where: "t.status != 'unanswered' AND t.rcode IS NOT NULL" },
  servfail: { key: 'server_id', where: "t.status != 'unanswered' AND t.rcode IS NOT NULL" },
  unanswered: { key: 'server_id', where: "t.status != 'response-only'" },
};

export function detectDnsFailures(ctx: DetectorContext): DraftFinding[] {
  // Multicast DNS and LLMNR queries go to a group address and are answered (or not) by whichever
  // host owns the name: silence there is normal, so only unicast servers are judged.
  const groupServers = (ctx.db.prepare(`SELECT id, addr FROM addrs WHERE id IN (SELECT DISTINCT server_id FROM dns_transactions)`)
    .all() as Array<{ id: number; addr: string }>).filter((a) => isGroupAddress(a.addr)).map((a) => a.id);
  return [
    ...burstsOf(ctx, 'nxdomain', groupServers),
    ...burstsOf(ctx, 'servfail', groupServers),
    ...burstsOf(ctx, 'unanswered', groupServers),
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

/**
 * The transactions of `kind`'s scope for `keys` (all keys when null), by key, each key's in time
 * order. Queries that drew an ICMP error are left out, and mDNS/LLMNR flows and group servers.
 */
function transactions(ctx: DetectorContext, kind: Kind, groupServers: number[], keys: number[] | null): IterableIterator<Tx & { key: number }> {
  const { key, where } = SCOPE[kind];
  return ctx.db.prepare(`SELECT t.id, t.query_packet_id AS q, t.response_packet_id AS r, t.flow_id, t.client_id, t.server_id,
      t.qname, t.rcode, t.status, coalesce(t.query_ts_ns, t.response_ts_ns) - ? AS t, t.rtt_ns AS rtt, t.${key} AS key
    FROM dns_transactions t JOIN addrs s ON s.id = t.server_id LEFT JOIN flows f ON f.id = t.flow_id
    WHERE coalesce(f.resp_port, 53) NOT IN (5353, 5355) AND ${where}
      AND t.server_id NOT IN (SELECT value FROM json_each(?))
      AND (t.flow_id IS NULL OR t.flow_id NOT IN (SELECT orig_flow_id FROM icmp_errors WHERE orig_flow_id IS NOT NULL))
      ${keys ? `AND t.${key} IN (SELECT value FROM json_each(?))` : ''}
    ORDER BY t.${key}, coalesce(t.query_ts_ns, t.response_ts_ns), t.id`)
    .iterate(ctx.baseNs, JSON.stringify(groupServers), ...(keys ? [JSON.stringify(keys)] : [])) as IterableIterator<Tx & { key: number }>;
}

/** A key's burst: the indexes (in the key's time order) of the first and last event of its hot windows. */
interface Burst { key: number; firstHot: number; lastHot: number }

/**
 * Bursts of failures per key: a window of `windowSec` with enough failures making up enough of
 * the window. One pass finds each key's hot span holding only a window of events; a second pass
 * reads back the keys that have one and sums up their failures from the first to the last.
 */
function burstsOf(ctx: DetectorContext, kind: Kind, groupServers: number[]): DraftFinding[] {
  const T = ctx.th.dns;
  const minCount = kind === 'nxdomain' ? T.nxdomainMinCount : kind === 'servfail' ? T.servfailMinCount : T.unansweredMinCount;
  const minRatio = kind === 'nxdomain' ? T.nxdomainMinRatio : kind === 'servfail' ? 0 : T.unansweredMinRatio;
  const bursts: Burst[] = [];
  let key = -1;
  let windows: WindowStream | null = null;
  const close = () => {
    if (windows?.finish().firstHot !== undefined && windows.firstHot >= 0) bursts.push({ key, firstHot: windows.firstHot, lastHot: windows.lastHot });
  };
  for (const x of transactions(ctx, kind, groupServers, null)) {
    if (x.key !== key || windows === null) {
      close();
      key = x.key;
      windows = new WindowStream(T.windowSec * 1e9, (count, failed) => failed >= minCount && failed / count >= minRatio);
    }
    windows.push(x.t, isFailure(kind, x));
  }
  close();
  if (bursts.length === 0) return [];

  const byKey = new Map(bursts.map((b) => [b.key, b]));
  const out: DraftFinding[] = [];
  let facts: BurstFacts | null = null;
  let index = 0;
  for (const x of transactions(ctx, kind, groupServers, bursts.map((b) => b.key))) {
    if (facts === null || x.key !== facts.key) {
      if (facts) out.push(buildFinding(ctx, kind, facts));
      facts = new BurstFacts(x.key, kind);
      index = 0;
    }
    const b = byKey.get(x.key)!;
    // The burst runs from its first failure to its last; the share is measured over that span.
    if (index >= b.firstHot && index <= b.lastHot) facts.observe(x, isFailure(kind, x));
    index++;
  }
  if (facts) out.push(buildFinding(ctx, kind, facts));
  return out;
}

/** What a finding says about a burst's failures, summed as they stream by. */
class BurstFacts {
  /** Transactions from the first failure to the last (the period). */
  periodCount = 0;
  private sinceLastFailure = 0;
  failures = 0;
  start = 0;
  end = 0;
  readonly names = new Map<string, number>();
  readonly clients = new Map<number, { count: number; first: number; last: number }>();
  readonly servers = new Map<number, string>();
  readonly rtts: number[] = [];
  readonly flowIds = new IdSet();
  readonly evidence = new EvidenceSet();

  constructor(readonly key: number, private readonly kind: Kind) {}

  observe(x: Tx, failed: boolean): void {
    if (!failed) {
      if (this.failures > 0) this.sinceLastFailure++;
      return;
    }
    this.periodCount += this.sinceLastFailure + 1;
    this.sinceLastFailure = 0;
    if (this.failures === 0) this.start = x.t;
    this.end = x.t;
    this.failures++;
    this.names.set(x.qname, (this.names.get(x.qname) ?? 0) + 1);
    const c = this.clients.get(x.client_id);
    if (c) { c.count++; c.last = x.t; } else this.clients.set(x.client_id, { count: 1, first: x.t, last: x.t });
    if (!this.servers.has(x.server_id)) this.servers.set(x.server_id, '');
    if (x.rtt !== null) this.rtts.push(x.rtt);
    if (x.flow_id !== null) this.flowIds.add(x.flow_id);
    if (x.r !== null) this.evidence.add(this.kind === 'nxdomain' ? 'nxdomain-response' : 'servfail-response', x.r);
    if (x.q !== null) this.evidence.add(this.kind === 'unanswered' ? 'unanswered-query' : 'query', x.q);
  }
}

const WHAT: Record<Kind, { label: string; meaning: string }> = {
  nxdomain: { label: 'NXDOMAIN', meaning: 'NXDOMAIN (rcode 3) means the name does not exist.' },
  servfail: { label: 'SERVFAIL', meaning: 'SERVFAIL (rcode 2) means the resolver tried and could not produce an answer: its upstream or the authoritative servers failed or timed out, or DNSSEC validation failed.' },
  unanswered: { label: 'unanswered', meaning: 'A query with neither a response nor an ICMP error means the server is down, overloaded, or a firewall drops the traffic silently; the client waits for its timeout on every lookup.' },
};

function buildFinding(ctx: DetectorContext, kind: Kind, facts: BurstFacts): DraftFinding {
  const T = ctx.th.dns;
  const when = (rel: number) => formatWhen(ctx.baseNs, rel);
  const who = ctx.addr(facts.key);
  const { start, end, names, clients, evidence } = facts;
  const nameList = [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const servers = [...facts.servers.keys()].map((id) => ctx.addr(id));
  const share = facts.failures / facts.periodCount;
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
  const rtt = median(facts.rtts);
  const pct = Math.round(share * 1000) / 10;
  const examples = nameList.slice(0, 8).map(([name, c]) => (c > 1 ? `${name} (${n(c)}×)` : name)).join(', ');
  const { label, meaning } = WHAT[kind];
  const perClient = kind === 'nxdomain';
  const title = perClient
    ? `NXDOMAIN burst: ${who} looked up ${n(names.size)} nonexistent names (${n(facts.failures)} answers)`
    : kind === 'servfail'
      ? `SERVFAIL burst from resolver ${who}: ${n(facts.failures)} failed lookups for ${n(clients.size)} clients`
      : `DNS server ${who} not answering: ${n(facts.failures)} unanswered queries from ${n(clients.size)} clients`;
  const body = perClient
    ? `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${who} received ${n(facts.failures)} NXDOMAIN answers for ${n(names.size)} distinct names `
      + `from ${servers.join(', ')}: ${pct}% of its answered lookups in that period. Examples: ${examples}.`
    : `Between ${when(start)} and ${when(end)} (${formatDuration(end - start)}), ${n(facts.failures)} of the ${n(facts.periodCount)} queries to ${who} in that period (${pct}%) `
      + `were ${kind === 'servfail' ? 'answered SERVFAIL' : 'never answered'}, for ${n(clients.size)} client${clients.size === 1 ? '' : 's'} and ${n(names.size)} distinct names. Examples: ${examples}.`
      + (rtt !== null ? ` The failing answers took a median ${formatDuration(rtt)}.` : '');
  const hypothesis = perClient
    ? 'A host that looks up many names that do not exist in a short time is typical of malware using a domain-generation algorithm (DGA) to find its command server; a broken search-domain configuration or an application retry loop does the same. Look at the names: random-looking labels point to a DGA.'
    : 'Every application on these clients that needs a name fails or stalls with these lookups, so users see "site not found" or long delays even though the network itself works.';
  const severity: DraftFinding['severity'] = !perClient && clients.size >= T.highMinClients && share >= 0.9 ? 'high' : 'medium';
  const affected = [...clients.entries()].map(([id, c]) => ({
    addr: ctx.addr(id), detail: `${n(c.count)} ${label} lookup${c.count === 1 ? '' : 's'}`, count: c.count,
    firstTs: String(ctx.abs(c.first)), lastTs: String(ctx.abs(c.last)),
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
    confidence: clamp01(0.5 + share * 0.3 + Math.min(facts.failures / 100, 1) * 0.2),
    startTsNs: ctx.abs(start),
    endTsNs: ctx.abs(end),
    targets: perClient ? servers.map((addr) => ({ addr, port: 53, proto: 'udp', service: 'dns' })) : [{ addr: who, port: 53, proto: 'udp', service: 'dns' }],
    sources: perClient ? [{ addr: who }] : affected.slice(0, 20).map((a) => ({ addr: a.addr })),
    metrics: {
      failures: facts.failures, queriesInPeriod: facts.periodCount, failurePercent: pct, distinctNames: names.size, clients: clients.size,
      ...(rtt !== null ? { medianResponseMs: Math.round(rtt / 1e5) / 10 } : {}),
      durationSec: Math.round((end - start) / 1e6) / 1000,
    },
    explanation: `${meaning}\n\n${body}\n\n${hypothesis}`,
    affected,
    recommendations,
    mitre: perClient ? [{ id: 'T1568.002', name: 'Dynamic Resolution: Domain Generation Algorithms (possible)' }] : [],
    evidence,
    flowIds: facts.flowIds,
    details: {
      names: nameList.slice(0, 50).map(([name, c]) => ({ name, count: c })),
      events: [
        { tsNs: String(ctx.abs(start)), text: `First ${label} DNS lookup of the burst (${who})` },
        { tsNs: String(ctx.abs(end)), text: `Last ${label} DNS lookup of the burst (${n(facts.failures)} in total)` },
      ],
    },
  };
}
