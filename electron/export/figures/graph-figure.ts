/**
 * The host graph as a report figure: the whole case, the heaviest REPORT_TOP hosts by packets (the
 * rest fold into "N other hosts" nodes, so a DDoS with thousands of spoofed sources stays one node
 * and the figure stays readable on a page), laid out by the same d3-force code and drawn by the same
 * SVG module as the Graph view's "Export SVG" and `flowcase graph -o x.svg`. Positions the analyst
 * settled in the Graph view (saved in the case) seed the layout, so the figure looks like the view.
 */
import type { CaseDb } from '../../../db/open-case';
import { hostGraph } from '../../query/host-graph';
import { layoutGraph } from '../graph-layout';
import { renderGraphSvg } from '../../../renderer/src/charts/graph-svg';
import type { ReportFigure } from './report-figure';
import type { GraphEdge, GraphNode, HostGraph, NodeRole } from '../../model/graph';

/** Nodes kept in the report's graph: enough for the incident's cast, few enough to read on A4. */
export const REPORT_TOP = 24;
/** Room kept beside the findings' targets and affected clients, and the most the figure ever draws. */
const EXTRA_NODES = 6;
export const MAX_REPORT_NODES = 40;
/** Edges drawn at most (each node keeps its heaviest, host-graph.ts maxEdges): an A4 page holds no more. */
export const MAX_REPORT_EDGES = 300;

const RANK: Record<NodeRole, number> = { target: 3, source: 2, affected: 1, other: 0 };
/** Sources (hosts, or folds that hold one: a flood's attacker may be folded beside its target) kept at most. */
const SOURCE_SLOTS = 10;

/** Which nodes a bounded figure keeps: the targets, the heaviest sources, then affected clients, then the rest, each by packets. */
function keptNodes(nodes: GraphNode[], max: number): GraphNode[] {
  const byPackets = (a: GraphNode, b: GraphNode) => b.packets - a.packets || a.id.localeCompare(b.id);
  const tier = (role: NodeRole) => nodes.filter((n) => n.role === role).sort(byPackets);
  const out = tier('target').slice(0, max - 1);
  out.push(...tier('source').slice(0, Math.min(SOURCE_SLOTS, max - 1 - out.length)));
  for (const n of [...tier('affected'), ...tier('source').slice(SOURCE_SLOTS), ...tier('other')]) {
    if (out.length >= max - 1) break;
    out.push(n);
  }
  return out;
}
const nsMin = (a: string, b: string) => (BigInt(a) <= BigInt(b) ? a : b);
const nsMax = (a: string, b: string) => (BigInt(a) >= BigInt(b) ? a : b);

/**
 * The graph pins every target and affected client, so a case with hundreds of affected clients
 * would still draw hundreds of nodes. Past `max`, the figure keeps the targets, the 10 heaviest
 * sources, then affected clients and other hosts by packets (keptNodes); the rest merge into one "N more hosts" node and
 * their edges into its edges, so the figure stays bounded and no traffic disappears from it.
 */
