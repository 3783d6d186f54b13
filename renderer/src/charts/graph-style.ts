/**
 * The host graph's encodings and force layout, shared by the canvas view, the SVG export and the
 * CLI (`flowcase graph -o x.svg`) so that all three draw the same picture. Pure: no DOM, and d3-force
 * is passed in (the renderer bundles it; Node loads it with a dynamic import).
 */
import type { AnnotationBadge, GraphEdge, GraphMeasure, GraphNode, HostGraph, NodeRole, Outcome } from '../../../electron/model/graph';
import { markColour } from '../lib/tags';

export const ROLE_COLOURS: Record<NodeRole, string> = {
  target: '#c62828',
  source: '#ef6c00',
  affected: '#f2b600',
  other: '#5c7a8a',
};

export const ROLE_LABELS: Record<NodeRole, string> = {
  target: 'finding target',
  source: 'finding source',
  affected: 'affected client',
  other: 'other host',
};

export const OUTCOME_COLOURS: Record<Outcome, string> = {
  completed: '#6aa84f',
  'half-open': '#e53935',
  rejected: '#8e24aa',
  'icmp-unreachable': '#1e88e5',
  other: '#a7b4bd',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  completed: 'completed',
  'half-open': 'half-open / unanswered (S0)',
  rejected: 'rejected / reset',
  'icmp-unreachable': 'ICMP unreachable',
  other: 'other / no handshake',
};

/** Legend order: the failures first, since they are what the graph is for. */
export const OUTCOME_ORDER: Outcome[] = ['half-open', 'rejected', 'icmp-unreachable', 'completed', 'other'];
export const ROLE_ORDER: NodeRole[] = ['target', 'source', 'affected', 'other'];

/** External hosts get a dashed outline; internal ones a solid one. */
export const INTERNAL_DASH: number[] = [];
export const EXTERNAL_DASH = [3, 2];

const MIN_R = 5;
const MAX_R = 30;

/** Node radius: area proportional to the measure. */
export function nodeRadius(n: Pick<GraphNode, GraphMeasure>, measure: GraphMeasure, max: number): number {
  if (max <= 0) return MIN_R;
  return MIN_R + (MAX_R - MIN_R) * Math.sqrt(Math.max(0, n[measure]) / max);
}

/** Edge width: log scale, so a flood does not hide everything else. */
export function edgeWidth(e: Pick<GraphEdge, GraphMeasure>, measure: GraphMeasure, max: number): number {
  if (max <= 0) return 1;
  return 1 + 5 * (Math.log1p(Math.max(0, e[measure])) / Math.log1p(max));
}

const MAX_LABEL = 36;

function clip(text: string): string {
  // Control characters never reach a label; long names are cut with an ellipsis.
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '·');
  return clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean;
}

/** One or two lines: best name, then address (or the fold text). */
export function nodeLabel(n: Pick<GraphNode, 'name' | 'addr' | 'kind'>): string[] {
  if (n.kind === 'fold') return [clip(n.addr)];
  return n.name ? [clip(n.name), clip(n.addr)] : [clip(n.addr)];
}

