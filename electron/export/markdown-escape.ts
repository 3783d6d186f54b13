/**
 * Markdown-safe text. The ASCII punctuation CommonMark gives meaning to inside running text is
 * backslash-escaped (CommonMark §2.4), so packet text cannot open raw HTML (`<script>`), links
 * (`[x](…)`), emphasis or code, or break a table cell (`|`). Characters that only matter at the
 * start of a line (lists, headings, quotes) are escaped there. Newlines become spaces, so one
 * value stays one line. Dots, dashes and parentheses stay readable in the raw text.
 */
const INLINE = /[\\`*_[\]<>|&~]/g;
/** Block markers that only count at the start of a line and when followed by a space (CommonMark §4-5). */
const LINE_START = /^(\s*)(?:([-+*#>])(?=\s|$)|(\d{1,9})([.)])(?=\s|$)|(=+)(?=\s*$))/;

export function escapeMarkdown(text: string): string {
  return stripControls(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(INLINE, (c) => `\\${c}`)
    .replace(LINE_START, (_m, sp: string, mark?: string, digits?: string, delim?: string, eq?: string) =>
      mark ? `${sp}\\${mark}` : digits ? `${sp}${digits}\\${delim}` : `${sp}\\${eq}`);
}

/** C0 controls and DEL (except tab) have no business in a report and can confuse viewers. */
export function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}
