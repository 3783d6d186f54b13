/** A table row as text for the clipboard: its cells' full text joined by tabs (pastes column by column). */

/** Tabs and newlines inside a value would shift the columns of the pasted row. */
export function tabSafe(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

export function joinRow(cells: readonly string[]): string {
  return cells.map(tabSafe).join('\t');
}