/** Which nodes carry a label at rest: findings' nodes, folds, expanded and the heaviest few; the rest on hover. */
export function labelledNodes(g: Pick<HostGraph, 'nodes'>, measure: GraphMeasure, count = 12): Set<string> {
  // A hairball of labels reads worse than none: targets, sources, folds and the heaviest few carry
  // one at rest; every other node shows its label on hover (and in the SVG's tooltip).
  const out = new Set<string>();
  for (const n of g.nodes) if (n.role === 'target' || n.role === 'source' || n.kind === 'fold') out.add(n.id);
  const ranked = [...g.nodes].sort((a, b) => b[measure] - a[measure] || a.id.localeCompare(b.id));
  for (const n of ranked) {
    if (out.size >= count) break;
    out.add(n.id);
  }
  return out;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytesShort(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

// ---------------------------------------------------------------- annotation badges

/** Badge dot radius (graph units at zoom 1); a count beside it when more than one annotation. */
export const BADGE_R = 5;

/** The badge's colour: the most serious tag's (tags arrive most serious first). */
export function badgeColour(b: AnnotationBadge): string {
  return markColour(b.tags);
}

/** The count drawn in the badge, '' for a single annotation. */
export function badgeCount(b: AnnotationBadge): string {
  return b.count > 1 ? formatCount(b.count) : '';
}

/** "2 annotations: malicious, todo" (tags are analyst text: callers render this as text only). */
export function badgeLine(b: AnnotationBadge): string {
  const tags = b.tags.map((t) => t.replace(/[\u0000-\u001f\u007f-\u009f]/g, '·'));
  return `${formatCount(b.count)} annotation${b.count === 1 ? '' : 's'}${tags.length ? `: ${tags.join(', ')}` : ' (no tags)'}`;
}

/** Where a node's badge sits: its upper right, on the rim. */
export function nodeBadgeAt(p: { x: number; y: number }, r: number): { x: number; y: number } {
  return { x: p.x + r * 0.75, y: p.y - r * 0.75 };
}

export function nodeTooltip(n: GraphNode): string[] {
  const lines = [n.kind === 'fold' ? n.addr : n.name ? `${n.name} (${n.addr})` : n.addr];
  lines.push(`${ROLE_LABELS[n.role]}, ${n.internal ? 'internal' : 'external'}${n.members > 1 ? `, ${formatCount(n.members)} hosts` : ''}`);
  lines.push(`${formatCount(n.packets)} packets, ${formatBytesShort(n.bytes)} (out ${formatCount(n.pktsOut)} / in ${formatCount(n.pktsIn)} packets)`);
  lines.push(`${formatCount(n.peers)} peer${n.peers === 1 ? '' : 's'}${n.findingIds.length ? `, named in finding${n.findingIds.length > 1 ? 's' : ''} ${n.findingIds.map((f) => `#${f}`).join(', ')}` : ''}`);
  if (n.annotations) lines.push(badgeLine(n.annotations));
  return lines;
}

export function edgeTooltip(e: GraphEdge, label: (id: string) => string): string[] {
  const states = OUTCOME_ORDER.filter((o) => e.states[o]).map((o) => `${OUTCOME_LABELS[o]} ${formatCount(e.states[o]!)}`);
  return [
    `${label(e.src)} → ${label(e.dst)}`,
    `${formatCount(e.packets)} packets, ${formatBytesShort(e.bytes)}, ${formatCount(e.flows)} conversation${e.flows === 1 ? '' : 's'}`,
    e.services.length ? `services: ${e.services.join(', ')}` : 'no transport service',
    states.length ? states.join(' · ') : 'no conversations (ARP or other frames)',
    ...(e.annotations ? [badgeLine(e.annotations)] : []),
  ];
}

// ---------------------------------------------------------------- force layout

export interface LayoutNode { id: string; r: number; x?: number; y?: number; fx?: number | null; fy?: number | null; index?: number; vx?: number; vy?: number }
export interface LayoutLink { source: string | LayoutNode; target: string | LayoutNode; weight: number }

/** The subset of d3-force this layout uses, so callers pass either the bundled or the Node module. */
export interface ForceApi {
  forceSimulation: typeof import('d3-force').forceSimulation;
  forceLink: typeof import('d3-force').forceLink;
  forceManyBody: typeof import('d3-force').forceManyBody;
  forceCollide: typeof import('d3-force').forceCollide;
  forceX: typeof import('d3-force').forceX;
  forceY: typeof import('d3-force').forceY;
}

/** Ticks a fresh layout needs to settle; a layout seeded from saved positions needs far fewer. */
export const LAYOUT_TICKS = 300;

/**
 * A stopped simulation (the caller ticks it: all at once in Node, in time slices in the view).
 * Saved positions seed the nodes and pinned ones stay put, so a changed scope keeps the picture.
 */
export function createLayout(d3: ForceApi, nodes: LayoutNode[], links: LayoutLink[]) {
  const sim = d3.forceSimulation<LayoutNode>(nodes)
    .force('link', d3.forceLink<LayoutNode, LayoutLink>(links).id((n) => n.id)
      .distance((l) => 70 + (l.source as LayoutNode).r + (l.target as LayoutNode).r).strength(0.3))
    .force('charge', d3.forceManyBody<LayoutNode>().strength((n) => -140 - n.r * 10).distanceMax(800))
    .force('collide', d3.forceCollide<LayoutNode>((n) => n.r + 16))
    .force('x', d3.forceX<LayoutNode>(0).strength(0.04))
    .force('y', d3.forceY<LayoutNode>(0).strength(0.04))
    .stop();
  return sim;
}

/** Layout nodes and links for a graph, seeded from saved positions. */
export function layoutInput(g: HostGraph, measure: GraphMeasure, saved: HostGraph['positions'] = g.positions): { nodes: LayoutNode[]; links: LayoutLink[] } {
  const max = Math.max(0, ...g.nodes.map((n) => n[measure]));
  const nodes = g.nodes.map((n) => {
    const p = saved[n.id];
    const out: LayoutNode = { id: n.id, r: nodeRadius(n, measure, max) };
    if (p) { out.x = p.x; out.y = p.y; if (p.pinned) { out.fx = p.x; out.fy = p.y; } }
    return out;
  });
  const maxEdge = Math.max(0, ...g.edges.map((e) => e[measure]));
  const links = g.edges.filter((e) => e.src !== e.dst).map((e) => ({ source: e.src, target: e.dst, weight: maxEdge ? e[measure] / maxEdge : 0 }));
  return { nodes, links };
}
