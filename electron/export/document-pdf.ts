/**
 * A report as PDF, with pdfkit: pure JavaScript, so the desktop app, browser mode and the CLI all
 * make the same file offline. The analyst's Markdown is parsed with markdown-it (raw HTML off) and
 * laid out block by block: headings, paragraphs, lists, code and tables. Every page carries a
 * header with the case name, the report's status and hash, and a "Page n of N" footer.
 *
 * Text is drawn as text, never interpreted: a packet's "<script>" is just glyphs, and links become
 * their text with no PDF link action, except packet citations (`[1234](#packet=1234)`), which get a
 * link annotation to flowcase://packet/1234?case=ID and stay the readable number. A Unicode TrueType font (DejaVu Sans) is embedded so
 * non-Latin text renders; without one, the standard Helvetica is used and characters outside
 * Latin-1 are replaced by "?", which the PDF says on its first page.
 */
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { citedPacket, markdownIt } from './markdown-html';
import { packetUrl } from '../../renderer/src/lib/packet-link';

type Token = ReturnType<ReturnType<typeof markdownIt>['parse']>[number];
import { stripControls } from './markdown-escape';
import type { DocumentHeader } from './document-html';
import { drawSvg, parseSvg, viewBoxOf } from './figures/svg-pdf';
import type { ReportFigure } from './figures/report-figure';

export type Paper = 'A4' | 'LETTER';

export interface PdfOptions {
  paper?: Paper;
  /** Folders searched for DejaVuSans.ttf (tests pass [] to exercise the fallback). */
  fontDirs?: string[];
  /** The report's figures, each drawn from its SVG as vector shapes and text (figures/svg-pdf.ts). */
  figures?: ReportFigure[];
}

export const DEFAULT_FONT_DIRS = [
  process.env.FLOWCASE_PDF_FONT_DIR ?? '',
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/local/share/fonts',
  '/Library/Fonts',
].filter(Boolean);

interface Fonts { body: string; bold: string; mono: string; unicode: boolean }

function registerFonts(doc: PDFKit.PDFDocument, dirs: string[]): Fonts {
  const find = (file: string) => dirs.map((d) => path.join(d, file)).find((p) => fs.existsSync(p));
  const body = find('DejaVuSans.ttf');
  if (body) {
    doc.registerFont('body', body);
    doc.registerFont('bold', find('DejaVuSans-Bold.ttf') ?? body);
    doc.registerFont('mono', find('DejaVuSansMono.ttf') ?? body);
    return { body: 'body', bold: 'bold', mono: 'mono', unicode: true };
  }
  return { body: 'Helvetica', bold: 'Helvetica-Bold', mono: 'Courier', unicode: false };
}

const MARGIN = 56;
/** Longest cell word (pt) a column widens for; longer words (hashes) wrap inside the cell. */
const WORD_CAP = 110;
const HEADER_Y = 24;
const LINK_COLOUR = '#0550ae';

/** A run of inline text; `link` set for a cited packet. */
interface Segment { text: string; link: string | null }
type PacketUrlOf = (packetId: number) => string;

class Layout {
  readonly doc: PDFKit.PDFDocument;
  readonly fonts: Fonts;
  constructor(doc: PDFKit.PDFDocument, fonts: Fonts) { this.doc = doc; this.fonts = fonts; }

  text(s: string): string {
    const clean = stripControls(s);
    // The standard fonts only carry WinAnsi: anything else would come out as garbage glyphs.
    return this.fonts.unicode ? clean : clean.replace(/[^\t\n\x20-\x7e\xa0-\xff]/g, '?');
  }

