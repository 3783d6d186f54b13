/*
 * Variants of the real frames in real-packets.ts for edge cases the captures do not contain
 * (a fragment bit set, a pointer loop, a payload on another port). Every variant starts from real
 * bytes and changes only the fields a test names. Not a test file.
 */
import type { RealPacket } from './real-packets';
import { bytesOf } from './real-packets';

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A copy of `p` with bytes at `offset` overwritten. */
export function patched(p: RealPacket, offset: number, bytes: number[]): RealPacket {
  const b = bytesOf(p);
  b.set(bytes, offset);
  return { ...p, hex: toHex(b) };
}

/** A copy of `p` with `count` bytes removed at `offset` and `insert` put in their place. */
export function spliced(p: RealPacket, offset: number, count: number, insert: number[]): RealPacket {
  const b = bytesOf(p);
  const out = new Uint8Array(b.length - count + insert.length);
  out.set(b.subarray(0, offset), 0);
  out.set(insert, offset);
  out.set(b.subarray(offset + count), offset + insert.length);
  return { linkType: p.linkType, origLen: out.length, hex: toHex(out) };
}

const ETH = 14;

/** Ethernet/IPv4/TCP template `p` carrying `payload` instead, with IP total length fixed up. */
export function withTcpPayload(p: RealPacket, payload: Uint8Array, ports: { sport?: number; dport?: number } = {}): RealPacket {
  const b = bytesOf(p);
  const ihl = (b[ETH] & 0x0f) * 4;
  const tcp = ETH + ihl;
  const hlen = (b[tcp + 12] >> 4) * 4;
  const out = new Uint8Array(tcp + hlen + payload.length);
  out.set(b.subarray(0, tcp + hlen), 0);
  out.set(payload, tcp + hlen);
  writeU16(out, ETH + 2, ihl + hlen + payload.length);
  if (ports.sport !== undefined) writeU16(out, tcp, ports.sport);
  if (ports.dport !== undefined) writeU16(out, tcp + 2, ports.dport);
  return { linkType: p.linkType, origLen: out.length, hex: toHex(out) };
}

/** Ethernet/IPv4/UDP template `p` carrying `payload` instead, with the IP and UDP lengths fixed up. */
export function withUdpPayload(p: RealPacket, payload: Uint8Array, ports: { sport?: number; dport?: number } = {}): RealPacket {
  const b = bytesOf(p);
  const ihl = (b[ETH] & 0x0f) * 4;
  const udp = ETH + ihl;
  const out = new Uint8Array(udp + 8 + payload.length);
  out.set(b.subarray(0, udp + 8), 0);
  out.set(payload, udp + 8);
  writeU16(out, ETH + 2, ihl + 8 + payload.length);
  writeU16(out, udp + 4, 8 + payload.length);
  if (ports.sport !== undefined) writeU16(out, udp, ports.sport);
  if (ports.dport !== undefined) writeU16(out, udp + 2, ports.dport);
  return { linkType: p.linkType, origLen: out.length, hex: toHex(out) };
}

/** The UDP payload of an Ethernet/IPv4/UDP frame (a DNS message, for instance). */
export function udpPayloadOf(p: RealPacket): Uint8Array {
  const b = bytesOf(p);
  const ihl = (b[ETH] & 0x0f) * 4;
  return b.slice(ETH + ihl + 8);
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >> 8;
  b[o + 1] = v & 0xff;
}
