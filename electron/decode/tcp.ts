/*
 * TCP (RFC 9293) header and options (MSS, window scale RFC 7323, SACK RFC 2018, timestamps RFC 7323).
 *
 * Info follows Wireshark's layout, but Seq/Ack are the raw 32-bit numbers: Wireshark shows them
 * relative to the stream's first sequence number, which needs per-stream state this per-packet
 * decoder does not keep. Win is the raw field (no window-scale multiplication, for the same reason).
 * The detail view passes that state in (ctx.tcpStream, from the flow's other packets): its tree
 * shows relative and raw numbers, the calculated window, and reassembled TLS records.
 */
import { NEXT_TCP_PAYLOAD, type DecodeContext, type TcpStreamContext } from './decode-context';
import { bitPattern } from './bit-pattern';
import { addField, addLayer } from './layer-tree';
import { addTlsTree } from './tls';
import { PKT_MALFORMED, PKT_TRUNCATED, TCP_ACK, TCP_SYN, TCP_URG, type TreeNode } from './packet-summary';
import { hex, u16, u32 } from './read-bytes';

const MIN_HEADER = 20;
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

/** "[SYN, ACK]" for every combination of the 8 flag bits, built once. */
const FLAG_TEXT: string[] = [];
for (let f = 0; f < 256; f++) {
  const names: string[] = [];
  for (let b = 0; b < 8; b++) if (f & (1 << b)) names.push(FLAG_NAMES[b]);
  FLAG_TEXT.push(names.length === 0 ? '[<None>]' : '[' + names.join(', ') + ']');
}

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WS = 3;
const OPT_SACK_PERM = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMP = 8;
/** RFC 7323 §2.3: shifts above 14 are treated as 14. */
const MAX_WS_SHIFT = 14;

