import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyseFrames, type AnalysedCase } from '../analysis/analysis-case';
import {
  buildDnsPortUnreachable, buildSynFlood, DNS_CLIENT, DNS_DEAD_SERVER, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER,
} from '../../support/make-fixtures';
import { hostGraph, lightestCut } from '../../../electron/query/host-graph';
import { edgeFlows } from '../../../electron/query/graph-edge-flows';
import { groupPrefix, addressBytes, isInternal, parseCidr } from '../../../electron/query/address-groups';
import { writeHomeNetworks } from '../../../electron/query/graph-settings';
import { hostProfile } from '../../../electron/query/host-profile';
import type { CaseDb } from '../../../db/open-case';
import { readCustody, verifyCustodyChain } from '../../../db/custody';
import type { HostGraph } from '../../../electron/model/graph';

/** Independent count: packets between two addresses in one direction, straight from `packets`. */
function sqlPackets(db: CaseDb, src: string, dst: string, extra = '1'): { n: number; bytes: number } {
  return db.prepare(`SELECT count(*) AS n, coalesce(sum(origlen), 0) AS bytes FROM packets p
    WHERE p.src_id = (SELECT id FROM addrs WHERE addr = ?) AND p.dst_id = (SELECT id FROM addrs WHERE addr = ?) AND ${extra}`)
    .get(src, dst) as { n: number; bytes: number };
}

function edge(g: HostGraph, src: string, dst: string) {
  return g.edges.find((e) => e.src === src && e.dst === dst);
}

describe('address groups', () => {
  it('groups IPv4 by /24 and IPv6 by /64', () => {
    assert.equal(groupPrefix(addressBytes('203.0.113.77')), '203.0.113.0/24');
    assert.equal(groupPrefix(addressBytes('2001:db8:1:2:aa::1')), '2001:db8:1:2::/64');
    assert.equal(groupPrefix(null), null);
  });
  it('counts RFC 1918, RFC 4193 and home networks as internal', () => {
    assert.equal(isInternal(addressBytes('10.9.8.7'), []), true);
    assert.equal(isInternal(addressBytes('172.31.0.1'), []), true);
    assert.equal(isInternal(addressBytes('172.32.0.1'), []), false);
    assert.equal(isInternal(addressBytes('fd12::1'), []), true);
    assert.equal(isInternal(addressBytes('192.0.2.1'), []), false);
    assert.equal(isInternal(addressBytes('192.0.2.1'), [parseCidr('192.0.2.0/24')!]), true);
    assert.equal(parseCidr('192.0.2.77/24')!.text, '192.0.2.0/24');
    assert.equal(parseCidr('2001:db8::1/48')!.text, '2001:db8::/48');
    assert.equal(parseCidr('300.0.0.0/8'), null);
    assert.equal(parseCidr('10.0.0.0/33'), null);
  });
});

