/**
 * Builds small pcap and pcapng files byte by byte for the reader tests, so each damaged or
 * unusual case is spelled out next to the assertion that depends on it.
 */

export class Bytes {
  private parts: Buffer[] = [];
  constructor(readonly le = true) {}

  u8(v: number): this {
    this.parts.push(Buffer.from([v & 0xff]));
    return this;
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    this.parts.push(b);
    return this;
  }
  i64(v: bigint): this {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigInt64LE(v);
    else b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }
  pad4(): this {
    const n = this.length % 4;
    if (n) this.parts.push(Buffer.alloc(4 - n));
    return this;
  }
  get length(): number {
    return this.parts.reduce((s, p) => s + p.length, 0);
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export interface PcapRecordSpec {
  sec: number;
  frac: number;
  data: Uint8Array;
  origLen?: number;
  /** Overrides the captured-length field (for damage). */
  caplenField?: number;
}

export function pcapFile(
  records: PcapRecordSpec[],
  opts: { le?: boolean; magic?: number; major?: number; minor?: number; snaplen?: number; linkField?: number } = {},
): Buffer {
  const w = new Bytes(opts.le ?? true);
  w.u32(opts.magic ?? 0xa1b2c3d4).u16(opts.major ?? 2).u16(opts.minor ?? 4).u32(0).u32(0);
  w.u32(opts.snaplen ?? 65535).u32(opts.linkField ?? 1);
  for (const r of records) {
    w.u32(r.sec).u32(r.frac).u32(r.caplenField ?? r.data.length).u32(r.origLen ?? r.data.length).raw(r.data);
  }
  return w.build();
}

export interface Option {
  code: number;
  value: Uint8Array | string;
}

function optionBytes(le: boolean, options: Option[], endOfOpt = true): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const w = new Bytes(le);
  for (const o of options) {
    const v = typeof o.value === 'string' ? Buffer.from(o.value, 'utf8') : Buffer.from(o.value);
    w.u16(o.code).u16(v.length).raw(v).pad4();
  }
  if (endOfOpt) w.u16(0).u16(0);
  return w.build();
}

/** A whole block: type, total length, body (padded), total length again (§3.1). */
export function block(le: boolean, type: number, body: Uint8Array, lengthField?: number, trailerField?: number): Buffer {
  const padded = Buffer.concat([Buffer.from(body), Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const total = 12 + padded.length;
  return new Bytes(le).u32(type).u32(lengthField ?? total).raw(padded).u32(trailerField ?? lengthField ?? total).build();
}

export function shb(le: boolean, options: Option[] = [], version: [number, number] = [1, 0]): Buffer {
  const body = new Bytes(le).u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).i64(-1n).raw(optionBytes(le, options)).build();
  return block(le, 0x0a0d0d0a, body);
}

export function idb(le: boolean, linkType: number, snaplen: number, options: Option[] = []): Buffer {
  const body = new Bytes(le).u16(linkType).u16(0).u32(snaplen).raw(optionBytes(le, options)).build();
  return block(le, 1, body);
}

export function epb(
  le: boolean,
  ifId: number,
  ts: bigint,
  data: Uint8Array,
  opts: { origLen?: number; caplenField?: number; options?: Option[]; rawOptions?: Uint8Array } = {},
): Buffer {
  const w = new Bytes(le)
    .u32(ifId)
    .u32(Number(ts >> 32n))
    .u32(Number(ts & 0xffffffffn))
    .u32(opts.caplenField ?? data.length)
    .u32(opts.origLen ?? data.length)
    .raw(data)
    .pad4();
  w.raw(opts.rawOptions ?? optionBytes(le, opts.options ?? []));
  return block(le, 6, w.build());
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Buffer {
  return block(le, 3, new Bytes(le).u32(origLen).raw(data).build());
}

export function optionValue(le: boolean, n: bigint | number, bytes: 1 | 8): Buffer {
  if (bytes === 1) return Buffer.from([Number(n)]);
  return new Bytes(le).i64(BigInt(n)).build();
}

/** Packet bytes 00 01 02 … (n bytes), easy to recognise in a failed assertion. */
export function counting(n: number, start = 0): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
}
