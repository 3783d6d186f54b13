/**
 * Figure 1 of the report and data/figures/timeline.svg of the bundle: packets over the case's
 * time span with each finding's window shaded, from the same timeline series the app's chart
 * uses. The SVG is plain markup with presentation attributes (no style attribute, no script),
 * so it sits inline in the report's HTML under its strict CSP; every text in it is escaped.
 */
import type { CaseDb } from '../../../db/open-case';
import { timelineSeries } from '../../query/timeline';
import { listFindings } from '../../query/findings';
import { formatUtc } from '../../analysis/case-time';
import { escapeHtml } from '../html-escape';

export interface TimelineFigure {
  title: string;
  startNs: bigint;
  widthNs: bigint;
  totals: number[];
  windows: Array<{ id: number; label: string; severity: string; from: number; to: number }>;
}

const BUCKETS = 120;
const SEVERITY_FILL: Record<string, string> = { critical: '#cf222e', high: '#d1242f', medium: '#bf8700', low: '#0969da', info: '#57606a' };

export function timelineFigure(db: CaseDb): TimelineFigure | null {
  const s = timelineSeries(db, { metric: 'packets', dim: 'proto', buckets: BUCKETS });
  if (s.points.length === 0) return null;
  const n = Math.max(...s.points.map((p) => p.i)) + 1;
  const totals = new Array<number>(n).fill(0);
  for (const p of s.points) totals[p.i] = p.values.reduce((a, b) => a + b, 0);
  const startNs = BigInt(s.startNs);
  const widthNs = BigInt(s.widthNs);
  const at = (ns: string) => Number(BigInt(ns) - startNs) / Number(widthNs);
  const windows = listFindings(db).map((f) => ({ id: f.id, label: `#${f.id} ${f.title}`, severity: f.severity, from: at(f.startTs), to: Math.max(at(f.endTs), at(f.startTs) + 0.5) }));
  return { title: 'Figure 1. Packets over time, with the findings\' time windows', startNs, widthNs, totals, windows };
}

export const FIGURE_W = 760, FIGURE_H = 240;
const PAD_L = 56, PAD_R = 12, PAD_T = 28, PAD_B = 36;

/** The figure's geometry, shared by the SVG and the PDF drawing. */
export function figureLayout(f: TimelineFigure) {
  const plotW = FIGURE_W - PAD_L - PAD_R, plotH = FIGURE_H - PAD_T - PAD_B;
  const max = Math.max(1, ...f.totals);
  const bw = plotW / f.totals.length;
  const x = (i: number) => PAD_L + i * bw;
  const bars = f.totals.map((v, i) => ({ x: x(i), y: PAD_T + plotH - (v / max) * plotH, w: Math.max(0.5, bw - 0.5), h: (v / max) * plotH }));
  const windows = f.windows.map((w, k) => ({ ...w, x: x(w.from), w: Math.max(1.5, (w.to - w.from) * bw), y: PAD_T, h: plotH, labelY: PAD_T + 10 + (k % 6) * 11, fill: SEVERITY_FILL[w.severity] ?? '#57606a' }));
  const endNs = f.startNs + f.widthNs * BigInt(f.totals.length);
  return { plotW, plotH, max, bars, windows, padL: PAD_L, padT: PAD_T, padB: PAD_B, startLabel: formatUtc(f.startNs), endLabel: formatUtc(endNs) };
}

export function timelineSvg(f: TimelineFigure): string {
  const L = figureLayout(f);
  const e = escapeHtml;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FIGURE_W}" height="${FIGURE_H}" viewBox="0 0 ${FIGURE_W} ${FIGURE_H}" role="img" aria-label="${e(f.title)}">`,
    `<rect x="0" y="0" width="${FIGURE_W}" height="${FIGURE_H}" fill="#ffffff"/>`,
    `<text x="${L.padL}" y="16" font-family="sans-serif" font-size="12" font-weight="bold" fill="#1b1f24">${e(f.title)}</text>`,
  ];
  for (const w of L.windows) out.push(`<rect x="${w.x.toFixed(1)}" y="${w.y}" width="${w.w.toFixed(1)}" height="${L.plotH}" fill="${w.fill}" fill-opacity="0.15"/>`);
  for (const b of L.bars) if (b.h > 0) out.push(`<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" fill="#2f6fd6"/>`);
  for (const w of L.windows) out.push(`<text x="${(w.x + 2).toFixed(1)}" y="${w.labelY}" font-family="sans-serif" font-size="9" fill="${w.fill}">${e(w.label.slice(0, 80))}</text>`);
  const baseY = L.padT + L.plotH;
  out.push(`<line x1="${L.padL}" y1="${baseY}" x2="${L.padL + L.plotW}" y2="${baseY}" stroke="#57606a" stroke-width="1"/>`);
  out.push(`<text x="${L.padL - 4}" y="${L.padT + 4}" text-anchor="end" font-family="sans-serif" font-size="9" fill="#57606a">${L.max.toLocaleString('en-US')}</text>`);
  out.push(`<text x="${L.padL - 4}" y="${baseY}" text-anchor="end" font-family="sans-serif" font-size="9" fill="#57606a">0</text>`);
  out.push(`<text x="${L.padL}" y="${baseY + 14}" font-family="sans-serif" font-size="9" fill="#57606a">${e(L.startLabel)}</text>`);
  out.push(`<text x="${L.padL + L.plotW}" y="${baseY + 14}" text-anchor="end" font-family="sans-serif" font-size="9" fill="#57606a">${e(L.endLabel)}</text>`);
  out.push(`<text x="${L.padL + L.plotW / 2}" y="${baseY + 28}" text-anchor="middle" font-family="sans-serif" font-size="9" fill="#57606a">packets per ${e(bucketText(f.widthNs))}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function bucketText(ns: bigint): string {
  const s = Number(ns) / 1e9;
  return s >= 1 ? `${s.toLocaleString('en-US')} s` : `${(s * 1000).toLocaleString('en-US')} ms`;
}
