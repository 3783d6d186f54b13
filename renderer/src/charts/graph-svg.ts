/**
 * The host graph as a standalone SVG document: what "Export SVG" saves in the app and what
 * `flowcase graph -o graph.svg` writes. Every piece of text (names come from DNS answers and are
 * attacker-controlled) is XML-escaped; nothing from the capture reaches an attribute unescaped.
 */
import type { AnnotationBadge, GraphMeasure, HostGraph } from '../../../electron/model/graph';
import {
  BADGE_R, badgeColour, badgeCount, badgeLine, nodeBadgeAt, EXTERNAL_DASH, OUTCOME_COLOURS, OUTCOME_LABELS, OUTCOME_ORDER, ROLE_COLOURS, ROLE_LABELS, ROLE_ORDER,
  edgeTooltip, edgeWidth, labelledNodes, nodeLabel, nodeRadius, nodeTooltip,
} from './graph-style';

export function escapeXml(text: string): string {
  // XML 1.0 forbids most control characters even escaped: they become U+FFFD.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const num = (v: number) => (Math.round(v * 10) / 10).toString();

/** An annotation badge: a dot in the most serious tag's colour, the count beside it when > 1; tags only in its <title>. */
function badgeSvg(b: AnnotationBadge, at: { x: number; y: number }): string {
  const count = badgeCount(b);
  return `<g class="badge"><title>${escapeXml(badgeLine(b))}</title><circle cx="${num(at.x)}" cy="${num(at.y)}" r="${BADGE_R}" fill="${escapeXml(badgeColour(b))}" stroke="#ffffff" stroke-width="1.5"/>`
    + (count ? `<text x="${num(at.x + BADGE_R + 1)}" y="${num(at.y + 3)}" font-size="10" font-weight="bold" fill="#111" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(count)}</text>` : '')
    + '</g>';
}

export interface SvgOptions {
  measure: GraphMeasure;
  title?: string;
}

export function renderGraphSvg(g: HostGraph, positions: Record<string, { x: number; y: number }>, o: SvgOptions): string {
  const measure = o.measure;
  const maxNode = Math.max(0, ...g.nodes.map((n) => n[measure]));
  const maxEdge = Math.max(0, ...g.edges.map((e) => e[measure]));
  const radius = new Map(g.nodes.map((n) => [n.id, nodeRadius(n, measure, maxNode)]));
  const pos = (id: string) => positions[id] ?? { x: 0, y: 0 };
  const labelled = labelledNodes(g, measure);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const labelOf = (id: string) => byId.get(id)?.addr ?? id;

  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (const n of g.nodes) {
    const p = pos(n.id);
    const r = radius.get(n.id)!;
    minX = Math.min(minX, p.x - r - 10); maxX = Math.max(maxX, p.x + r + 130);
    minY = Math.min(minY, p.y - r - 10); maxY = Math.max(maxY, p.y + r + 34);
  }
  if (!g.nodes.length) { minX = 0; minY = 0; maxX = 400; maxY = 200; }
  const legendW = 230;
  const top = minY - 40;
  const width = maxX - minX + legendW + 20;
  const height = Math.max(maxY - top, 292);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(minX)} ${num(top)} ${num(width)} ${num(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(o.title ?? 'Flowcase host graph')}</title>`);
  out.push('<defs>');
  for (const oc of OUTCOME_ORDER) {
    out.push(`<marker id="arrow-${oc}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${OUTCOME_COLOURS[oc]}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="${num(minX)}" y="${num(top)}" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`);
  out.push(`<text x="${num(minX + 4)}" y="${num(top + 18)}" font-size="14" font-weight="bold" fill="#222">${escapeXml(o.title ?? 'Host graph')}</text>`);
  out.push(`<text x="${num(minX + 4)}" y="${num(top + 33)}" fill="#555">${escapeXml(`${g.nodes.length} nodes, ${g.edges.length}${g.edgeTotal > g.edges.length ? ` of ${g.edgeTotal}` : ''} edges; ${g.hostTotal} hosts in scope${g.folded ? `, ${g.folded} folded` : ''}; size by ${measure}`)}</text>`);

  out.push('<g class="edges" fill="none">');
  for (const e of g.edges) {
    if (e.src === e.dst) continue;
    const a = pos(e.src);
    const b = pos(e.dst);
    const dx = b.x - a.x; const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ra = radius.get(e.src) ?? 5; const rb = (radius.get(e.dst) ?? 5) + 2;
    const x1 = a.x + (dx / len) * ra; const y1 = a.y + (dy / len) * ra;
    const x2 = b.x - (dx / len) * rb; const y2 = b.y - (dy / len) * rb;
    const colour = OUTCOME_COLOURS[e.outcome];
    out.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${colour}" stroke-width="${num(edgeWidth(e, measure, maxEdge))}" stroke-opacity="0.85" marker-end="url(#arrow-${e.outcome})"><title>${escapeXml(edgeTooltip(e, labelOf).join('\n'))}</title></line>`);
  }
  out.push('</g>');

  out.push('<g class="nodes">');
  for (const n of g.nodes) {
    const p = pos(n.id);
    const r = radius.get(n.id)!;
    const dash = n.internal ? '' : ` stroke-dasharray="${EXTERNAL_DASH.join(' ')}"`;
    out.push(`<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${num(r)}" fill="${ROLE_COLOURS[n.role]}" stroke="#263238" stroke-width="1.5"${dash}><title>${escapeXml(nodeTooltip(n).join('\n'))}</title></circle>`);
  }
  out.push('</g>');

  // Labels after every node, so a node drawn later never covers an earlier node's name.
  out.push('<g class="labels">');
  for (const n of g.nodes) {
    if (!labelled.has(n.id)) continue;
    const p = pos(n.id);
    const r = radius.get(n.id)!;
    nodeLabel(n).forEach((line, i) => {
      out.push(`<text x="${num(p.x + r + 4)}" y="${num(p.y + 4 + i * 13)}" fill="#1a1a1a" stroke="#ffffff" stroke-width="3" paint-order="stroke"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(line)}</text>`);
    });
  }
  out.push('</g>');

  out.push('<g class="badges">');
  for (const e of g.edges) {
    if (!e.annotations || e.src === e.dst) continue;
    const a = pos(e.src); const b = pos(e.dst);
    out.push(badgeSvg(e.annotations, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }));
  }
  for (const n of g.nodes) if (n.annotations) out.push(badgeSvg(n.annotations, nodeBadgeAt(pos(n.id), radius.get(n.id)!)));
  out.push('</g>');

  // Legend: role (fill), internal/external (outline), outcome (edge colour), encodings.
  const lx = maxX + 20;
  let ly = top + 20;
  const legend: string[] = [`<g class="legend"><rect x="${num(lx - 8)}" y="${num(ly - 16)}" width="${legendW - 10}" height="${num(268)}" fill="#f7f9fa" stroke="#cfd8dc"/>`];
  const heading = (t: string) => { legend.push(`<text x="${num(lx)}" y="${num(ly)}" font-weight="bold" fill="#222">${escapeXml(t)}</text>`); ly += 15; };
  heading('Node colour: role');
  for (const r of ROLE_ORDER) {
    legend.push(`<circle cx="${num(lx + 6)}" cy="${num(ly - 4)}" r="5" fill="${ROLE_COLOURS[r]}"/><text x="${num(lx + 16)}" y="${num(ly)}" fill="#222">${escapeXml(ROLE_LABELS[r])}</text>`);
    ly += 14;
  }
  legend.push(`<circle cx="${num(lx + 6)}" cy="${num(ly - 4)}" r="5" fill="#fff" stroke="#263238" stroke-width="1.5"/><text x="${num(lx + 16)}" y="${num(ly)}" fill="#222">internal (solid outline)</text>`);
  ly += 14;
  legend.push(`<circle cx="${num(lx + 6)}" cy="${num(ly - 4)}" r="5" fill="#fff" stroke="#263238" stroke-width="1.5" stroke-dasharray="${EXTERNAL_DASH.join(' ')}"/><text x="${num(lx + 16)}" y="${num(ly)}" fill="#222">external (dashed outline)</text>`);
  ly += 20;
  heading('Edge colour: outcome');
  for (const oc of OUTCOME_ORDER) {
    legend.push(`<line x1="${num(lx)}" y1="${num(ly - 4)}" x2="${num(lx + 12)}" y2="${num(ly - 4)}" stroke="${OUTCOME_COLOURS[oc]}" stroke-width="4"/><text x="${num(lx + 16)}" y="${num(ly)}" fill="#222">${escapeXml(OUTCOME_LABELS[oc])}</text>`);
    ly += 14;
  }
  ly += 6;
  heading('Badge: annotations');
  legend.push(`<circle cx="${num(lx + 6)}" cy="${num(ly - 4)}" r="${BADGE_R}" fill="${badgeColour({ count: 1, tags: ['malicious'] })}" stroke="#ffffff" stroke-width="1.5"/><text x="${num(lx + 16)}" y="${num(ly)}" fill="#222">worst tag's colour; count if &gt; 1</text>`);
  ly += 20;
  legend.push(`<text x="${num(lx)}" y="${num(ly)}" fill="#555">Area and width: ${escapeXml(measure)}</text>`);
  legend.push('</g>');
  out.push(...legend);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
