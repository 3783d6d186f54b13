/**
 * Draws a report figure's SVG into a pdfkit document as vector shapes and real text, so the PDF
 * shows the same figure as the HTML from the same markup (one source of geometry per figure).
 *
 * It reads only the subset our own figure renderers write (timeline-figure.ts, graph-svg.ts,
 * handshake-svg.ts): svg (viewBox), g, rect, circle, line, path, text, defs/marker (arrowheads on
 * `marker-end`), title (skipped); attributes always double-quoted; presentation attributes fill,
 * stroke, stroke-width, stroke-dasharray, fill-opacity, stroke-opacity, opacity, font-size,
 * font-weight, text-anchor, inherited from groups; a text halo (stroke with paint-order="stroke") as a backdrop. The markup is ours, not the capture's: packet
 * text only ever appears inside it as escaped character data, which is decoded here and drawn as
 * glyphs. Anything else is ignored, never interpreted.
 */

export interface SvgNode { name: string; attrs: Record<string, string>; children: SvgNode[]; text: string }

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

const TOKEN = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<[!?][^>]*>|([^<]+)/g;
const ATTR = /([\w:.-]+)="([^"]*)"/g;

/** Parses the markup into a tree (elements and their text). Unbalanced markup closes what it can. */
export function parseSvg(svg: string): SvgNode | null {
  const root: SvgNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  for (const m of svg.matchAll(TOKEN)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) { top.text += decodeXml(m[5]); continue; }
    if (!m[2]) continue; // comment, doctype, processing instruction
    if (m[1]) {
      const at = stack.map((n) => n.name).lastIndexOf(m[2]);
      if (at > 0) stack.length = at;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(ATTR)) attrs[a[1]] = decodeXml(a[2]);
    const node: SvgNode = { name: m[2], attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  return root.children.find((n) => n.name === 'svg') ?? null;
}

export interface SvgBox { x: number; y: number; width: number; height: number }

export function viewBoxOf(svg: SvgNode): SvgBox {
  const vb = (svg.attrs.viewBox ?? '').trim().split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb.every(Number.isFinite) && vb[2] > 0 && vb[3] > 0) return { x: vb[0], y: vb[1], width: vb[2], height: vb[3] };
  return { x: 0, y: 0, width: Number(svg.attrs.width) || 100, height: Number(svg.attrs.height) || 100 };
}

export interface SvgFonts { body: string; bold: string; text: (s: string) => string }

interface Style {
  fill: string; stroke: string; strokeWidth: number; dash: string; fillOpacity: number; strokeOpacity: number;
  fontSize: number; bold: boolean; anchor: string;
}

const INHERITED: Style = {
  fill: '#000000', stroke: 'none', strokeWidth: 1, dash: 'none', fillOpacity: 1, strokeOpacity: 1, fontSize: 16, bold: false, anchor: 'start',
};

function styleOf(n: SvgNode, parent: Style): Style {
  const a = n.attrs;
  const opacity = a.opacity !== undefined ? Number(a.opacity) : 1;
  const numOr = (v: string | undefined, d: number) => (v !== undefined && Number.isFinite(Number(v)) ? Number(v) : d);
  return {
    fill: a.fill ?? parent.fill,
    stroke: a.stroke ?? parent.stroke,
    strokeWidth: numOr(a['stroke-width'], parent.strokeWidth),
    dash: a['stroke-dasharray'] ?? parent.dash,
    fillOpacity: numOr(a['fill-opacity'], parent.fillOpacity) * opacity,
    strokeOpacity: numOr(a['stroke-opacity'], parent.strokeOpacity) * opacity,
    fontSize: numOr(a['font-size'], parent.fontSize),
    bold: a['font-weight'] !== undefined ? a['font-weight'] === 'bold' || Number(a['font-weight']) >= 600 : parent.bold,
    anchor: a['text-anchor'] ?? parent.anchor,
  };
}

const COLOUR = /^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,20})$/;
const paints = (c: string) => c !== 'none' && c !== 'transparent' && COLOUR.test(c);

class SvgPainter {
  private readonly markers = new Map<string, SvgNode>();
  constructor(private readonly doc: PDFKit.PDFDocument, private readonly fonts: SvgFonts) {}

  draw(svg: SvgNode): void {
    this.collectMarkers(svg);
    this.children(svg, styleOf(svg, INHERITED));
  }

  private collectMarkers(n: SvgNode): void {
    if (n.name === 'marker' && n.attrs.id) this.markers.set(n.attrs.id, n);
    for (const c of n.children) this.collectMarkers(c);
  }

  private children(n: SvgNode, style: Style): void {
    for (const c of n.children) this.node(c, style);
  }

  private num(n: SvgNode, key: string): number {
    const v = Number(n.attrs[key] ?? 0);
    return Number.isFinite(v) ? v : 0;
  }

