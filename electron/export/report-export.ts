/**
 * One entry point for every report export (CLI, IPC, bundle): which text (the stored report's
 * latest or finalised version, a numbered version, or a fresh draft when the case has none) in
 * which format (Markdown, HTML, PDF). A finalised version exports its frozen, hashed text.
 */
import path from 'node:path';
import type { CaseDb } from '../../db/open-case';
import { latestDocumentId, latestFinalisedVersionId, latestVersionId, readVersion, versionIdByNumber, type StoredSection } from '../../db/report-store';
import { buildReport } from './report-content';
import { analystNotesSection, documentMarkdown, draftSections, ReportError, resolvedSections, type StoredVersion } from './report-document';
import { readLinkValues, resolveLinks } from './report-links';
import { reportStatusLines } from './report-status';
import { escapeMarkdown } from './markdown-escape';

function resolveAll(db: CaseDb, sections: StoredSection[]): StoredSection[] {
  const values = readLinkValues(db);
  return sections.map((s) => ({ ...s, markdown: resolveLinks(s.markdown, values) }));
}
import { documentHtml, type DocumentHeader } from './document-html';
import { documentPdf, type Paper, type PdfOptions } from './document-pdf';
import { reportFigures } from './figures/report-figures';
import { caseLinkId } from '../query/case-link-id';
import type { ReportFigure } from './figures/report-figure';

export type ReportFormat = 'md' | 'html' | 'pdf';
/** 'latest' (default), 'finalised' (the newest finalised version) or a version number. */
export type VersionChoice = 'latest' | 'finalised' | number;

export interface ExportRequest { format: ReportFormat; version?: VersionChoice; paper?: Paper; fontDirs?: string[] }

export interface ReportText {
  title: string;
  sections: StoredSection[];
  header: DocumentHeader;
  /** The Markdown as exported: the frozen text for a finalised version. */
  markdown: string;
  version: number | null;
  sha256: string | null;
}

function pickVersion(db: CaseDb, documentId: number, choice: VersionChoice): StoredVersion {
  const id = choice === 'latest' ? latestVersionId(db, documentId)
    : choice === 'finalised' ? latestFinalisedVersionId(db, documentId)
      : versionIdByNumber(db, documentId, choice);
  const v = id !== null ? readVersion(db, id) : null;
  if (!v) throw new ReportError(choice === 'finalised' ? 'the report has no finalised version yet' : `report version ${choice} not found`);
  return v;
}

export function reportText(db: CaseDb, choice: VersionChoice = 'latest'): ReportText {
  const caseName = path.basename(db.name);
  // Finding 8 of the evidence-safety issue: every format says first whether the case is complete
  // and whether each capture is still the file that was indexed, as checked now.
  const caseStatus = reportStatusLines(db);
  const caseId = caseLinkId(db);
  const documentId = latestDocumentId(db);
  if (documentId === null) {
    if (choice !== 'latest') throw new ReportError('the case has no stored report yet: open the Report view (or run `flowcase report --finalise`) first');
    const doc = buildReport(db);
    const sections = resolveAll(db, draftSections(doc, analystNotesSection(db)));
    return { title: doc.title, sections, header: { caseName, status: 'Draft generated from the findings (not saved)', sha256: null, caseStatus, caseId },
      markdown: documentMarkdown(doc.title, sections), version: null, sha256: null };
  }
  const v = pickVersion(db, documentId, choice);
  if (v.finalisedAt && v.frozenMarkdown !== null) {
    return { title: v.title, sections: v.frozenSections ?? v.sections, header: { caseName, status: `Finalised version ${v.number}`, sha256: v.contentSha256, caseStatus, caseId },
      markdown: v.frozenMarkdown, version: v.number, sha256: v.contentSha256 };
  }
  const sections = resolvedSections(db, v);
  return { title: v.title, sections, header: { caseName, status: `Draft version ${v.number} (not finalised)`, sha256: null, caseStatus, caseId },
    markdown: documentMarkdown(v.title, sections), version: v.number, sha256: null };
}

/**
 * The status lines as a quote above the report's Markdown. They are checked at export time and are
 * not part of the stored (or, once finalised, hashed) text, which follows them unchanged.
 */
function statusMarkdown(t: ReportText, figuresAfter: boolean): string {
  const lines = t.header.caseStatus ?? [];
  if (!lines.length) return '';
  const hashed = t.sha256 ? [`> The finalised report text below this quote${figuresAfter ? ', up to the Figures after the rule,' : ''} is hashed: SHA-256 ${t.sha256}.`] : [];
  return [...lines.map((l) => `> ${escapeMarkdown(l)}`), ...hashed].join('\n>\n') + '\n\n';
}

/**
 * The figures after the report text, in Markdown, as images of the SVG files beside it (the bundle
 * writes them to data/figures/, so `figureDir` is "../figures/"). A Markdown file on its own has
 * no figures to point at and gets none. They follow a rule and a note, so the hashed text of a
 * finalised report stays whole between the status quote and the rule.
 */
export function figuresMarkdown(figures: ReportFigure[], figureDir?: string): string {
  if (!figures.length || figureDir === undefined) return '';
  return `\n---\n\n## Figures\n\n_Drawn from the case when this file was written; not part of the report text._\n\n`
    + `${figures.map((f) => `![${escapeMarkdown(f.title)}](${figureDir}${f.file})\n\n${escapeMarkdown(f.caption)}`).join('\n\n')}\n`;
}

export interface RenderOptions extends PdfOptions {
  /** Markdown only: where the figure files are, relative to the Markdown file. */
  figureDir?: string;
}

export async function renderReportText(t: ReportText, format: ReportFormat, figures: ReportFigure[], opts: RenderOptions = {}): Promise<Buffer> {
  switch (format) {
    case 'md': {
      const after = figuresMarkdown(figures, opts.figureDir);
      return Buffer.from(statusMarkdown(t, after !== '') + t.markdown + after, 'utf8');
    }
    case 'html': return Buffer.from(documentHtml(t.title, t.sections, t.header, figures), 'utf8');
    case 'pdf': return documentPdf(t.title, t.sections, t.header, { ...opts, figures });
  }
}

export async function exportReport(db: CaseDb, req: ExportRequest): Promise<{ bytes: Buffer; text: ReportText }> {
  const text = reportText(db, req.version ?? 'latest');
  const figures = await reportFigures(db);
  return { bytes: await renderReportText(text, req.format, figures, { paper: req.paper, fontDirs: req.fontDirs }), text };
}

export function formatFromPath(file: string): ReportFormat | null {
  const ext = path.extname(file).toLowerCase();
  return ext === '.md' || ext === '.markdown' ? 'md' : ext === '.html' || ext === '.htm' ? 'html' : ext === '.pdf' ? 'pdf' : null;
}