describe('host graph on the SYN flood', () => {
  let c: AnalysedCase;
  before(async () => {
    c = await analyseFrames('syn-flood.pcap', buildSynFlood({ rate: 40, attackSec: 20, answerSec: 5, clients: 6, tailSec: 10 }));
  });
  after(() => c.close());

  it('aggregates pairs exactly as independent SQL counts do', () => {
    const g = hostGraph(c.db, { top: 1000 });
    assert.equal(g.folded, 0);
    for (const e of g.edges) {
      const fwd = sqlPackets(c.db, e.src, e.dst);
      const back = sqlPackets(c.db, e.dst, e.src);
      assert.equal(e.packets, fwd.n + back.n, `${e.src} → ${e.dst} packets`);
      assert.equal(e.bytes, fwd.bytes + back.bytes, `${e.src} → ${e.dst} bytes`);
      const flows = c.db.prepare(`SELECT count(*) AS n FROM flows WHERE orig_id = (SELECT id FROM addrs WHERE addr = ?) AND resp_id = (SELECT id FROM addrs WHERE addr = ?)`)
        .get(e.src, e.dst) as { n: number };
      assert.equal(e.flows, flows.n);
    }
    const total = c.db.prepare('SELECT count(*) AS n FROM packets WHERE src_id IS NOT NULL AND dst_id IS NOT NULL').get() as { n: number };
    assert.equal(g.edges.reduce((s, e) => s + e.packets, 0), total.n, 'every addressed packet is on exactly one edge');
  });

  it('marks the server as target, the attacker as source, and the attack edge half-open', () => {
    const g = hostGraph(c.db);
    const server = g.nodes.find((n) => n.id === SYN_FLOOD_SERVER)!;
    assert.equal(server.role, 'target');
    assert.ok(server.findingIds.length >= 1);
    assert.equal(g.nodes.find((n) => n.id === SYN_FLOOD_ATTACKER)!.role, 'source');
    const attack = edge(g, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER)!;
    assert.equal(attack.outcome, 'half-open');
    assert.equal(attack.states['half-open'], attack.flows);
    assert.deepEqual(attack.services, ['443/tcp']);
    const client = edge(g, '192.0.2.10', SYN_FLOOD_SERVER)!;
    assert.ok((client.states.completed ?? 0) > 0, 'the employee had completed sessions too');
    assert.equal(g.nodes.find((n) => n.id === '192.0.2.10')!.role, 'affected');
  });

  it('follows the display filter, the time range and the finding', () => {
    const syn = 'tcp.flags.syn == 1 && tcp.flags.ack == 0';
    const g = hostGraph(c.db, { filter: syn });
    for (const e of g.edges) {
      const n = sqlPackets(c.db, e.src, e.dst, 'p.ip_proto = 6 AND (p.tcp_flags & 18) = 2').n + sqlPackets(c.db, e.dst, e.src, 'p.ip_proto = 6 AND (p.tcp_flags & 18) = 2').n;
      assert.equal(e.packets, n);
    }
    const first = c.db.prepare('SELECT CAST(min(ts_ns) AS TEXT) AS t FROM packets').get() as { t: string };
    const to = (BigInt(first.t) + 30_000_000_000n).toString();
    const early = hostGraph(c.db, { from: first.t, to });
    assert.equal(edge(early, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER), undefined, 'the attack starts after 60 s');
    const inRange = c.db.prepare('SELECT count(*) AS n FROM packets WHERE ts_ns BETWEEN ? AND ? AND src_id IS NOT NULL').get(BigInt(first.t), BigInt(to)) as { n: number };
    assert.equal(early.edges.reduce((s, e) => s + e.packets, 0), inRange.n);

    const flood = c.findings.find((f) => f.kind === 'syn-flood')!;
    const scoped = hostGraph(c.db, { findingId: flood.id });
    const evidence = c.db.prepare('SELECT count(*) AS n FROM finding_evidence WHERE finding_id = ?').get(flood.id) as { n: number };
    assert.equal(scoped.edges.reduce((s, e) => s + e.packets, 0), evidence.n);
  });

  it('lists the conversations behind an edge and profiles a host', () => {
    const flows = edgeFlows(c.db, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER);
    assert.equal(flows.total, 800);
    assert.ok(flows.rows.every((r) => r.src === SYN_FLOOD_ATTACKER && r.dst === SYN_FLOOD_SERVER));
    const p = hostProfile(c.db, SYN_FLOOD_SERVER);
    assert.ok(p.findings.some((f) => f.role === 'target'));
    assert.equal(p.served[0].service, '443/tcp');
    assert.ok(p.peers.some((x) => x.addr === SYN_FLOOD_ATTACKER && x.outcome === 'half-open' && x.direction === 'in'));
    const sent = p.activity.points.reduce((s, x) => s + x.values[0], 0);
    assert.equal(sent, p.pktsOut);
  });

  it('home networks change what counts as internal', () => {
    assert.equal(hostGraph(c.db).nodes.find((n) => n.id === SYN_FLOOD_SERVER)!.internal, false);
    writeHomeNetworks(c.db, ['192.0.2.0/24']);
    assert.equal(hostGraph(c.db).nodes.find((n) => n.id === SYN_FLOOD_SERVER)!.internal, true);
    const entry = readCustody(c.db).at(-1)!;
    assert.equal(entry.action, 'graph.home-networks.set');
    assert.deepEqual(JSON.parse(entry.details), { before: [], after: ['192.0.2.0/24'] });
    assert.equal(verifyCustodyChain(c.db).ok, true);
    assert.throws(() => writeHomeNetworks(c.db, ['not a network']), /not a CIDR block/);
    writeHomeNetworks(c.db, []);
  });
});

