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
import { dominantOutcome, nsLess, queryPairs, topServices, type PairRow } from './graph-pairs';
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

/** A node before folding: one address, or one /24 (/64) when grouping. */
interface BaseNode {
  id: string; addr: string; kind: 'host' | 'group'; addrIds: Set<number>; hosts: Set<string>;
  packets: number; bytes: number; pktsOut: number; pktsIn: number;
  role: NodeRole; internal: boolean; findingIds: Set<number>;
}

interface EdgeAcc {
  src: string; dst: string; packets: number; bytes: number; flows: number;
  services: Map<string, number>; states: GraphEdge['states']; t0: string; t1: string;
}

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

function buildBaseNodes(pairs: PairRow[], group: number, roles: FindingRoles, home: Cidr[]): Map<string, BaseNode> {
  const nodes = new Map<string, BaseNode>();
  const touch = (addrId: number, addr: string, bin: Buffer | null): BaseNode => {
    const { id, kind } = nodeKey(addr, bin, group);
    let n = nodes.get(id);
    if (!n) {
      n = {
        id, addr: id, kind, addrIds: new Set(), hosts: new Set(), packets: 0, bytes: 0, pktsOut: 0, pktsIn: 0,
        role: 'other', internal: isInternal(bin ? new Uint8Array(bin) : null, home), findingIds: new Set(),
      };
      nodes.set(id, n);
    }
    if (!n.hosts.has(addr)) {
      n.hosts.add(addr);
      n.addrIds.add(addrId);
      const r = roles.role.get(addr) ?? 'other';
      if (ROLE_RANK[r] > ROLE_RANK[n.role]) n.role = r;
      for (const f of roles.findings.get(addr) ?? []) n.findingIds.add(f);
    }
    return n;
  };
  for (const p of pairs) {
    const a = touch(p.a, p.aAddr, p.aBin);
    const b = touch(p.b, p.bAddr, p.bBin);
    a.pktsOut += p.pktsA; a.pktsIn += p.pktsB; b.pktsOut += p.pktsB; b.pktsIn += p.pktsA;
    a.packets += p.packets; a.bytes += p.bytes;
    if (b !== a) { b.packets += p.packets; b.bytes += p.bytes; }
  }
  return nodes;
}

/**
 * Adds `e` into the edge src → dst. Takes ownership of `e` (the first contribution to an edge
 * becomes it, with src and dst set; later ones are summed into it): each is added exactly once.
 */
function addToEdge(edges: Map<string, EdgeAcc>, src: string, dst: string, e: EdgeAcc): void {
  const key = `${src}\u0000${dst}`;
  const cur = edges.get(key);
  if (!cur) { e.src = src; e.dst = dst; edges.set(key, e); return; }
  cur.packets += e.packets; cur.bytes += e.bytes; cur.flows += e.flows;
  for (const [s, n] of e.services) cur.services.set(s, (cur.services.get(s) ?? 0) + n);
  for (const [o, n] of Object.entries(e.states) as Array<[Outcome, number]>) cur.states[o] = (cur.states[o] ?? 0) + n;
  if (nsLess(e.t0, cur.t0)) cur.t0 = e.t0;
  if (nsLess(cur.t1, e.t1)) cur.t1 = e.t1;
}

/** Which base nodes stay: findings' targets and affected clients, expanded nodes and their peers, then the top by measure. */
function chooseKept(nodes: Map<string, BaseNode>, edges: Map<string, EdgeAcc>, q: GraphQuery): Set<string> {
  const top = Math.min(Math.max(q.top ?? DEFAULT_TOP, 1), MAX_TOP);
  const measure = q.measure ?? 'bytes';
  const kept = new Set<string>();
  for (const n of nodes.values()) if (n.role === 'target' || n.role === 'affected') kept.add(n.id);
  const expand = new Set(q.expand ?? []);
  for (const id of expand) if (nodes.has(id)) kept.add(id);
  if (expand.size) {
    for (const e of edges.values()) {
      if (expand.has(e.src)) kept.add(e.dst);
      if (expand.has(e.dst)) kept.add(e.src);
    }
  }
  const ranked = [...nodes.values()].sort((x, y) => (y[measure] - x[measure]) || x.id.localeCompare(y.id));
  for (const n of ranked) {
    if (kept.size >= top) break;
    kept.add(n.id);
  }
  return kept;
}

