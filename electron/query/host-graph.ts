/**
 * The host graph: nodes are addresses (or their /24, /64), edges are originator → responder pairs,
 * in the packet list's scope. The top N nodes by the chosen measure stay; every other host folds
 * into an "N other hosts" node beside the kept host it talked to most, so a DDoS from thousands of
 * spoofed addresses scattered over the whole address space reads as one crowd around its target.
 */
import type { CaseDb } from '../../db/open-case';
import type { GraphEdge, GraphNode, GraphQuery, HostGraph, NodeRole, Outcome } from '../model/graph';
import { groupPrefix, isInternal, type Cidr } from './address-groups';
import { annotationRows, BadgeAcc } from './graph-annotations';
import { dominantOutcome, nsLess, pairKey, queryPairs, topServices, type PairRow } from './graph-pairs';
import { homeCidrs, readHomeNetworks, readPositions } from './graph-settings';

export const DEFAULT_TOP = 150;
export const MAX_TOP = 2000;
/** What the Graph view asks for: more edges than this is a hairball to look at and a long frame to draw. */
export const DEFAULT_MAX_EDGES = 1500;
export const MAX_EDGES = 50_000;

const ROLE_RANK: Record<NodeRole, number> = { target: 3, source: 2, affected: 1, other: 0 };

export interface FindingRoles {
  role: Map<string, NodeRole>;
  findings: Map<string, number[]>;
}

interface EndpointJson { addr?: unknown }

/** Address → its strongest role in the findings in scope (one finding when the scope names one). */
export function findingRoles(db: CaseDb, findingId?: number): FindingRoles {
  const rows = db.prepare(`SELECT id, targets, sources, affected FROM findings
    WHERE ${findingId === undefined ? "severity != 'info'" : 'id = ?'} ORDER BY id`)
    .all(...(findingId === undefined ? [] : [findingId])) as Array<{ id: number; targets: string; sources: string; affected: string }>;
  const role = new Map<string, NodeRole>();
  const findings = new Map<string, number[]>();
  const note = (addr: unknown, r: NodeRole, id: number) => {
    if (typeof addr !== 'string') return;
    if (ROLE_RANK[r] > ROLE_RANK[role.get(addr) ?? 'other']) role.set(addr, r);
    const list = findings.get(addr) ?? [];
    if (!list.includes(id)) findings.set(addr, [...list, id]);
  };
  const parse = (text: string): EndpointJson[] => {
    try { const v: unknown = JSON.parse(text); return Array.isArray(v) ? v as EndpointJson[] : []; } catch { return []; }
  };
  for (const f of rows) {
    for (const e of parse(f.targets)) note(e.addr, 'target', f.id);
    for (const e of parse(f.sources)) note(e.addr, 'source', f.id);
    for (const e of parse(f.affected)) note(e.addr, 'affected', f.id);
  }
  return { role, findings };
}

/** A node before folding: one address, or one /24 (/64) when grouping. `ix` numbers it in creation order. */
interface BaseNode {
  ix: number; id: string; addr: string; kind: 'host' | 'group'; addrIds: Set<number>; hosts: Set<string>;
  packets: number; bytes: number; pktsOut: number; pktsIn: number;
  role: NodeRole; internal: boolean; findingIds: Set<number>;
}

/** Traffic from node `src` to node `dst` (indexes), and the pairs it sums: `first`, then `more` once merged. */
interface EdgeAcc {
  src: number; dst: number; packets: number; bytes: number; flows: number; t0: string; t1: string;
  first: PairRow; more: PairRow[] | null;
}

/** Sums `e` into `into`: figures, time span and member pairs. */
function mergeEdge(into: EdgeAcc, e: EdgeAcc): void {
  into.packets += e.packets; into.bytes += e.bytes; into.flows += e.flows;
  if (nsLess(e.t0, into.t0)) into.t0 = e.t0;
  if (nsLess(into.t1, e.t1)) into.t1 = e.t1;
  const more = into.more ?? (into.more = []);
  more.push(e.first);
  if (e.more) for (const m of e.more) more.push(m);
}

const membersOf = (e: EdgeAcc): PairRow[] => (e.more ? [e.first, ...e.more] : [e.first]);

/** Prefix keys by address text: a DDoS has thousands of pairs per address, the prefix is worked out once. */
const prefixCache = new Map<string, string | null>();

function nodeKey(addr: string, bin: Buffer | null, group: number): { id: string; kind: 'host' | 'group' } {
  if (group) {
    let prefix = prefixCache.get(addr);
    if (prefix === undefined) {
      if (prefixCache.size > 100_000) prefixCache.clear();
      prefix = groupPrefix(bin ? new Uint8Array(bin) : null);
      prefixCache.set(addr, prefix);
    }
    if (prefix) return { id: prefix, kind: 'group' };
  }
  return { id: addr, kind: 'host' };
}