export function boundGraph(g: HostGraph, max: number): { graph: HostGraph; merged: number } {
  if (g.nodes.length <= max) return { graph: g, merged: 0 };
  const kept = keptNodes(g.nodes, max);
  const keepIds = new Set(kept.map((n) => n.id));
  const dropped = g.nodes.filter((n) => !keepIds.has(n.id));
  const restId = 'others:report';
  const hosts = dropped.reduce((s, n) => s + n.members, 0);
  const role = dropped.reduce<NodeRole>((r, n) => (RANK[n.role] > RANK[r] ? n.role : r), 'other');
  const rest: GraphNode = {
    id: restId, addr: `${hosts.toLocaleString('en-US')} more hosts`, kind: 'fold', name: '', role,
    packets: dropped.reduce((s, n) => s + n.packets, 0), bytes: dropped.reduce((s, n) => s + n.bytes, 0),
    pktsOut: dropped.reduce((s, n) => s + n.pktsOut, 0), pktsIn: dropped.reduce((s, n) => s + n.pktsIn, 0),
    peers: 0, internal: dropped.every((n) => n.internal), members: hosts, findingIds: [],
  };
  const keep = new Set(kept.map((n) => n.id));
  const to = (id: string) => (keep.has(id) ? id : restId);
  const edges = new Map<string, GraphEdge & { weight: number }>();
  for (const e of g.edges) {
    const src = to(e.src); const dst = to(e.dst);
    if (src === restId && dst === restId) continue;
    const key = `${src}\u0000${dst}`;
    const cur = edges.get(key);
    if (!cur) { edges.set(key, { ...e, src, dst, states: { ...e.states }, weight: e.packets }); continue; }
    // The merged edge takes the look of its heaviest part; figures and outcomes add up.
    if (e.packets > cur.weight) { cur.outcome = e.outcome; cur.services = e.services; cur.weight = e.packets; }
    cur.packets += e.packets; cur.bytes += e.bytes; cur.flows += e.flows;
    for (const [o, k] of Object.entries(e.states)) cur.states[o as keyof typeof cur.states] = (cur.states[o as keyof typeof cur.states] ?? 0) + (k ?? 0);
    cur.firstTs = nsMin(cur.firstTs, e.firstTs); cur.lastTs = nsMax(cur.lastTs, e.lastTs);
  }
  rest.peers = new Set([...edges.values()].flatMap((e) => (e.src === restId ? [e.dst] : e.dst === restId ? [e.src] : []))).size;
  const merged = [...edges.values()].map(({ weight: _w, ...e }) => e);
  return { graph: { ...g, nodes: [...g.nodes.filter((n) => keep.has(n.id)), rest], edges: merged, edgeTotal: merged.length }, merged: hosts };
}

export async function graphFigure(db: CaseDb, number: number): Promise<ReportFigure | null> {
  let g = hostGraph(db, { top: REPORT_TOP, measure: 'packets', maxEdges: MAX_REPORT_EDGES });
  if (g.nodes.length === 0) return null;
  // The findings' targets and affected clients are always kept; when they alone fill the top N, the
  // attacker would fold away. Make room for the busiest few others (the attack's sources first).
  const pinned = g.nodes.filter((n) => n.kind === 'host' && (n.role === 'target' || n.role === 'affected')).length;
  if (pinned + EXTRA_NODES > REPORT_TOP) g = hostGraph(db, { top: Math.min(pinned + EXTRA_NODES, MAX_REPORT_NODES), measure: 'packets', maxEdges: MAX_REPORT_EDGES });
  const cut = g.edgeTotal > g.edges.length ? { drawn: g.edges.length, total: g.edgeTotal } : null;
  const bounded = boundGraph(g, MAX_REPORT_NODES);
  g = bounded.graph;
  const title = `Figure ${number}. Host graph: who talked to whom`;
  const caption = `Figure ${number}. One node per address (area: packets; colour: its role in the findings; dashed outline: external), `
    + 'one arrow per originator → responder pair, coloured by how its conversations ended (red: half-open or unanswered). '
    + (g.folded || bounded.merged ? `${g.nodes.length} nodes are drawn (the findings' targets and sources, then affected clients and the busiest hosts by packets); `
      + `${(g.folded + bounded.merged).toLocaleString('en-US')} other hosts are folded into "N other hosts" / "N more hosts" nodes`
      + `${cut ? `; of ${cut.total.toLocaleString('en-US')} edges the ${cut.drawn} heaviest are drawn (each node keeps its heaviest)` : ''}.`
      : `All ${g.hostTotal.toLocaleString('en-US')} hosts are drawn.`);
  const positions = await layoutGraph(g, 'packets');
  return { file: 'host-graph.svg', title, caption, svg: renderGraphSvg(g, positions, { measure: 'packets', title }) };
}
