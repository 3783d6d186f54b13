/**
 * The few pcapng blocks the evidence file needs (draft-ietf-opsawg-pcapng), little-endian:
 * a Section Header, one Interface Description per source interface (timestamps in ns), and an
 * Enhanced Packet Block per packet carrying the original bytes and opt_comment options.
 * (The annotations work adds a general pcapng writer; this stays small and bundle-specific.)
 */

const SHB = 0x0a0d0d0a, IDB = 0x00000001, EPB = 0x00000006;
const OPT_END = 0, OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2, IF_DESCRIPTION = 3, IF_TSRESOL = 9;
/** Longest option value: its length field is 16 bits. */
const MAX_OPTION = 0xfff0;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function option(code: number, value: Buffer): Buffer {
  const v = value.length > MAX_OPTION ? value.subarray(0, MAX_OPTION) : value;
  const out = Buffer.alloc(4 + v.length + pad4(v.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(v.length, 2);
  v.copy(out, 4);
  return out;
}

/** UTF-8 text option, cut at a character boundary if longer than an option can hold. */
function textOption(code: number, text: string): Buffer {
  let buf = Buffer.from(text, 'utf8');
  if (buf.length > MAX_OPTION) buf = Buffer.from(buf.subarray(0, MAX_OPTION).toString('utf8').replace(/\uFFFD$/, ''), 'utf8');
  return option(code, buf);
}

function options(list: Buffer[]): Buffer {
  return list.length ? Buffer.concat([...list, Buffer.alloc(4) /* opt_endofopt */]) : Buffer.alloc(0);
}

/** §3.1: type, total length, body, total length again. */
function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

export function sectionHeader(userAppl: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(0x1a2b3c4d, 0); // byte-order magic
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeBigInt64LE(-1n, 8); // section length not given
  return block(SHB, Buffer.concat([fixed, options([textOption(SHB_USERAPPL, userAppl)])]));
}

export function interfaceDescription(linkType: number, snaplen: number, name: string | null, description: string): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linkType, 0);
  fixed.writeUInt32LE(snaplen >>> 0, 4);
  const opts = [textOption(IF_DESCRIPTION, description), option(IF_TSRESOL, Buffer.from([9]))];
  if (name) opts.unshift(textOption(IF_NAME, name));
  return block(IDB, Buffer.concat([fixed, options(opts)]));
}

export function enhancedPacket(ifId: number, tsNs: bigint, data: Uint8Array, origLen: number, comments: string[]): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(ifId, 0);
  fixed.writeUInt32LE(Number((tsNs >> 32n) & 0xffffffffn), 4);
  fixed.writeUInt32LE(Number(tsNs & 0xffffffffn), 8);
  fixed.writeUInt32LE(data.length, 12);
  fixed.writeUInt32LE(origLen, 16);
  const padded = Buffer.alloc(data.length + pad4(data.length));
  padded.set(data, 0);
  return block(EPB, Buffer.concat([fixed, padded, options(comments.map((c) => textOption(OPT_COMMENT, c)))]));
}

export { OPT_COMMENT, OPT_END };