describe('host graph on the DDoS (spoofed sources scattered over the address space)', () => {
  let c: AnalysedCase;
  before(async () => {
    c = await analyseFrames('ddos.pcap', buildSynFlood({ ddos: true, rate: 50, attackSec: 20, answerSec: 5, clients: 6, tailSec: 5 }));
  });
  after(() => c.close());

  it('has sources that /24 grouping alone cannot fold', () => {
    const g = hostGraph(c.db, { top: 100000 });
    const sources = g.nodes.filter((n) => n.kind === 'host' && !n.id.startsWith('192.0.2.'));
    assert.equal(sources.length, 1000);
    const prefixes = new Set(sources.map((n) => groupPrefix(addressBytes(n.id))));
    assert.ok(prefixes.size > 950, `${prefixes.size} distinct /24s for 1000 sources`);
  });

  it('folds everything past the top N into "other hosts" around the target', () => {
    const g = hostGraph(c.db, { top: 20 });
    const folds = g.nodes.filter((n) => n.kind === 'fold');
    assert.ok(g.nodes.length <= 20 + folds.length);
    assert.equal(g.nodes.reduce((s, n) => s + n.members, 0), g.hostTotal, 'every host is shown or folded once');
    const crowd = folds.find((n) => n.id === `others:${SYN_FLOOD_SERVER}:external`)!;
    assert.ok(crowd.members >= 980, `${crowd.members} folded`);
    assert.equal(crowd.addr, `${crowd.members.toLocaleString('en-US')} other hosts`);
    assert.equal(crowd.role, 'source');
    const e = edge(g, crowd.id, SYN_FLOOD_SERVER)!;
    assert.equal(e.outcome, 'half-open');
    assert.equal(g.folded, crowd.members + folds.filter((f) => f !== crowd).reduce((s, f) => s + f.members, 0));
    // Folding keeps the packets: all traffic to the server is still on some edge into it.
    const intoServer = g.edges.filter((x) => x.dst === SYN_FLOOD_SERVER || x.src === SYN_FLOOD_SERVER).reduce((s, x) => s + x.packets, 0);
    const sql = c.db.prepare(`SELECT count(*) AS n FROM packets WHERE src_id = (SELECT id FROM addrs WHERE addr = ?) OR dst_id = (SELECT id FROM addrs WHERE addr = ?)`)
      .get(SYN_FLOOD_SERVER, SYN_FLOOD_SERVER) as { n: number };
    assert.equal(intoServer, sql.n);
  });

  it('with /24 grouping still folds to the top N, and groups the employees', () => {
    const g = hostGraph(c.db, { top: 10, group: 24 });
    const office = g.nodes.find((n) => n.id === '192.0.2.0/24')!;
    assert.equal(office.kind, 'group');
    assert.equal(office.members, 7, 'server and six employees');
    assert.ok(g.nodes.some((n) => n.kind === 'fold' && n.members > 900));
  });

  it('draws at most maxEdges edges, every node keeping its heaviest; node figures count all', () => {
    const all = hostGraph(c.db, { top: 300 });
    const cut = hostGraph(c.db, { top: 300, maxEdges: 50 });
    assert.equal(cut.edgeTotal, all.edges.length);
    assert.equal(all.edgeTotal, all.edges.length);
    assert.deepEqual(cut.nodes, all.nodes, 'nodes and their figures do not depend on the cut');
    const key = (e: { src: string; dst: string }) => `${e.src}>${e.dst}`;
    const heaviestOf = new Set(all.nodes.flatMap((n) => {
      const e = all.edges.find((x) => x.src === n.id || x.dst === n.id);
      return e ? [key(e)] : [];
    }));
    // A star: each source's only edge is its heaviest, so the cut keeps one edge per node, no more.
    assert.ok(heaviestOf.size > 50);
    assert.deepEqual(new Set(cut.edges.map(key)), heaviestOf);
    assert.deepEqual(cut.edges, all.edges.filter((e) => heaviestOf.has(key(e))), 'same figures, same order');
  });

  it('expands a node in place: its peers come back from the fold', () => {
    const g = hostGraph(c.db, { top: 5 });
    const hidden = g.nodes.find((n) => n.id === '192.0.2.12');
    const expanded = hostGraph(c.db, { top: 5, expand: [SYN_FLOOD_SERVER] });
    assert.ok(expanded.nodes.length > 1000, 'every peer of the server is shown');
    assert.ok(!hidden || expanded.nodes.some((n) => n.id === '192.0.2.12'));
  });
});

describe('host graph on the DNS outage', () => {
  it('colours the client → dead server edge as ICMP-unreachable', async () => {
    const c = await analyseFrames('dns.pcap', buildDnsPortUnreachable());
    try {
      const g = hostGraph(c.db);
      const e = edge(g, DNS_CLIENT, DNS_DEAD_SERVER)!;
      assert.equal(e.outcome, 'icmp-unreachable');
      assert.ok(e.services[0].startsWith('53/udp'));
      const back = edge(g, DNS_DEAD_SERVER, DNS_CLIENT)!;
      assert.equal(back.outcome, 'icmp-unreachable');
      assert.equal(back.services[0], 'icmp');
    } finally {
      c.close();
    }
  });
});

describe('lightestCut', () => {
  // Heaviest first, as hostGraph sorts them.
  const e = (src: string, dst: string, w: number) => ({ src, dst, w });
  const edges = [e('a', 'b', 90), e('a', 'c', 80), e('b', 'c', 70), e('a', 'd', 60), e('b', 'd', 50), e('c', 'd', 40), e('d', 'x', 5), e('y', 'z', 1)];

  it('keeps everything when under the limit or without one', () => {
    assert.equal(lightestCut(edges, undefined), edges);
    assert.equal(lightestCut(edges, 8), edges);
  });

  it("keeps each node's heaviest edge, then the heaviest of the rest, in order", () => {
    // Heaviest per node: a-b (a, b), a-c (c), a-d (d), d-x (x), y-z (y, z): five edges.
    assert.deepEqual(lightestCut(edges, 3).map((x) => x.w), [90, 80, 60, 5, 1]);
    assert.deepEqual(lightestCut(edges, 6).map((x) => x.w), [90, 80, 70, 60, 5, 1]);
    assert.deepEqual(lightestCut(edges, 7).map((x) => x.w), [90, 80, 70, 60, 50, 5, 1]);
  });
});