/** Folded node → the fold node it joins: beside its heaviest kept peer, split by internal/external. */
function foldTargets(nodes: Map<string, BaseNode>, edges: Map<string, EdgeAcc>, kept: Set<string>, measure: 'bytes' | 'packets'): Map<string, string> {
  const best = new Map<string, { peer: string; weight: number }>();
  const consider = (folded: string, peer: string, weight: number) => {
    if (kept.has(folded) || !kept.has(peer)) return;
    const cur = best.get(folded);
    if (!cur || weight > cur.weight || (weight === cur.weight && peer < cur.peer)) best.set(folded, { peer, weight });
  };
  for (const e of edges.values()) {
    consider(e.src, e.dst, e[measure]);
    consider(e.dst, e.src, e[measure]);
  }
  const out = new Map<string, string>();
  for (const n of nodes.values()) {
    if (kept.has(n.id)) continue;
    const peer = best.get(n.id)?.peer ?? '*';
    out.set(n.id, `others:${peer}:${n.internal ? 'internal' : 'external'}`);
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
function attachBadges(db: CaseDb, group: number, base: Map<string, BaseNode>, mapId: (id: string) => string, nodes: GraphNode[], edges: GraphEdge[]): void {
  const rows = annotationRows(db);
  if (!rows.hosts.length && !rows.flows.length) return;
  const shown = (addr: string, bin: Buffer | null): string | undefined => {
    const id = nodeKey(addr, bin, group).id;
    return base.has(id) ? mapId(id) : undefined;
  };
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
  const pairs = queryPairs(db, q);
  const base = buildBaseNodes(pairs, group, roles, home);

  const baseEdges = new Map<string, EdgeAcc>();
  for (const p of pairs) {
    const src = group ? nodeKey(p.aAddr, p.aBin, group).id : p.aAddr;
    const dst = group ? nodeKey(p.bAddr, p.bBin, group).id : p.bAddr;
    addToEdge(baseEdges, src, dst, {
      src, dst, packets: p.packets, bytes: p.bytes, flows: p.flows, services: p.services, states: p.states, t0: p.t0, t1: p.t1,
    });
  }

  const kept = chooseKept(base, baseEdges, q);
  const foldOf = foldTargets(base, baseEdges, kept, measure);
  const mapId = (id: string) => foldOf.get(id) ?? id;

  const edges = new Map<string, EdgeAcc>();
  for (const e of baseEdges.values()) {
    const src = mapId(e.src);
    const dst = mapId(e.dst);
    if (src === dst && src.startsWith('others:')) continue; // traffic among folded hosts stays inside the fold
    addToEdge(edges, src, dst, e);
  }

  const names = bestNames(db, [...kept].flatMap((id) => (base.get(id)?.kind === 'host' ? [...base.get(id)!.addrIds] : [])));
  const nodes: GraphNode[] = [];
  for (const id of kept) {
    const n = base.get(id)!;
    const firstId = [...n.addrIds][0];
    nodes.push({
      id: n.id, addr: n.addr, kind: n.kind, name: n.kind === 'host' ? names.get(firstId) ?? '' : '',
      packets: n.packets, bytes: n.bytes, pktsOut: n.pktsOut, pktsIn: n.pktsIn, peers: 0, role: n.role,
      internal: n.internal, members: n.hosts.size, findingIds: [...n.findingIds].sort((a, b) => a - b),
    });
  }
  const foldMembers = new Map<string, BaseNode[]>();
  for (const [id, fold] of foldOf) {
    const members = foldMembers.get(fold);
    if (members) members.push(base.get(id)!); else foldMembers.set(fold, [base.get(id)!]);
  }
  for (const [fold, members] of foldMembers) nodes.push(foldNode(fold, members));

  const peers = new Map<string, Set<string>>();
  for (const e of edges.values()) {
    if (!peers.has(e.src)) peers.set(e.src, new Set());
    if (!peers.has(e.dst)) peers.set(e.dst, new Set());
    peers.get(e.src)!.add(e.dst);
    peers.get(e.dst)!.add(e.src);
  }
  for (const n of nodes) n.peers = peers.get(n.id)?.size ?? 0;
  nodes.sort((x, y) => (y[measure] - x[measure]) || x.id.localeCompare(y.id));

  // Sorted and cut as accumulators: services and outcome are worked out only for the edges shown.
  const allEdges = [...edges.values()]
    .sort((x, y) => (y[measure] - x[measure]) || x.src.localeCompare(y.src) || x.dst.localeCompare(y.dst));
  const edgeList: GraphEdge[] = lightestCut(allEdges, q.maxEdges).map((e) => ({
    src: e.src, dst: e.dst, packets: e.packets, bytes: e.bytes, flows: e.flows, services: topServices(e.services),
    states: e.states, outcome: dominantOutcome(e.states), firstTs: e.t0, lastTs: e.t1,
  }));
  attachBadges(db, group, base, mapId, nodes, edgeList);

  const hostIds = new Set<number>();
  for (const p of pairs) { hostIds.add(p.a); hostIds.add(p.b); }
  const hostTotal = hostIds.size;
  const folded = [...foldMembers.values()].reduce((s, ms) => s + ms.reduce((t, m) => t + m.hosts.size, 0), 0);
  return {
    nodes, edges: edgeList, edgeTotal: allEdges.length, hostTotal, folded,
    positions: readPositions(db, nodes.map((n) => n.id)),
    homeNetworks: readHomeNetworks(db),
  };
}
