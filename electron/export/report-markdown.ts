/**
 * The draft incident report as Markdown. All text, ours and the packets', goes through
 * escapeMarkdown; only the structural markup (headings, tables, lists) is written raw.
 */
import type { CaseDb } from '../../db/open-case';
import { escapeMarkdown as esc } from './markdown-escape';
import { buildReport } from './report-content';
import type { Block, ReportDoc, ReportOptions } from './report-model';
import { linkToken } from './report-links';
import { packetHref } from '../../renderer/src/lib/packet-link';

/** Placeholders are our own text, written raw so the editor can find "[Analyst: …]" in the source. */
export function placeholderMarkdown(text: string): string {
  return `[Analyst: ${text.replace(/[\[\]\r\n]/g, ' ')}]`;
}

export interface BlockMarkdownOptions {
  /** Write linked numbers as {{finding:3:attackSyns}} tokens (the stored report), not as values. */
  linked?: boolean;
}

/** A packet number as a citation that links back to the packet: `[1234](#packet=1234)`. */
export function packetCitation(packetId: number, text = String(packetId)): string {
  return `[${esc(text)}](${packetHref(packetId)})`;
}

export function blockMarkdown(b: Block, opts: BlockMarkdownOptions = {}): string {
  switch (b.type) {
    case 'p':
      return esc(b.text);
    case 'placeholder':
      return placeholderMarkdown(b.text);
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${esc(item)}`).join('\n');
    case 'table': {
      const cell = (c: string, i: number, links?: Array<string | undefined>) =>
        opts.linked && links?.[i] ? linkToken(links[i]!) : i === b.packetColumn && /^[1-9][0-9]{0,14}$/.test(c) ? packetCitation(Number(c)) : esc(c);
      const row = (cells: string[], links?: Array<string | undefined>) => `| ${cells.map((c, i) => cell(c, i, links) || ' ').join(' | ')} |`;
      const head = `| ${b.head.map((h) => esc(h) || ' ').join(' | ')} |`;
      const lines = [head, `|${b.head.map(() => ' --- ').join('|')}|`, ...b.rows.map((r, i) => row(r, b.links?.[i]))];
      return (b.caption ? `**${esc(b.caption)}**\n\n` : '') + lines.join('\n');
    }
  }
}

export function renderMarkdown(doc: ReportDoc): string {
  const out: string[] = [`# ${esc(doc.title)}`, ...doc.status.map((p) => `> ${esc(p)}`), ...doc.preface.map((p) => `_${esc(p)}_`)];
  for (const s of doc.sections) {
    out.push(`${'#'.repeat(s.level)} ${esc(s.title)}`);
    for (const b of s.blocks) out.push(blockMarkdown(b));
  }
  return out.join('\n\n') + '\n';
}

export function renderReportMarkdown(db: CaseDb, opts?: ReportOptions): string {
  return renderMarkdown(buildReport(db, opts));
}