  private node(n: SvgNode, parent: Style): void {
    const s = styleOf(n, parent);
    const doc = this.doc;
    switch (n.name) {
      case 'g': case 'a': this.children(n, s); return;
      case 'rect': {
        const w = this.num(n, 'width'); const h = this.num(n, 'height');
        if (w > 0 && h > 0) this.paint(() => doc.rect(this.num(n, 'x'), this.num(n, 'y'), w, h), s);
        return;
      }
      case 'circle': {
        const r = this.num(n, 'r');
        if (r > 0) this.paint(() => doc.circle(this.num(n, 'cx'), this.num(n, 'cy'), r), s);
        return;
      }
      case 'line': {
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => this.num(n, k));
        this.paint(() => doc.moveTo(x1, y1).lineTo(x2, y2), { ...s, fill: 'none' });
        const marker = /^url\(#([\w-]+)\)$/.exec(n.attrs['marker-end'] ?? '');
        if (marker) this.marker(marker[1], x1, y1, x2, y2, s.strokeWidth);
        return;
      }
      case 'path': {
        const d = n.attrs.d ?? '';
        if (/^[MmLlHhVvZzCcQqAaSsTt0-9eE.,\s+-]*$/.test(d) && d) this.paint(() => doc.path(d), s);
        return;
      }
      case 'text': this.text(n, s); return;
      default: return; // defs, marker (drawn where used), title, desc, anything unknown
    }
  }

  private paint(shape: () => void, s: Style): void {
    const doc = this.doc;
    const fill = paints(s.fill);
    const stroke = paints(s.stroke) && s.strokeWidth > 0;
    if (!fill && !stroke) return;
    doc.save();
    shape();
    if (stroke) {
      doc.lineWidth(s.strokeWidth).strokeOpacity(s.strokeOpacity);
      const dash = s.dash.split(/[\s,]+/).map(Number).filter((v) => Number.isFinite(v) && v > 0);
      if (dash.length >= 1) doc.dash(dash[0], { space: dash[1] ?? dash[0] });
    }
    if (fill) doc.fillOpacity(s.fillOpacity);
    if (fill && stroke) doc.fillAndStroke(s.fill, s.stroke);
    else if (fill) doc.fill(s.fill);
    else doc.stroke(s.stroke);
    doc.restore();
  }

  /** SVG 2 §11.6: the marker's viewBox mapped to markerWidth × markerHeight stroke widths, refX/refY on the end point, turned along the line. */
  private marker(id: string, x1: number, y1: number, x2: number, y2: number, strokeWidth: number): void {
    const m = this.markers.get(id);
    if (!m) return;
    const vb = viewBoxOf({ ...m, attrs: { width: m.attrs.markerWidth ?? '3', height: m.attrs.markerHeight ?? '3', ...m.attrs } });
    const mw = Number(m.attrs.markerWidth ?? 3); const mh = Number(m.attrs.markerHeight ?? 3);
    const doc = this.doc;
    doc.save();
    doc.translate(x2, y2);
    if ((m.attrs.orient ?? '').startsWith('auto')) doc.rotate((Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI);
    doc.scale((strokeWidth * mw) / vb.width, (strokeWidth * mh) / vb.height);
    doc.translate(-Number(m.attrs.refX ?? 0) - vb.x, -Number(m.attrs.refY ?? 0) - vb.y);
    this.children(m, styleOf(m, INHERITED));
    doc.restore();
  }

  private text(n: SvgNode, s: Style): void {
    const body = this.fonts.text(collectText(n)).replace(/\s+/g, ' ');
    if (!body.trim() || !paints(s.fill)) return;
    const doc = this.doc;
    doc.save();
    doc.font(s.bold ? this.fonts.bold : this.fonts.body).fontSize(s.fontSize);
    const w = doc.widthOfString(body);
    const x = this.num(n, 'x') - (s.anchor === 'middle' ? w / 2 : s.anchor === 'end' ? w : 0);
    const y = this.num(n, 'y');
    if (n.attrs['paint-order'] === 'stroke' && paints(s.stroke)) {
      // A label's halo (a wide stroke painted under the glyphs): a backdrop in the stroke colour,
      // so edges under the label do not cross it; the text itself is drawn once, for pdftotext.
      doc.rect(x - 1, y - s.fontSize * 0.8, w + 2, s.fontSize * 1.05).fillOpacity(0.85).fill(s.stroke);
    }
    doc.fillOpacity(s.fillOpacity).fillColor(s.fill);
    doc.text(body, x, y, { lineBreak: false, baseline: 'alphabetic' });
    doc.restore();
  }
}

/** A text element's characters, <title> children excluded (they are tooltips, not drawn). */
function collectText(n: SvgNode): string {
  return n.text + n.children.filter((c) => c.name !== 'title').map(collectText).join('');
}

/**
 * Draws `svg` with its viewBox fitted into the box at (x, y) of width `width` and at most
 * `maxHeight` (aspect kept); returns the height used. Text cannot trigger a page break.
 */
export function drawSvg(doc: PDFKit.PDFDocument, svg: SvgNode, fonts: SvgFonts, x: number, y: number, width: number, maxHeight: number): { width: number; height: number } {
  const vb = viewBoxOf(svg);
  const k = Math.min(width / vb.width, maxHeight / vb.height);
  const box = { width: vb.width * k, height: vb.height * k };
  const bottom = doc.page.margins.bottom;
  const at = { x: doc.x, y: doc.y };
  doc.page.margins.bottom = 0;
  doc.save();
  doc.rect(x, y, box.width, box.height).clip();
  doc.translate(x, y).scale(k).translate(-vb.x, -vb.y);
  new SvgPainter(doc, fonts).draw(svg);
  doc.restore();
  doc.page.margins.bottom = bottom;
  // Drawing text moves pdfkit's cursor (in the figure's coordinates): put it back.
  doc.x = at.x;
  doc.y = at.y;
  return box;
}
