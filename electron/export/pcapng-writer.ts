/**
 * A pcapng writer (draft-ietf-opsawg-pcapng): one Section Header Block, Interface Description
 * Blocks, and Enhanced Packet Blocks with `opt_comment` options (what Wireshark shows as
 * `frame.comment`). Little-endian, nanosecond timestamps (if_tsresol = 9) so any source
 * resolution is kept exactly. Output goes to a sink function, so callers choose the file handling
 * (guarded temp file + rename, a zip entry, memory in tests).
 */

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;

/** pcapng §3.5: an option's length field is 16 bits. */
export const MAX_OPTION_BYTES = 0xffff;

export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  name?: string | null;
  description?: string | null;
}

export interface PcapngPacket {
  /** Index returned by addInterface. */
  interfaceId: number;
  /** Nanoseconds since the epoch. */
  tsNs: bigint;
  /** The captured bytes, exactly as in the source. */
  data: Uint8Array;
  /** Length on the wire (≥ data.length). */
  origLen: number;
  comments?: string[];
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

/**
 * UTF-8 option values longer than one option may hold are cut at character boundaries into
 * consecutive options of the same code, each marked "[part i/n]", so nothing is silently lost.
 */
export function splitOptionText(text: string, maxBytes = MAX_OPTION_BYTES): Buffer[] {
  const whole = Buffer.from(text, 'utf8');
  if (whole.length <= maxBytes) return [whole];
  const room = maxBytes - 32; // for the "[part i/n] " marker
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const len = Buffer.byteLength(ch, 'utf8');
    if (bytes + len > room) { parts.push(current); current = ''; bytes = 0; }
    current += ch;
    bytes += len;
  }
  if (current) parts.push(current);
  return parts.map((p, i) => Buffer.from(`[part ${i + 1}/${parts.length}] ${p}`, 'utf8'));
}

function option(code: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + value.length + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  value.copy(out, 4);
  return out;
}

function options(list: Array<[code: number, value: Buffer]>): Buffer {
  if (list.length === 0) return Buffer.alloc(0);
  return Buffer.concat([...list.map(([c, v]) => option(c, v)), option(OPT_ENDOFOPT, Buffer.alloc(0))]);
}

/** A block: type, total length, body, total length again (pcapng §3.1). */
function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

function textOptions(code: number, texts: Array<string | null | undefined>): Array<[number, Buffer]> {
  return texts.filter((t): t is string => !!t).flatMap((t) => splitOptionText(t).map((b): [number, Buffer] => [code, b]));
}

export class PcapngWriter {
  private interfaces = 0;
  private started = false;
  packets = 0;
  bytes = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  private emit(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.sink(chunk);
  }

  /** The Section Header Block; must come first. */
  writeSectionHeader(opts: { application?: string; comments?: string[] } = {}): void {
    if (this.started) throw new Error('pcapng: the section header was already written');
    const fixed = Buffer.alloc(16);
    fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
    fixed.writeUInt16LE(1, 4); // major version
    fixed.writeUInt16LE(0, 6); // minor version
    fixed.writeBigInt64LE(-1n, 8); // section length not specified
    const opts_ = options([...textOptions(OPT_COMMENT, opts.comments ?? []), ...textOptions(SHB_USERAPPL, [opts.application])]);
    this.emit(block(BT_SHB, Buffer.concat([fixed, opts_])));
    this.started = true;
  }

  /** Adds an Interface Description Block; returns the interface id packets refer to. */
  addInterface(i: PcapngInterface): number {
    if (!this.started) this.writeSectionHeader();
    const fixed = Buffer.alloc(8);
    fixed.writeUInt16LE(i.linkType, 0);
    fixed.writeUInt32LE(Math.max(0, Math.min(0xffffffff, i.snaplen)), 4);
    const opts_ = options([
      ...textOptions(IF_NAME, [i.name]),
      ...textOptions(IF_DESCRIPTION, [i.description]),
      [IF_TSRESOL, Buffer.from([9])], // 10^-9: nanoseconds
    ]);
    this.emit(block(BT_IDB, Buffer.concat([fixed, opts_])));
    return this.interfaces++;
  }

  writePacket(p: PcapngPacket): void {
    if (p.interfaceId < 0 || p.interfaceId >= this.interfaces) throw new Error(`pcapng: interface ${p.interfaceId} was not added`);
    if (p.tsNs < 0n || p.tsNs >= 2n ** 64n) throw new RangeError('pcapng: timestamp out of range');
    const fixed = Buffer.alloc(20);
    fixed.writeUInt32LE(p.interfaceId, 0);
    fixed.writeUInt32LE(Number(p.tsNs >> 32n), 4);
    fixed.writeUInt32LE(Number(p.tsNs & 0xffffffffn), 8);
    fixed.writeUInt32LE(p.data.length, 12);
    fixed.writeUInt32LE(Math.max(p.origLen, p.data.length), 16);
    const data = Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    const body = Buffer.concat([fixed, data, Buffer.alloc(pad4(data.length)), options(textOptions(OPT_COMMENT, p.comments ?? []))]);
    this.emit(block(BT_EPB, body));
    this.packets++;
  }
}