interface BaseGraph {
  nodes: BaseNode[];
  byId: Map<string, BaseNode>;
  edges: EdgeAcc[];
}

/** Nodes and edges before folding: each address (or prefix) once, each node pair's pairs summed. */
function buildBase(pairs: PairRow[], group: number, roles: FindingRoles, home: Cidr[]): BaseGraph {
  const nodes: BaseNode[] = [];
  const byId = new Map<string, BaseNode>();
  const byAddrId = new Map<number, BaseNode>();
  const touch = (addrId: number, addr: string, bin: Buffer | null): BaseNode => {
    const known = byAddrId.get(addrId);
    if (known) return known;
    const { id, kind } = nodeKey(addr, bin, group);
    let n = byId.get(id);
    if (!n) {
      n = {
        ix: nodes.length, id, addr: id, kind, addrIds: new Set(), hosts: new Set(), packets: 0, bytes: 0, pktsOut: 0, pktsIn: 0,
        role: 'other', internal: isInternal(bin ? new Uint8Array(bin) : null, home), findingIds: new Set(),
      };
      byId.set(id, n);
      nodes.push(n);
    }
    n.hosts.add(addr);
    n.addrIds.add(addrId);
    const r = roles.role.get(addr) ?? 'other';
    if (ROLE_RANK[r] > ROLE_RANK[n.role]) n.role = r;
    for (const f of roles.findings.get(addr) ?? []) n.findingIds.add(f);
    byAddrId.set(addrId, n);
    return n;
  };
  const edges: EdgeAcc[] = [];
  const byKey = new Map<number, EdgeAcc>();
  for (const p of pairs) {
    const a = touch(p.a, p.aAddr, p.aBin);
    const b = touch(p.b, p.bAddr, p.bBin);
    a.pktsOut += p.pktsA; a.pktsIn += p.pktsB; b.pktsOut += p.pktsB; b.pktsIn += p.pktsA;
    a.packets += p.packets; a.bytes += p.bytes;
    if (b !== a) { b.packets += p.packets; b.bytes += p.bytes; }
    const key = pairKey(a.ix, b.ix);
    const fresh: EdgeAcc = { src: a.ix, dst: b.ix, packets: p.packets, bytes: p.bytes, flows: p.flows, t0: p.t0, t1: p.t1, first: p, more: null };
    const e = byKey.get(key);
    if (!e) {
      byKey.set(key, fresh);
      edges.push(fresh);
    } else {
      mergeEdge(e, fresh);
    }
  }
  return { nodes, byId, edges };
}

/** Which base nodes stay: findings' targets and affected clients, expanded nodes and their peers, then the top by measure. */
function chooseKept(base: BaseGraph, q: GraphQuery, rank: (x: BaseNode, y: BaseNode) => number): Uint8Array {
  const top = Math.min(Math.max(q.top ?? DEFAULT_TOP, 1), MAX_TOP);
  const kept = new Uint8Array(base.nodes.length);
  let count = 0;
  const keep = (n: BaseNode) => { if (!kept[n.ix]) { kept[n.ix] = 1; count++; } };
  for (const n of base.nodes) if (n.role === 'target' || n.role === 'affected') keep(n);
  const expand = new Uint8Array(base.nodes.length);
  for (const id of q.expand ?? []) {
    const n = base.byId.get(id);
    if (n) { keep(n); expand[n.ix] = 1; }
  }
  if (expand.some((x) => x === 1)) {
    for (const e of base.edges) {
      if (expand[e.src]) keep(base.nodes[e.dst]);
      if (expand[e.dst]) keep(base.nodes[e.src]);
    }
  }
  for (const n of [...base.nodes].sort(rank)) {
    if (count >= top) break;
    keep(n);
  }
  return kept;
}

/** Folded node (index) → its fold's key: beside its heaviest kept peer, split by internal/external. */
function foldTargets(base: BaseGraph, kept: Uint8Array, measure: 'bytes' | 'packets'): Map<number, string> {
  const bestPeer = new Int32Array(base.nodes.length).fill(-1);
  const bestWeight = new Float64Array(base.nodes.length);
  const consider = (folded: number, peer: number, weight: number) => {
    if (kept[folded] || !kept[peer]) return;
    const cur = bestPeer[folded];
    if (cur < 0 || weight > bestWeight[folded] || (weight === bestWeight[folded] && base.nodes[peer].id < base.nodes[cur].id)) {
      bestPeer[folded] = peer;
      bestWeight[folded] = weight;
    }
  };
  for (const e of base.edges) {
    consider(e.src, e.dst, e[measure]);
    consider(e.dst, e.src, e[measure]);
  }
  const out = new Map<number, string>();
  for (const n of base.nodes) {
    if (kept[n.ix]) continue;
    const peer = bestPeer[n.ix] >= 0 ? base.nodes[bestPeer[n.ix]].id : '*';
    out.set(n.ix, `others:${peer}:${n.internal ? 'internal' : 'external'}`);
  }
  return out;
}

