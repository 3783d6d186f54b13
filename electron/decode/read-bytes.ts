/*
 * Network-byte-order reads straight from the frame's Uint8Array. Callers check bounds first;
 * these stay tiny so V8 inlines them (no DataView object per packet).
 */
export function u16(d: Uint8Array, o: number): number {
  return (d[o] << 8) | d[o + 1];
}

export function u24(d: Uint8Array, o: number): number {
  return (d[o] << 16) | (d[o + 1] << 8) | d[o + 2];
}

export function u32(d: Uint8Array, o: number): number {
  return ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
}

export function u32le(d: Uint8Array, o: number): number {
  return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
}

const HEX_DIGITS = '0123456789abcdef';

/** `0x1a2b`-style hex with a fixed number of digits, as Wireshark prints ids and types. */
export function hex(value: number, digits: number): string {
  let s = '';
  for (let i = digits - 1; i >= 0; i--) s += HEX_DIGITS[(value >>> (i * 4)) & 15];
  return '0x' + s;
}
