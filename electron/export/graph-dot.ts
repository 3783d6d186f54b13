/**
 * The host graph as Graphviz DOT, so it opens in Graphviz, Gephi or yEd. Node and edge figures ride
 * along as attributes (Gephi imports them as columns). Names come from DNS answers, so every string
 * is quoted and escaped; nothing from the capture is ever an unquoted DOT identifier.
 */
import type { GraphMeasure, HostGraph } from '../model/graph';
import { OUTCOME_COLOURS, ROLE_COLOURS, edgeWidth, nodeRadius } from '../../renderer/src/charts/graph-style';

/** A DOT double-quoted string: backslash and quote escaped, control characters dropped. */
export function dotString(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderGraphDot(g: HostGraph, measure: GraphMeasure): string {
  const maxNode = Math.max(0, ...g.nodes.map((n) => n[measure]));
  const maxEdge = Math.max(0, ...g.edges.map((e) => e[measure]));
  const lines = [
    'digraph flowcase {',
    '  graph [overlap=false, splines=true, outputorder=edgesfirst];',
    '  node [shape=circle, style=filled, fontname="Helvetica", fontsize=10, fixedsize=false];',
    '  edge [arrowsize=0.6];',
  ];
  for (const n of g.nodes) {
    // The name goes into the label as text; "\n" between the lines is DOT's own line break escape.
    const label = n.name ? `${dotString(n.name).slice(1, -1)}\\n${dotString(n.addr).slice(1, -1)}` : dotString(n.addr).slice(1, -1);
    const size = (nodeRadius(n, measure, maxNode) / 36).toFixed(2);
    lines.push(`  ${dotString(n.id)} [label="${label}", xlabel="", width=${size}, fillcolor=${dotString(ROLE_COLOURS[n.role])}, ` +
      `style=${n.internal ? '"filled"' : '"filled,dashed"'}, kind=${dotString(n.kind)}, role=${dotString(n.role)}, ` +
      `internal=${n.internal}, packets=${n.packets}, bytes=${n.bytes}, peers=${n.peers}, members=${n.members}];`);
  }
  for (const e of g.edges) {
    lines.push(`  ${dotString(e.src)} -> ${dotString(e.dst)} [color=${dotString(OUTCOME_COLOURS[e.outcome])}, ` +
      `penwidth=${edgeWidth(e, measure, maxEdge).toFixed(2)}, outcome=${dotString(e.outcome)}, packets=${e.packets}, bytes=${e.bytes}, ` +
      `flows=${e.flows}, services=${dotString(e.services.join(', '))}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
