/**
 * Hex + ASCII dump layout for the packet detail pane, and the mapping between
 * layer-tree byte ranges and hex cells.
 */

export const BYTES_PER_ROW = 16;

export interface HexCell {
  /** Offset of the byte within the frame. */
  offset: number;
  hex: string;
  ascii: string;
}

export interface HexRow {
  offset: number;
  /** "0000", "0010", … (at least 4 hex digits). */
  label: string;
  cells: HexCell[];
}

/** Parses a hex string ("4500003c…", whitespace tolerated); throws on odd length or bad digits. */
export function parseHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new Error(`hex string has an odd number of digits (${clean.length})`);
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new Error('hex string contains a non-hex character');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Printable ASCII (0x20..0x7e) as itself, everything else as '.'. */
export function asciiChar(b: number): string {
  return b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
}

export function hexRows(bytes: Uint8Array, perRow = BYTES_PER_ROW): HexRow[] {
  const rows: HexRow[] = [];
  const labelWidth = Math.max(4, (Math.max(bytes.length - 1, 0)).toString(16).length);
  for (let off = 0; off < bytes.length; off += perRow) {
    const cells: HexCell[] = [];
    const end = Math.min(off + perRow, bytes.length);
    for (let i = off; i < end; i++) {
      const b = bytes[i]!;
      cells.push({ offset: i, hex: b.toString(16).padStart(2, '0'), ascii: asciiChar(b) });
    }
    rows.push({ offset: off, label: off.toString(16).padStart(labelWidth, '0'), cells });
  }
  return rows;
}

export interface ByteRange {
  start: number;
  length: number;
}

export function inRange(offset: number, range: ByteRange | null | undefined): boolean {
  return !!range && range.length > 0 && offset >= range.start && offset < range.start + range.length;
}