function foldNode(id: string, members: BaseNode[]): GraphNode {
  const hosts = members.reduce((s, m) => s + m.hosts.size, 0);
  let role: NodeRole = 'other';
  const findingIds = new Set<number>();
  for (const m of members) {
    if (ROLE_RANK[m.role] > ROLE_RANK[role]) role = m.role;
    for (const f of m.findingIds) findingIds.add(f);
  }
  return {
    id, addr: `${hosts.toLocaleString('en-US')} other host${hosts === 1 ? '' : 's'}`, kind: 'fold', name: '',
    packets: members.reduce((s, m) => s + m.packets, 0), bytes: members.reduce((s, m) => s + m.bytes, 0),
    pktsOut: members.reduce((s, m) => s + m.pktsOut, 0), pktsIn: members.reduce((s, m) => s + m.pktsIn, 0),
    peers: 0, role, internal: members.every((m) => m.internal), members: hosts, findingIds: [...findingIds].sort((a, b) => a - b),
  };
}

/** Best name per address id: a pcapng name record first, then the shortest DNS name. */
function bestNames(db: CaseDb, addrIds: number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (!addrIds.length) return out;
  const rows = db.prepare(`SELECT addr_id, name FROM host_names WHERE addr_id IN (SELECT value FROM json_each(?))
    ORDER BY addr_id, source = 'nrb' DESC, length(name), name`).all(JSON.stringify(addrIds)) as Array<{ addr_id: number; name: string }>;
  for (const r of rows) if (!out.has(r.addr_id)) out.set(r.addr_id, r.name);
  return out;
}

/**
 * Annotation badges: host annotations land on the node that shows the host (its group or fold),
 * flow annotations on the edge that carries the flow's pair. Hosts and pairs not in scope get none.
 */
function attachBadges(db: CaseDb, group: number, shownId: (baseId: string) => string | undefined, nodes: GraphNode[], edges: GraphEdge[]): void {
  const rows = annotationRows(db);
  if (!rows.hosts.length && !rows.flows.length) return;
  const shown = (addr: string, bin: Buffer | null): string | undefined => shownId(nodeKey(addr, bin, group).id);
  const nodeBadges = new BadgeAcc();
  for (const h of rows.hosts) {
    const id = shown(h.addr, h.bin);
    if (id !== undefined) nodeBadges.add(id, h.tags);
  }
  const edgeBadges = new BadgeAcc();
  for (const f of rows.flows) {
    const src = shown(f.orig.addr, f.orig.bin);
    const dst = shown(f.resp.addr, f.resp.bin);
    if (src !== undefined && dst !== undefined) edgeBadges.add(`${src}\u0000${dst}`, f.tags);
  }
  for (const n of nodes) {
    const b = nodeBadges.get(n.id);
    if (b) n.annotations = b;
  }
  for (const e of edges) {
    const b = edgeBadges.get(`${e.src}\u0000${e.dst}`);
    if (b) e.annotations = b;
  }
}

/**
 * At most `max` edges (sorted heaviest first): each node's heaviest edge stays, so no shown node is
 * left without its main conversation, then the heaviest of the rest. Node figures still count all.
 */
export function lightestCut<E extends { src: string; dst: string }>(edges: E[], max: number | undefined): E[] {
  if (!max || edges.length <= max) return edges;
  const keep = new Set<E>();
  const connected = new Set<string>();
  for (const e of edges) {
    if (connected.has(e.src) && connected.has(e.dst)) continue;
    keep.add(e);
    connected.add(e.src);
    connected.add(e.dst);
  }
  for (const e of edges) {
    if (keep.size >= max) break;
    keep.add(e);
  }
  return edges.filter((e) => keep.has(e));
}

