/**
 * "Copy cell" / "Copy row" for the tables. A row is copied as its cells' full text (not the
 * ellipsis) joined by tabs, so it pastes into a spreadsheet or a note column by column. Cell text is
 * packet content (attacker-controlled): it only ever goes to the clipboard as plain text.
 */
import { joinRow } from './row-text.js';

export { joinRow };

/** Cells of a row: the elements marked `data-cell` (the marker and button columns are not). */
export function rowCellTexts(row: Element): string[] {
  return [...row.querySelectorAll('[data-cell]')].map(cellText);
}

/** A cell's full text: its `data-copy` if set, else its text with runs of white space collapsed. */
export function cellText(cell: Element): string {
  const explicit = cell.getAttribute('data-copy');
  return explicit ?? (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function rowText(row: Element): string {
  return joinRow(rowCellTexts(row));
}

/** Writes plain text to the clipboard; false when neither the async API nor execCommand could. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // not permitted (e.g. the page is not focused): try the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Ctrl+C / Cmd+C with nothing selected on the page and the focus outside a text field. */
export function isCopyRowKey(e: KeyboardEvent): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== 'c') return false;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return false;
  const sel = typeof window !== 'undefined' ? window.getSelection() : null;
  return !sel || sel.isCollapsed || sel.toString() === '';
}