  get width(): number { return this.doc.page.width - 2 * MARGIN; }
  get bottom(): number { return this.doc.page.height - MARGIN; }

  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(s: string, level: number): void {
    const size = level === 1 ? 18 : level === 2 ? 14 : 12;
    this.ensure(size * 3);
    this.doc.moveDown(level === 1 ? 0 : 0.6).font(this.fonts.bold).fontSize(size)
      .text(this.text(s), MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(s: string | Segment[], opts: { indent?: number; font?: string; size?: number; bullet?: string } = {}): void {
    const size = opts.size ?? 10;
    const indent = opts.indent ?? 0;
    this.doc.font(opts.font ?? this.fonts.body).fontSize(size);
    this.ensure(size * 1.6);
    const x = MARGIN + indent;
    if (opts.bullet) this.doc.text(this.text(opts.bullet), x - 14, this.doc.y, { width: 14, continued: false, lineBreak: false });
    if (opts.bullet) this.doc.y -= this.doc.currentLineHeight(true);
    const segments = (typeof s === 'string' ? [{ text: s, link: null }] : s).filter((g) => g.text !== '');
    // Each run of text its own fragment; a cited packet's carries its link (pdfkit keeps continued
    // options, so every fragment states its link, null included).
    segments.forEach((g, i) => {
      const o = { width: this.width - indent, lineGap: 1.5, continued: i < segments.length - 1, link: g.link };
      this.doc.fillColor(g.link ? LINK_COLOUR : '#000');
      if (i === 0) this.doc.text(this.text(g.text), x, this.doc.y, o);
      else this.doc.text(this.text(g.text), o);
    });
    this.doc.fillColor('#000');
    this.doc.moveDown(0.4);
  }

  table(head: string[], rows: string[][], links: Array<Array<string | null>> = []): void {
    const doc = this.doc;
    const size = 7.5, pad = 3;
    const cols = Math.max(head.length, ...rows.map((r) => r.length));
    const cell = (r: string[], i: number) => this.text(r[i] ?? '');
    // A column is never narrower than its header's longest word, nor than its cells' longest word
    // up to WORD_CAP (so "Severity", "complete" or a file name never break mid-word; a 64-digit hash may).
    const longestWord = (text: string) => Math.max(0, ...text.split(/\s+/).map((w) => doc.widthOfString(w)));
    doc.font(this.fonts.bold).fontSize(size);
    const headMin = Array.from({ length: cols }, (_, i) => longestWord(cell(head, i)));
    doc.font(this.fonts.body).fontSize(size);
    const cellMin = (i: number) => Math.min(WORD_CAP, Math.max(0, ...rows.slice(0, 200).map((r) => longestWord(cell(r, i)))));
    const minW = headMin.map((h, i) => Math.max(h, 12, cellMin(i)) + 2 * pad);
    const want = Array.from({ length: cols }, (_, i) => {
      const sample = rows.slice(0, 200).map((r) => Math.min(doc.widthOfString(cell(r, i)), 260));
      return Math.max(minW[i], ...sample.map((w) => w + 2 * pad));
    });
    const widths = fitWidths(minW, want, this.width);
    const drawRow = (r: string[], bold: boolean, rowLinks: Array<string | null> = []) => {
      doc.font(bold ? this.fonts.bold : this.fonts.body).fontSize(size);
      const h = Math.max(...widths.map((w, i) => doc.heightOfString(cell(r, i) || ' ', { width: w - 2 * pad }))) + 2 * pad;
      if (doc.y + h > this.bottom) {
        doc.addPage();
        // The header row again on the new page, then back to this row's font.
        if (!bold) { drawRow(head, true); doc.font(this.fonts.body).fontSize(size); }
      }
      const y = doc.y;
      let x = MARGIN;
      widths.forEach((w, i) => {
        if (bold) doc.rect(x, y, w, h).fillAndStroke('#f0f2f4', '#c8ced6').fillColor('#000');
        else doc.rect(x, y, w, h).strokeColor('#c8ced6').stroke();
        doc.fillColor(rowLinks[i] ? LINK_COLOUR : '#000').text(cell(r, i), x + pad, y + pad, { width: w - 2 * pad, link: rowLinks[i] ?? null });
        x += w;
      });
      doc.x = MARGIN;
      doc.y = y + h;
    };
    this.ensure(40);
    doc.lineWidth(0.5);
    drawRow(head, true);
    rows.forEach((r, i) => drawRow(r, false, links[i]));
    doc.fillColor('#000');
    doc.moveDown(0.6);
  }
}

/** Shares the width out: every column gets its minimum, the rest goes where the content is wider. */
export function fitWidths(min: number[], want: number[], total: number): number[] {
  const minSum = min.reduce((a, b) => a + b, 0);
  if (minSum >= total) return min.map((m) => (m / minSum) * total);
  const extra = want.map((w, i) => Math.max(0, w - min[i]));
  const extraSum = extra.reduce((a, b) => a + b, 0);
  const spare = total - minSum;
  if (extraSum <= spare) {
    const leftover = (spare - extraSum) / min.length;
    return min.map((m, i) => m + extra[i] + leftover);
  }
  return min.map((m, i) => m + (extra[i] / extraSum) * spare);
}

/** The inline token's text in runs, each cited packet its own run with its link. */
function inlineSegments(t: Token, urlOf: PacketUrlOf | undefined): Segment[] {
  const out: Segment[] = [];
  let link: string | null = null;
  for (const c of t.children ?? []) {
    if (c.type === 'link_open') { const id = citedPacket(c); link = id !== null && urlOf ? urlOf(id) : null; continue; }
    if (c.type === 'link_close') { link = null; continue; }
    const text = c.type === 'softbreak' ? ' ' : c.type === 'hardbreak' ? '\n' : c.content;
    const last = out[out.length - 1];
    if (last && last.link === link) last.text += text;
    else out.push({ text, link });
  }
  return out;
}

function inlineText(t: Token): string {
  return (t.children ?? []).map((c) => {
    if (c.type === 'softbreak') return ' ';
    if (c.type === 'hardbreak') return '\n';
    return c.content;
  }).join('');
}

function renderMarkdown(layout: Layout, markdown: string, urlOf?: PacketUrlOf): void {
  const tokens = markdownIt().parse(markdown, {});
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let table: { head: string[]; rows: string[][]; links: Array<Array<string | null>>; inHead: boolean; row: string[]; rowLinks: Array<string | null> } | null = null;
  let quote = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open': layout.heading(inlineText(tokens[i + 1]), Math.min(3, Number(t.tag.slice(1)) + 1)); i += 2; break;
      case 'bullet_list_open': lists.push({ ordered: false, n: 0 }); break;
      case 'ordered_list_open': lists.push({ ordered: true, n: Number(t.attrGet('start') ?? 1) - 1 }); break;
      case 'bullet_list_close': case 'ordered_list_close': lists.pop(); layout.doc.moveDown(0.2); break;
      case 'list_item_open': { const l = lists[lists.length - 1]; if (l) l.n++; break; }
      case 'blockquote_open': quote++; break;
      case 'blockquote_close': quote--; break;
      case 'table_open': table = { head: [], rows: [], links: [], inHead: false, row: [], rowLinks: [] }; break;
      case 'thead_open': if (table) table.inHead = true; break;
      case 'thead_close': if (table) table.inHead = false; break;
      case 'tr_open': if (table) { table.row = []; table.rowLinks = []; } break;
      case 'tr_close': if (table) { if (table.inHead) table.head = table.row; else { table.rows.push(table.row); table.links.push(table.rowLinks); } } break;
      case 'table_close': if (table) layout.table(table.head, table.rows, table.links); table = null; break;
      case 'inline':
        if (table) {
          table.row.push(inlineText(t));
          table.rowLinks.push(inlineSegments(t, urlOf).find((g) => g.link)?.link ?? null);
          break;
        }
        if (tokens[i - 1]?.type === 'paragraph_open') {
          const l = lists[lists.length - 1];
          const first = l && tokens[i - 2]?.type === 'list_item_open';
          layout.paragraph(inlineSegments(t, urlOf), {
            indent: 16 * lists.length + 12 * quote,
            bullet: first ? (l.ordered ? `${l.n}.` : '•') : undefined,
          });
        }
        break;
      case 'fence': case 'code_block':
        layout.paragraph(t.content.replace(/\n$/, ''), { font: layout.fonts.mono, size: 8, indent: 8 });
        break;
      case 'hr':
        layout.ensure(12);
        layout.doc.moveTo(MARGIN, layout.doc.y + 4).lineTo(MARGIN + layout.width, layout.doc.y + 4).strokeColor('#c8ced6').stroke();
        layout.doc.moveDown(0.8);
        break;
      default: break;
    }
  }
}

