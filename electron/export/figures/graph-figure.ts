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

/** Nodes kept in the report's graph: enough for the incident's cast, few enough to read on A4. */
export const REPORT_TOP = 24;
/** Room kept beside the findings' targets and affected clients, and the most the figure ever draws. */
const EXTRA_NODES = 6;
export const MAX_REPORT_NODES = 60;

export async function graphFigure(db: CaseDb, number: number): Promise<ReportFigure | null> {
  let g = hostGraph(db, { top: REPORT_TOP, measure: 'packets' });
  if (g.nodes.length === 0) return null;
  // The findings' targets and affected clients are always kept; when they alone fill the top N, the
  // attacker would fold away. Make room for the busiest few others (the attack's sources first).
  const pinned = g.nodes.filter((n) => n.kind === 'host' && (n.role === 'target' || n.role === 'affected')).length;
  if (pinned + EXTRA_NODES > REPORT_TOP) g = hostGraph(db, { top: Math.min(pinned + EXTRA_NODES, MAX_REPORT_NODES), measure: 'packets' });
  const title = `Figure ${number}. Host graph: who talked to whom`;
  const caption = `Figure ${number}. One node per address (area: packets; colour: its role in the findings; dashed outline: external), `
    + 'one arrow per originator → responder pair, coloured by how its conversations ended (red: half-open or unanswered). '
    + (g.folded ? `${g.nodes.length} nodes are drawn (the findings' targets and affected clients, then the busiest hosts by packets); `
      + `${g.folded.toLocaleString('en-US')} other host${g.folded === 1 ? ' is' : 's are'} folded into "N other hosts" nodes beside the host they talked to most.`
      : `All ${g.hostTotal.toLocaleString('en-US')} hosts are drawn.`);
  const positions = await layoutGraph(g, 'packets');
  return { file: 'host-graph.svg', title, caption, svg: renderGraphSvg(g, positions, { measure: 'packets', title }) };
}
