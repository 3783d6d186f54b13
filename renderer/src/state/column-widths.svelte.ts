/**
 * The widths of one table's columns, as the analyst dragged them, remembered in localStorage under
 * `flowcase:columns:<table>` (per table, for every case: see lib/column-widths.ts).
 */
import { clampWidth, gridTemplate, minTableWidth, parseStoredWidths, widthOf, type ColumnSpec, type StoredWidths } from '../lib/column-widths.js';

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // storage disabled: widths last for the page
  }
}

export class ColumnWidths {
  #stored = $state.raw<StoredWidths>({});
  readonly key: string;

  constructor(readonly table: string, readonly columns: readonly ColumnSpec[]) {
    this.key = `flowcase:columns:${table}`;
    this.#stored = parseStoredWidths(storage()?.getItem(this.key) ?? null, columns);
  }

  spec(id: string): ColumnSpec {
    const s = this.columns.find((c) => c.id === id);
    if (!s) throw new Error(`no column ${id} in ${this.table}`);
    return s;
  }

  /** px, or null for the column that takes the rest. */
  width(id: string): number | null {
    return widthOf(this.spec(id), this.#stored);
  }

  /** The table is never narrower than this (px): wider than the pane, it scrolls sideways. */
  get minWidth(): number {
    return minTableWidth(this.columns, this.#stored);
  }

  get template(): string {
    return gridTemplate(this.columns, this.#stored);
  }

  get customised(): boolean {
    return Object.keys(this.#stored).length > 0;
  }

  set(id: string, px: number): void {
    const spec = this.spec(id);
    if (spec.width === null || spec.fixed) return;
    const w = clampWidth(spec, px);
    if (this.#stored[id] === w) return;
    const next = { ...this.#stored, [id]: w };
    if (w === spec.width) delete next[id];
    this.#stored = next;
    this.#save();
  }

  resetColumn(id: string): void {
    if (!(id in this.#stored)) return;
    const next = { ...this.#stored };
    delete next[id];
    this.#stored = next;
    this.#save();
  }

  reset(): void {
    this.#stored = {};
    this.#save();
  }

  #save(): void {
    const s = storage();
    if (!s) return;
    try {
      if (this.customised) s.setItem(this.key, JSON.stringify(this.#stored));
      else s.removeItem(this.key);
    } catch {
      // quota or disabled storage: the widths still apply for this page
    }
  }
}