export interface PdfSection { title: string; level: number; markdown: string }

export function documentPdf(title: string, sections: PdfSection[], header: DocumentHeader, opts: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: opts.paper ?? 'A4', bufferPages: true, autoFirstPage: true,
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: { Title: title, Producer: 'Flowcase', Creator: 'Flowcase' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  const fonts = registerFonts(doc, opts.fontDirs ?? DEFAULT_FONT_DIRS);
  const layout = new Layout(doc, fonts);
  const urlOf: PacketUrlOf = (packetId) => packetUrl({ packetId, caseId: header.caseId ?? null });
  layout.heading(title, 1);
  for (const line of header.caseStatus ?? []) layout.paragraph(line, { size: 8 });
  if (!fonts.unicode) layout.paragraph('Note: no Unicode font was found on this system; characters outside Latin-1 are shown as "?".', { size: 8 });
  for (const s of sections) {
    layout.heading(s.title, s.level);
    renderMarkdown(layout, s.markdown, urlOf);
  }
  if (opts.figures?.length) drawFigures(layout, opts.figures);
  stampPages(layout, header);
  doc.end();
  return done;
}

/** Each figure from the same SVG markup the HTML embeds, fitted to the text width, caption below. */
function drawFigures(layout: Layout, figures: ReportFigure[]): void {
  const doc = layout.doc;
  layout.heading('Figures', 2);
  const fonts = { body: layout.fonts.body, bold: layout.fonts.bold, text: (s: string) => layout.text(s) };
  for (const f of figures) {
    const svg = parseSvg(f.svg);
    if (!svg) continue;
    const vb = viewBoxOf(svg);
    const maxHeight = layout.bottom - MARGIN - 60;
    const height = Math.min(maxHeight, (vb.height * layout.width) / vb.width);
    layout.ensure(height + 40);
    const top = doc.y;
    const box = drawSvg(doc, svg, fonts, MARGIN, top, layout.width, maxHeight);
    doc.x = MARGIN;
    doc.y = top + box.height + 4;
    doc.font(layout.fonts.body).fontSize(8).fillColor('#444')
      .text(layout.text(f.caption), MARGIN, doc.y, { width: layout.width, lineGap: 1 });
    doc.fillColor('#000');
    doc.moveDown(1.2);
  }
}

function stampPages(layout: Layout, header: DocumentHeader): void {
  const doc = layout.doc;
  const range = doc.bufferedPageRange();
  const top = layout.text(`${header.caseName} · ${header.status}${header.sha256 ? ` · SHA-256 ${header.sha256}` : ''}`);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    // Writing inside the margins must not trigger pdfkit's automatic page break.
    doc.page.margins.bottom = 0;
    doc.font(layout.fonts.body).fontSize(7).fillColor('#555');
    doc.text(top, MARGIN, HEADER_Y, { width: layout.width, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 4, { width: layout.width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
    doc.fillColor('#000');
  }
}
