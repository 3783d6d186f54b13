/*
 * TCP (RFC 9293) header and options (MSS, window scale RFC 7323, SACK RFC 2018, timestamps RFC 7323).
 *
 * Info follows Wireshark's layout, but Seq/Ack are the raw 32-bit numbers: Wireshark shows them
 * relative to the stream's first sequence number, which needs per-stream state this per-packet
 * decoder does not keep. Win is the raw field (no window-scale multiplication, for the same reason).
 */
import { NEXT_TCP_PAYLOAD, type DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED, TCP_ACK, TCP_URG, type TreeNode } from './packet-summary';
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
    if (ctx.tree !== null) addTcpTree(ctx.tree, d, o, MIN_HEADER, 0, 0);
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
  if (ctx.tree !== null) addTcpTree(ctx.tree, d, o, hlen, optEnd, payloadLen);
  if (ctx.ipFragment) return;

  let info = sport + ' → ' + dport + ' ' + FLAG_TEXT[flags];
  // RFC 9293 §3.1: the 4 bits before the flags are reserved (the lowest is AccECN's AE, once NS).
  if ((d[o + 12] & 0x0f) !== 0) info = sport + ' → ' + dport + ' ' + flagsWithReserved(d[o + 12] & 0x0f, flags);
  info += ' Seq=' + seq;
  if (flags & TCP_ACK) info += ' Ack=' + ack;
  info += ' Win=' + window;
  if (flags & TCP_URG) info += ' Urg=' + u16(d, o + 18);
  info += ' Len=' + payloadLen;
  if (hlen > MIN_HEADER) info += optionsText(ctx, o + MIN_HEADER, optEnd);
  out.info = info;

  const payloadStart = o + hlen;
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

/** Wireshark-style option summary (" MSS=1460 SACK_PERM WS=128"), in the order the options appear. */
function optionsText(ctx: DecodeContext, start: number, end: number): string {
  const d = ctx.data;
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
        if (len === 4) s += ' MSS=' + u16(d, p + 2);
        break;
      case OPT_WS:
        if (len === 3) s += ' WS=' + (1 << Math.min(d[p + 2], MAX_WS_SHIFT));
        break;
      case OPT_SACK_PERM:
        s += ' SACK_PERM';
        break;
      case OPT_SACK:
        for (let b = p + 2; b + 8 <= p + len; b += 8) s += ' SLE=' + u32(d, b) + ' SRE=' + u32(d, b + 4);
        break;
      case OPT_TIMESTAMP:
        if (len === 10) s += ' TSval=' + u32(d, p + 2) + ' TSecr=' + u32(d, p + 6);
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

function addTcpTree(tree: TreeNode[], d: Uint8Array, o: number, hlen: number, optEnd: number, payloadLen: number): void {
  const sport = u16(d, o);
  const dport = u16(d, o + 2);
  const flags = d[o + 13];
  const layer = addLayer(tree, 'Transmission Control Protocol, Src Port: ' + sport + ', Dst Port: ' + dport +
    ', Seq: ' + u32(d, o + 4) + (flags & TCP_ACK ? ', Ack: ' + u32(d, o + 8) : '') + ', Len: ' + payloadLen,
    o, Math.max(MIN_HEADER, optEnd - o));
  addField(layer, 'Source Port: ' + sport, o, 2);
  addField(layer, 'Destination Port: ' + dport, o + 2, 2);
  addField(layer, 'Sequence Number (raw): ' + u32(d, o + 4), o + 4, 4);
  addField(layer, 'Acknowledgment Number (raw): ' + u32(d, o + 8), o + 8, 4);
  addField(layer, 'Header Length: ' + hlen + ' bytes (' + (hlen >> 2) + ')', o + 12, 1);
  addField(layer, 'Flags: ' + hex(((d[o + 12] & 1) << 8) | flags, 3) + ' ' + FLAG_TEXT[flags].replace('[', '(').replace(']', ')'), o + 12, 2);
  addField(layer, 'Window: ' + u16(d, o + 14), o + 14, 2);
  addField(layer, 'Checksum: ' + hex(u16(d, o + 16), 4), o + 16, 2);
  addField(layer, 'Urgent Pointer: ' + u16(d, o + 18), o + 18, 2);
  if (optEnd > o + MIN_HEADER) addOptionFields(layer, d, o + MIN_HEADER, optEnd);
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