export function decodeTcp(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  if (!ctx.ipFragment && avail > 0) out.protocol = 'TCP';
  if (avail < 4) {
    out.flags |= ctx.wireEnd - o >= MIN_HEADER ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = 'TCP header truncated (' + Math.max(avail, 0) + ' of 20 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Transmission Control Protocol [truncated]', o, Math.max(avail, 0));
    return;
  }
  const sport = u16(d, o);
  const dport = u16(d, o + 2);
  out.sport = sport;
  out.dport = dport;
  ctx.sport = sport;
  ctx.dport = dport;
  if (avail < MIN_HEADER) {
    out.flags |= ctx.wireEnd - o >= MIN_HEADER ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = sport + ' → ' + dport + ' [TCP header truncated]';
    if (ctx.tree !== null) {
      const layer = addLayer(ctx.tree, 'Transmission Control Protocol, Src Port: ' + sport + ', Dst Port: ' + dport + ' [truncated]', o, avail);
      addField(layer, 'Source Port: ' + sport, o, 2);
      addField(layer, 'Destination Port: ' + dport, o + 2, 2);
    }
    return;
  }
  const seq = u32(d, o + 4);
  const ack = u32(d, o + 8);
  const hlen = (d[o + 12] >> 4) * 4;
  const flags = d[o + 13];
  const window = u16(d, o + 14);
  out.tcpSeq = seq;
  out.tcpAck = ack;
  out.tcpFlags = flags;
  out.tcpWindow = window;
  if (hlen < MIN_HEADER) {
    out.flags |= PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = sport + ' → ' + dport + ' ' + FLAG_TEXT[flags] + ' Bogus TCP header length (' + hlen + ', must be at least 20)';
    if (ctx.tree !== null) addTcpTree(ctx.tree, d, o, MIN_HEADER, 0, 0, null);
    return;
  }
  let payloadLen = ctx.wireEnd - (o + hlen);
  if (payloadLen < 0) {
    // The data offset points past the end of the IP payload.
    out.flags |= PKT_MALFORMED;
    payloadLen = 0;
  }
  out.payloadLen = ctx.ipFragment ? 0 : payloadLen;
  const optEnd = o + hlen < ctx.end ? o + hlen : ctx.end;
  if (o + hlen > ctx.end) out.flags |= PKT_TRUNCATED;
  if (ctx.tree !== null) addTcpTree(ctx.tree, d, o, hlen, optEnd, payloadLen, ctx.tcpStream);
  if (ctx.ipFragment) return;

  // The options are read either way (they set the malformed/truncated flags and the window scale);
  // their text only when the Info is wanted.
  const options = hlen > MIN_HEADER ? readOptions(ctx, o + MIN_HEADER, optEnd) : '';
  if (ctx.wantInfo) {
    let info = sport + ' → ' + dport + ' ' + FLAG_TEXT[flags];
    // RFC 9293 §3.1: the 4 bits before the flags are reserved (the lowest is AccECN's AE, once NS).
    if ((d[o + 12] & 0x0f) !== 0) info = sport + ' → ' + dport + ' ' + flagsWithReserved(d[o + 12] & 0x0f, flags);
    info += ' Seq=' + seq;
    if (flags & TCP_ACK) info += ' Ack=' + ack;
    info += ' Win=' + window;
    if (flags & TCP_URG) info += ' Urg=' + u16(d, o + 18);
    info += ' Len=' + payloadLen;
    out.info = info + options;
  }

  let payloadStart = o + hlen;
  const stream = ctx.tree !== null ? ctx.tcpStream : null;
  if (stream !== null && payloadStart < ctx.end && payloadLen > 0) {
    if (stream.middleOfRecord === true) {
      // A TLS record that ends in a later segment: shown there, reassembled, as tshark does.
      addLayer(ctx.tree as TreeNode[], 'TCP segment data (' + (ctx.end - payloadStart) + ' bytes) [segment of a reassembled record]', payloadStart, ctx.end - payloadStart);
      return;
    }
    if (stream.reassembled !== undefined) {
      const r = stream.reassembled;
      const covered = Math.min(r.coveredInThisSegment, ctx.end - payloadStart);
      const node = addLayer(ctx.tree as TreeNode[], r.summary, payloadStart, covered);
      for (const line of r.segments) addField(node, line, payloadStart, covered);
      addTlsTree(ctx.tree as TreeNode[], r.bytes, payloadStart, covered);
      payloadStart += covered;
    }
  }
  if (payloadStart < ctx.end && payloadLen > 0) {
    ctx.offset = payloadStart;
    ctx.next = NEXT_TCP_PAYLOAD;
  }
}

/** "[ACK, AE, Reserved]": the rare case, so built when needed rather than tabled. */
function flagsWithReserved(bits: number, flags: number): string {
  const names: string[] = [];
  for (let b = 0; b < 8; b++) if (flags & (1 << b)) names.push(FLAG_NAMES[b]);
  if (bits & 1) names.push('AE');
  if (bits & 0x0e) names.push('Reserved');
  return '[' + names.join(', ') + ']';
}

/**
 * Reads the options (the malformed/truncated flags, the window scale) and returns their Info text, a
 * Wireshark-style summary (" MSS=1460 SACK_PERM WS=128") in the order they appear; '' when the Info
 * is not wanted (the ingest), so no text is built for the timestamps on most TCP packets.
 */