export function hostGraph(db: CaseDb, q: GraphQuery = {}): HostGraph {
  const group = q.group === 24 ? 24 : 0;
  const measure = q.measure ?? 'bytes';
  const home = homeCidrs(db);
  const roles = findingRoles(db, q.findingId);
  const set = queryPairs(db, q);
  const pairs = set.pairs;
  const base = buildBase(pairs, group, roles, home);

  // Ties broken by node key in locale order: ranks worked out once per node, not per comparison.
  const order = new Int32Array(base.nodes.length);
  [...base.nodes].sort((x, y) => x.id.localeCompare(y.id)).forEach((n, i) => { order[n.ix] = i; });
  const kept = chooseKept(base, q, (x, y) => (y[measure] - x[measure]) || order[x.ix] - order[y.ix]);
  const foldOf = foldTargets(base, kept, measure);

  // Shown nodes: kept base nodes, then one per fold, each with its key and a tie-break rank.
  const shownOf = new Int32Array(base.nodes.length);
  const shownIds: string[] = [];
  const nodes: GraphNode[] = [];
  const names = bestNames(db, base.nodes.flatMap((n) => (kept[n.ix] && n.kind === 'host' ? [...n.addrIds] : [])));
  for (const n of base.nodes) {
    if (!kept[n.ix]) continue;
    shownOf[n.ix] = shownIds.length;
    shownIds.push(n.id);
    const firstId = n.addrIds.values().next().value as number;
    nodes.push({
      id: n.id, addr: n.addr, kind: n.kind, name: n.kind === 'host' ? names.get(firstId) ?? '' : '',
      packets: n.packets, bytes: n.bytes, pktsOut: n.pktsOut, pktsIn: n.pktsIn, peers: 0, role: n.role,
      internal: n.internal, members: n.hosts.size, findingIds: [...n.findingIds].sort((a, b) => a - b),
    });
  }
  const foldMembers = new Map<string, { ix: number; members: BaseNode[] }>();
  for (const [ix, fold] of foldOf) {
    let f = foldMembers.get(fold);
    if (!f) {
      f = { ix: shownIds.length, members: [] };
      shownIds.push(fold);
      foldMembers.set(fold, f);
    }
    f.members.push(base.nodes[ix]);
    shownOf[ix] = f.ix;
  }
  const firstFold = nodes.length;
  for (const [fold, f] of foldMembers) nodes.push(foldNode(fold, f.members));

  // Edges between shown nodes; traffic among the hosts of one fold stays inside it.
  const edges: EdgeAcc[] = [];
  const byKey = new Map<number, EdgeAcc>();
  for (const e of base.edges) {
    const src = shownOf[e.src];
    const dst = shownOf[e.dst];
    if (src === dst && src >= firstFold) continue;
    const key = pairKey(src, dst);
    const cur = byKey.get(key);
    if (!cur) {
      // The base edge becomes the shown one (base edges are not read again).
      e.src = src;
      e.dst = dst;
      byKey.set(key, e);
      edges.push(e);
    } else {
      mergeEdge(cur, e);
    }
  }

  const peers = new Map<number, Set<number>>();
  for (const e of edges) {
    if (!peers.has(e.src)) peers.set(e.src, new Set());
    if (!peers.has(e.dst)) peers.set(e.dst, new Set());
    peers.get(e.src)!.add(e.dst);
    peers.get(e.dst)!.add(e.src);
  }
  nodes.forEach((n, i) => { n.peers = peers.get(i)?.size ?? 0; });

  // Ties broken by shown key in locale order, as for nodes.
  const shownOrder = new Int32Array(shownIds.length);
  shownIds.map((id, i) => ({ id, i })).sort((x, y) => x.id.localeCompare(y.id)).forEach((x, r) => { shownOrder[x.i] = r; });
  nodes.sort((x, y) => (y[measure] - x[measure]) || x.id.localeCompare(y.id));

  // Sorted and cut as accumulators: services and outcome are worked out only for the edges shown.
  const allEdges = edges
    .sort((x, y) => (y[measure] - x[measure]) || shownOrder[x.src] - shownOrder[y.src] || shownOrder[x.dst] - shownOrder[y.dst])
    .map((e) => ({ acc: e, src: shownIds[e.src], dst: shownIds[e.dst] }));
  const edgeList: GraphEdge[] = lightestCut(allEdges, q.maxEdges).map(({ acc: e, src, dst }) => {
    const members = membersOf(e);
    const states = set.states(members);
    return {
      src, dst, packets: e.packets, bytes: e.bytes, flows: e.flows, services: topServices(set.services(members)),
      states, outcome: dominantOutcome(states), firstTs: e.t0, lastTs: e.t1,
    };
  });
  attachBadges(db, group, (id) => { const n = base.byId.get(id); return n ? shownIds[shownOf[n.ix]] : undefined; }, nodes, edgeList);

  const hostIds = new Set<number>();
  for (const p of pairs) { hostIds.add(p.a); hostIds.add(p.b); }
  const hostTotal = hostIds.size;
  const folded = [...foldMembers.values()].reduce((s, f) => s + f.members.reduce((t, m) => t + m.hosts.size, 0), 0);
  return {
    nodes, edges: edgeList, edgeTotal: allEdges.length, hostTotal, folded,
    positions: readPositions(db, nodes.map((n) => n.id)),
    homeNetworks: readHomeNetworks(db),
  };
}
