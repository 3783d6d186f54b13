/**
 * A stored report version as one self-contained HTML file: inline CSS pinned by hash in a strict
 * CSP, no scripts, no external resources; the analyst's Markdown is rendered by markdown-it with
 * raw HTML off, so every text, ours or the packets', ends up escaped.
 */
import { escapeHtml as esc } from './html-escape';
import { markdownToHtml } from './markdown-html';
import { packetUrl } from '../../renderer/src/lib/packet-link';
import { htmlPage } from './report-html';
import type { StoredSection } from '../../db/report-store';
import type { ReportFigure } from './figures/report-figure';

export interface DocumentHeader {
  caseName: string;
  /** "Finalised version 3" or "Draft version 4 (not finalised)". */
  status: string;
  /** SHA-256 of the finalised text, when finalised. */
  sha256: string | null;
  /** The case status and each capture's integrity as checked at export (report-status.ts); not part of the hashed text. */
  caseStatus?: string[];
  /** The case's link id (query/case-link-id.ts): cited packets link to flowcase://packet/N?case=ID. */
  caseId?: string | null;
}

/** `svg` is markup built by electron/export/figures (escaped text, presentation attributes only). */
export type HtmlFigure = Pick<ReportFigure, 'svg' | 'caption' | 'file'>;

export function documentHtml(title: string, sections: StoredSection[], header: DocumentHeader, figures: HtmlFigure[] = []): string {
  const body: string[] = [
    `<p class="preface">${esc(header.caseName)} · ${esc(header.status)}${header.sha256 ? ` · SHA-256 ${esc(header.sha256)}` : ''}</p>`,
    `<h1>${esc(title)}</h1>`,
    ...(header.caseStatus ?? []).map((line) => `<p class="case-status">${esc(line)}</p>`),
  ];
  // A cited packet links to the desktop app (which registers flowcase:); where nothing handles the
  // scheme the number is still the plain text of the link.
  const env = { packetUrl: (packetId: number) => packetUrl({ packetId, caseId: header.caseId ?? null }) };
  for (const s of sections) {
    body.push(`<h${s.level}>${esc(s.title)}</h${s.level}>`, markdownToHtml(s.markdown, env));
  }
  if (figures.length) {
    body.push('<h2>Figures</h2>');
    // Inline SVG needs no xmlns in HTML (the parser puts <svg> in the SVG namespace); no URL in the page.
    for (const f of figures) body.push(`<figure id="${esc(f.file.replace(/\.svg$/, ''))}">${f.svg.replace(' xmlns="http://www.w3.org/2000/svg"', '')}<figcaption>${esc(f.caption)}</figcaption></figure>`);
  }
  return htmlPage(title, body);
}