function readOptions(ctx: DecodeContext, start: number, end: number): string {
  const d = ctx.data;
  const text = ctx.wantInfo;
  let s = '';
  let p = start;
  while (p < end) {
    const kind = d[p];
    if (kind === OPT_EOL) break;
    if (kind === OPT_NOP) { p++; continue; }
    if (p + 1 >= end) { ctx.out.flags |= malformedOrTruncated(ctx, p + 2); break; }
    const len = d[p + 1];
    if (len < 2 || p + len > end) { ctx.out.flags |= malformedOrTruncated(ctx, p + len); break; }
    switch (kind) {
      case OPT_MSS:
        if (text && len === 4) s += ' MSS=' + u16(d, p + 2);
        break;
      case OPT_WS:
        if (len === 3) {
          if (text) s += ' WS=' + (1 << Math.min(d[p + 2], MAX_WS_SHIFT));
          ctx.out.tcpWsShift = d[p + 2];
        }
        break;
      case OPT_SACK_PERM:
        if (text) s += ' SACK_PERM';
        break;
      case OPT_SACK:
        if (text) for (let b = p + 2; b + 8 <= p + len; b += 8) s += ' SLE=' + u32(d, b) + ' SRE=' + u32(d, b + 4);
        break;
      case OPT_TIMESTAMP:
        if (text && len === 10) s += ' TSval=' + u32(d, p + 2) + ' TSecr=' + u32(d, p + 6);
        break;
    }
    p += len;
  }
  return s;
}

/** An option running past the captured bytes is truncation if the header itself goes further. */
function malformedOrTruncated(ctx: DecodeContext, needEnd: number): number {
  return needEnd > ctx.end && ctx.end < ctx.wireEnd ? PKT_TRUNCATED : PKT_MALFORMED;
}

/** RFC 9293 §3.1 and RFC 3168/AccECN bit names, most significant first, as Wireshark's tree names them. */
const FLAG_BITS: Array<[number, string]> = [
  [0x100, 'Accurate ECN'], [0x080, 'Congestion Window Reduced'], [0x040, 'ECN-Echo'], [0x020, 'Urgent'],
  [0x010, 'Acknowledgment'], [0x008, 'Push'], [0x004, 'Reset'], [0x002, 'Syn'], [0x001, 'Fin'],
];
/** Wireshark's one-line flag picture, one character per bit from bit 11 down (reserved bits show as R). */
const FLAG_CHARS = 'RRRACEUAPRSF';

function relative(value: number, base: number): number {
  return (value - base + 0x100000000) % 0x100000000;
}

function addTcpTree(tree: TreeNode[], d: Uint8Array, o: number, hlen: number, optEnd: number, payloadLen: number, stream: TcpStreamContext | null): void {
  const sport = u16(d, o);
  const dport = u16(d, o + 2);
  const seq = u32(d, o + 4);
  const ack = u32(d, o + 8);
  const flags = d[o + 13];
  const flags12 = ((d[o + 12] & 0x0f) << 8) | flags;
  const window = u16(d, o + 14);
  const isAck = (flags & TCP_ACK) !== 0;
  const relSeq = stream !== null && stream.seqBase !== null ? relative(seq, stream.seqBase) : null;
  const relAck = stream !== null && stream.ackBase !== null && isAck ? relative(ack, stream.ackBase) : null;
  const layer = addLayer(tree, 'Transmission Control Protocol, Src Port: ' + sport + ', Dst Port: ' + dport +
    ', Seq: ' + (relSeq ?? seq) + (isAck ? ', Ack: ' + (relAck ?? ack) : '') + ', Len: ' + payloadLen,
    o, Math.max(MIN_HEADER, optEnd - o));
  addField(layer, 'Source Port: ' + sport, o, 2);
  addField(layer, 'Destination Port: ' + dport, o + 2, 2);
  addField(layer, 'TCP Segment Len: ' + payloadLen, o + 12, 1);
  if (relSeq !== null) addField(layer, 'Sequence Number: ' + relSeq + '    (relative sequence number)', o + 4, 4);
  addField(layer, 'Sequence Number (raw): ' + seq, o + 4, 4);
  if (!isAck) addField(layer, 'Acknowledgment Number: 0', o + 8, 4);
  else if (relAck !== null) addField(layer, 'Acknowledgment Number: ' + relAck + '    (relative ack number)', o + 8, 4);
  addField(layer, 'Acknowledgment number (raw): ' + ack, o + 8, 4);
  addField(layer, bitPattern(d[o + 12], 0xf0, 8) + ' = Header Length: ' + hlen + ' bytes (' + (hlen >> 2) + ')', o + 12, 1);
  addFlagsTree(layer, o, flags12, flags);
  addField(layer, 'Window: ' + window, o + 14, 2);
  // RFC 7323 §2.2: the window of a SYN is never scaled.
  const scale = stream !== null && (flags & TCP_SYN) === 0 ? stream.windowScale : 0;
  addField(layer, 'Calculated window size: ' + (scale > 0 ? window * scale : window), o + 14, 2);
  if (stream !== null && (flags & TCP_SYN) === 0) {
    addField(layer, 'Window size scaling factor: ' + (scale === -1 ? '-1 (unknown)' : scale === -2 ? '-2 (no window scaling used)' : scale), o + 14, 2);
  }
  addField(layer, 'Checksum: ' + hex(u16(d, o + 16), 4), o + 16, 2);
  addField(layer, 'Urgent Pointer: ' + u16(d, o + 18), o + 18, 2);
  if (optEnd > o + MIN_HEADER) addOptionFields(layer, d, o + MIN_HEADER, optEnd);
}

