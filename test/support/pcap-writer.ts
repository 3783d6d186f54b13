/**
 * Writes classic libpcap files (magic a1b2c3d4, microsecond timestamps, little-endian),
 * the format every tool reads. Frames are sorted by time before writing so scenario code
 * can emit conversations in any order.
 */
import fs from 'node:fs';

export const LINKTYPE_ETHERNET = 1;

export interface TimedFrame {
  /** Microseconds since the Unix epoch (an integer; fits a double exactly until year 2255). */
  tsUs: number;
  data: Uint8Array;
}

export function pcapBytes(frames: TimedFrame[], linkType = LINKTYPE_ETHERNET, snaplen = 65535): Buffer {
  // Stable sort: frames at the same microsecond keep the order the scenario emitted them in.
  const sorted = frames.map((f, i) => ({ f, i })).sort((a, b) => a.f.tsUs - b.f.tsUs || a.i - b.i).map((x) => x.f);
  const size = 24 + sorted.reduce((n, f) => n + 16 + Math.min(f.data.length, snaplen), 0);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4); // version 2.4
  out.writeUInt16LE(4, 6);
  out.writeInt32LE(0, 8); // thiszone
  out.writeUInt32LE(0, 12); // sigfigs
  out.writeUInt32LE(snaplen, 16);
  out.writeUInt32LE(linkType, 20);
  let o = 24;
  for (const f of sorted) {
    if (!Number.isInteger(f.tsUs) || f.tsUs < 0) throw new Error(`bad timestamp ${f.tsUs}`);
    const caplen = Math.min(f.data.length, snaplen);
    out.writeUInt32LE(Math.floor(f.tsUs / 1e6), o);
    out.writeUInt32LE(f.tsUs % 1e6, o + 4);
    out.writeUInt32LE(caplen, o + 8);
    out.writeUInt32LE(f.data.length, o + 12);
    out.set(f.data.subarray(0, caplen), o + 16);
    o += 16 + caplen;
  }
  return out;
}

export function writePcap(file: string, frames: TimedFrame[], linkType = LINKTYPE_ETHERNET): void {
  fs.writeFileSync(file, pcapBytes(frames, linkType));
}
