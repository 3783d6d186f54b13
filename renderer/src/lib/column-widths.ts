/**
 * Column widths of the three big tables (packet list, Conversations, Endpoints): each table's columns
 * as data, the widths the analyst dragged, and the arithmetic for dragging and the arrow keys.
 *
 * Widths are remembered per table, for every case (localStorage in the renderer): they are a
 * preference about the screen and the kind of address in view, not a fact about a case.
 */
export interface ColumnSpec {
  id: string;
  /** The header text (also used in the resize handle's accessible name). */
  label: string;
  /** Default width in px; null: the column takes the rest of the row (one per table). */
  width: number | null;
  /** Narrowest it may be dragged to (and the filler's floor). */
  min: number;
  /** Drawn at `width` always, with no resize handle (the marker and button columns). */
  fixed?: boolean;
}

export type StoredWidths = Record<string, number>;

export const MAX_COLUMN_WIDTH = 1600;
/** Arrow keys move an edge by this many px; with Shift by the larger step. */
export const KEY_STEP = 8;
export const KEY_STEP_LARGE = 48;

export function clampWidth(spec: ColumnSpec, px: number): number {
  if (!Number.isFinite(px)) return spec.width ?? spec.min;
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(spec.min, px)));
}

/** Widths read back from storage: unknown columns, the filler and junk values are dropped. */
export function parseStoredWidths(text: string | null, specs: readonly ColumnSpec[]): StoredWidths {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: StoredWidths = {};
  for (const spec of specs) {
    const v = (raw as Record<string, unknown>)[spec.id];
    if (spec.width !== null && !spec.fixed && typeof v === 'number' && Number.isFinite(v)) out[spec.id] = clampWidth(spec, v);
  }
  return out;
}

/** The width a column is drawn at: the analyst's, else the default (null for the filler). */
export function widthOf(spec: ColumnSpec, stored: StoredWidths): number | null {
  return spec.width === null ? null : spec.fixed ? spec.width : (stored[spec.id] ?? spec.width);
}

/** Sum of the fixed columns plus the filler's floor: the table is at least this wide. */
export function minTableWidth(specs: readonly ColumnSpec[], stored: StoredWidths): number {
  return specs.reduce((sum, s) => sum + (widthOf(s, stored) ?? s.min), 0);
}

/** CSS grid-template-columns for a grid table (the packet list): the filler takes the rest. */
export function gridTemplate(specs: readonly ColumnSpec[], stored: StoredWidths): string {
  return specs.map((s) => {
    const w = widthOf(s, stored);
    return w === null ? `minmax(${s.min}px, 1fr)` : `${w}px`;
  }).join(' ');
}

/** The new width for a key press on a column's resize handle, or null when the key is not ours. */
export function widthForKey(spec: ColumnSpec, current: number, key: string, shift: boolean): number | null {
  const step = shift ? KEY_STEP_LARGE : KEY_STEP;
  if (key === 'ArrowRight') return clampWidth(spec, current + step);
  if (key === 'ArrowLeft') return clampWidth(spec, current - step);
  if (key === 'Home') return spec.min;
  if (key === 'End') return clampWidth(spec, Math.max(current, MAX_COLUMN_WIDTH));
  if (key === 'Enter' || key === 'Delete' || key === 'Backspace') return spec.width ?? current;
  return null;
}

/** The columns of each resizable table. Ids are stable: they key the stored widths and the test ids. */
export const PACKET_COLUMNS: readonly ColumnSpec[] = [
  { id: 'mark', label: 'Annotations', width: 18, min: 18, fixed: true },
  { id: 'no', label: 'No.', width: 74, min: 40 },
  { id: 'time', label: 'Time', width: 122, min: 60 },
  { id: 'src', label: 'Source', width: 170, min: 50 },
  { id: 'dst', label: 'Destination', width: 170, min: 50 },
  { id: 'proto', label: 'Protocol', width: 78, min: 40 },
  { id: 'length', label: 'Length', width: 60, min: 36 },
  { id: 'info', label: 'Info', width: null, min: 120 },
];

export const FLOW_COLUMNS: readonly ColumnSpec[] = [
  { id: 'proto', label: 'Proto', width: 62, min: 40 },
  { id: 'src', label: 'Address A', width: 156, min: 60 },
  { id: 'sport', label: 'Port A', width: 70, min: 40 },
  { id: 'dst', label: 'Address B', width: 156, min: 60 },
  { id: 'dport', label: 'Port B', width: 70, min: 40 },
  { id: 'packets', label: 'Pkts A→B / B→A', width: 124, min: 60 },
  { id: 'bytes', label: 'Bytes', width: 80, min: 44 },
  { id: 'firstTs', label: 'Start (UTC)', width: 152, min: 60 },
  { id: 'duration', label: 'Duration', width: 84, min: 44 },
  { id: 'connState', label: 'State', width: 62, min: 40 },
  { id: 'service', label: 'Service', width: 80, min: 40 },
  { id: 'tags', label: 'Tags', width: null, min: 60 },
  { id: 'act', label: 'Actions', width: 196, min: 196, fixed: true },
];

export const HOST_COLUMNS: readonly ColumnSpec[] = [
  { id: 'addr', label: 'Address', width: 210, min: 60 },
  { id: 'names', label: 'Names', width: null, min: 110 },
  { id: 'pktsSent', label: 'Pkts sent', width: 84, min: 44 },
  { id: 'pktsRecv', label: 'Pkts recv', width: 84, min: 44 },
  { id: 'bytesSent', label: 'Bytes sent', width: 90, min: 44 },
  { id: 'bytesRecv', label: 'Bytes recv', width: 90, min: 44 },
  { id: 'bytes', label: 'Bytes total', width: 94, min: 44 },
  { id: 'firstTs', label: 'First seen (UTC)', width: 152, min: 60 },
  { id: 'lastTs', label: 'Last seen (UTC)', width: 152, min: 60 },
  { id: 'tags', label: 'Tags', width: 70, min: 40 },
  { id: 'act', label: 'Actions', width: 232, min: 232, fixed: true },
];