/** "Flags: 0x012 (SYN, ACK)" with one line per bit, as Wireshark draws them, and its one-line picture. */
function addFlagsTree(layer: TreeNode, o: number, flags12: number, flags: number): void {
  const reserved = flags12 >> 8;
  const names = reserved === 0 ? FLAG_TEXT[flags].slice(1, -1) : flagsWithReserved(reserved, flags).slice(1, -1);
  const node = addField(layer, 'Flags: ' + hex(flags12, 3) + ' (' + names + ')', o + 12, 2);
  addField(node, bitPattern(flags12, 0xe00, 12) + ' = Reserved: ' + ((flags12 & 0xe00) !== 0 ? 'Set' : 'Not set'), o + 12, 1);
  for (const [mask, name] of FLAG_BITS) {
    addField(node, bitPattern(flags12, mask, 12) + ' = ' + name + ': ' + ((flags12 & mask) !== 0 ? 'Set' : 'Not set'), mask > 0xff ? o + 12 : o + 13, 1);
  }
  let picture = '';
  for (let b = 11; b >= 0; b--) picture += (flags12 & (1 << b)) !== 0 ? FLAG_CHARS[11 - b] : '\u00b7';
  addField(node, 'TCP Flags: ' + picture, o + 12, 2);
}

function addOptionFields(layer: TreeNode, d: Uint8Array, start: number, end: number): void {
  const node = addField(layer, 'Options: (' + (end - start) + ' bytes)', start, end - start);
  let p = start;
  while (p < end) {
    const kind = d[p];
    if (kind === OPT_EOL) { addField(node, 'End of Option List (EOL)', p, 1); break; }
    if (kind === OPT_NOP) { addField(node, 'No-Operation (NOP)', p, 1); p++; continue; }
    if (p + 1 >= end) break;
    const len = d[p + 1];
    if (len < 2 || p + len > end) { addField(node, 'Option kind ' + kind + ' [bad length ' + len + ']', p, end - p); break; }
    let label: string;
    switch (kind) {
      case OPT_MSS: label = len === 4 ? 'Maximum segment size: ' + u16(d, p + 2) + ' bytes' : 'Maximum segment size [bad length]'; break;
      case OPT_WS: label = len === 3 ? 'Window scale: ' + d[p + 2] + ' (multiply by ' + (1 << Math.min(d[p + 2], MAX_WS_SHIFT)) + ')' : 'Window scale [bad length]'; break;
      case OPT_SACK_PERM: label = 'SACK permitted'; break;
      case OPT_SACK: label = 'SACK (' + ((len - 2) >> 3) + ' blocks)'; break;
      case OPT_TIMESTAMP: label = len === 10 ? 'Timestamps: TSval ' + u32(d, p + 2) + ', TSecr ' + u32(d, p + 6) : 'Timestamps [bad length]'; break;
      default: label = 'Option kind ' + kind + ' (' + len + ' bytes)';
    }
    addField(node, label, p, len);
    p += len;
  }
}
