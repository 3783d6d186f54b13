/**
 * The report's figures, numbered in order: 1. packets over time with the findings' windows; 2. the
 * host graph (when the case has findings); then, for each SYN-flood finding, the handshake
 * comparison. Each is one SVG document: inline in the HTML, drawn from the same markup in the PDF
 * (svg-pdf.ts), referenced from the Markdown and written to data/figures/ in the bundle.
 * Figures are drawn from the case as it is now; they are not part of the hashed report text.
 */
import type { CaseDb } from '../../../db/open-case';
import { listFindings } from '../../query/findings';
import { renderHandshakeSvg } from '../../../renderer/src/charts/handshake-svg';
import { timelineFigure, timelineSvg } from './timeline-figure';
import { graphFigure } from './graph-figure';
import { handshakeFigure } from './handshake-figure';
import type { ReportFigure } from './report-figure';

export type { ReportFigure };

/** Handshake figures for at most this many SYN-flood findings (one case rarely has more). */
const MAX_HANDSHAKE_FIGURES = 3;

export async function reportFigures(db: CaseDb): Promise<ReportFigure[]> {
  const figures: ReportFigure[] = [];
  const timeline = timelineFigure(db);
  if (timeline) figures.push({
    file: 'timeline.svg', title: timeline.title, svg: timelineSvg(timeline),
    caption: 'Figure 1. Packets over the whole capture; each shaded band is a finding\'s time window, labelled with the finding\'s number.',
  });
  const findings = listFindings(db);
  if (findings.length === 0) return figures;
  const graph = await graphFigure(db, figures.length + 1);
  if (graph) figures.push(graph);
  for (const f of findings.filter((x) => x.kind === 'syn-flood').slice(0, MAX_HANDSHAKE_FIGURES)) {
    const h = handshakeFigure(db, f.id, figures.length + 1);
    if (h) figures.push({ file: `handshake-finding-${f.id}.svg`, title: h.title, caption: handshakeCaption(figures.length + 1), svg: renderHandshakeSvg(h) });
  }
  return figures;
}

function handshakeCaption(number: number): string {
  return `Figure ${number}. Left: a legitimate client opens a connection with SYN, the server answers SYN/ACK and the client `
    + 'completes it with ACK. Right: an attack source\'s SYN is answered with SYN/ACK that is never ACKed, so the server keeps a '
    + 'half-open connection in its backlog until it gives up. No. is the packet\'s number in the case; times are seconds since the first packet.';
}
