/**
 * Format detection by magic bytes only; the file name is never consulted because captures are
 * often misnamed (.cap, .pcap holding pcapng, .dmp).
 */
import fs from 'node:fs';

export type Magic =
  | { kind: 'pcap'; bigEndian: boolean; nanosecond: boolean; modified: boolean }
  | { kind: 'pcapng' }
  | { kind: 'gzip' }
  | { kind: 'unknown' };

/** Bytes needed to recognise every supported magic. */
export const MAGIC_BYTES = 4;

export function detectMagic(head: Uint8Array): Magic {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length < 4) return { kind: 'unknown' };
  const be = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  const le = ((head[3] << 24) | (head[2] << 16) | (head[1] << 8) | head[0]) >>> 0;
  // pcapng §4.1: the SHB block type 0x0A0D0D0A reads the same in both byte orders.
  if (be === 0x0a0d0d0a) return { kind: 'pcapng' };
  for (const [value, bigEndian] of [[be, true], [le, false]] as const) {
    if (value === 0xa1b2c3d4) return { kind: 'pcap', bigEndian, nanosecond: false, modified: false };
    if (value === 0xa1b23c4d) return { kind: 'pcap', bigEndian, nanosecond: true, modified: false };
    if (value === 0xa1b2cd34) return { kind: 'pcap', bigEndian, nanosecond: false, modified: true };
  }
  return { kind: 'unknown' };
}

const KNOWN_SIGNATURES: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x42, 0x5a, 0x68], 'a bzip2 archive'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz archive'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
  [[0x4d, 0x5a], 'a Windows executable'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database'],
  [[0x1f, 0x8b], 'a gzip archive'],
];

function looksLikeText(head: Uint8Array): boolean {
  for (const b of head) {
    const printable = (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
    if (!printable) return false;
  }
  return head.length > 0;
}

/** "89 50 4e 47 (a PNG image)": the first bytes in hex and, when recognisable, what they are. */
export function describeHead(head: Uint8Array): string {
  const hex = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const known = KNOWN_SIGNATURES.find(([sig]) => sig.length <= head.length && sig.every((b, i) => head[i] === b));
  if (known) return `${hex} (${known[1]})`;
  if (looksLikeText(head.subarray(0, 64))) return `${hex} (text)`;
  return hex;
}

/** Whether the file starts with the gzip magic (RFC 1952 §2.3.1); false when it cannot be read. */
export function startsWithGzipMagic(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
