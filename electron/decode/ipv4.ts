/*
 * IPv4 (RFC 791). Names the transport by protocol number; for fragments (RFC 791 §2.3) only the
 * first one carries a transport header, so later fragments stop here.
 */
import { NEXT_IP_PROTO, type DecodeContext } from './decode-context';
import { ipv4Text } from './format-address';
import { addField, addLayer } from './layer-tree';
import { PKT_IP_FRAGMENT, PKT_IP_OPTIONS, PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from './packet-summary';
import { ipProtocolName } from './protocol-names';
import { hex, u16 } from './read-bytes';

const MIN_HEADER = 20;
const FLAG_RESERVED = 0x8000;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;

export function decodeIpv4(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  out.protocol = 'IPv4';
  if (avail < 1) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'IPv4 header missing';
    return;
  }
  const version = d[o] >> 4;
  if (version !== 4) {
    out.flags |= PKT_MALFORMED;
    out.info = 'Bogus IP version (' + version + ', must be 4)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Protocol [bogus version ' + version + ']', o, avail);
    return;
  }
  if (avail < MIN_HEADER) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'IPv4 header truncated (' + avail + ' of 20 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Protocol Version 4 [truncated]', o, avail);
    return;
  }
  const ihl = (d[o] & 0x0f) * 4;
  const totalLen = u16(d, o + 2);
  const fragField = u16(d, o + 6);
  const proto = d[o + 9];
  out.ipVersion = 4;
  out.ttl = d[o + 8];
  out.ipProto = proto;
  out.src = ipv4Text(d, o + 12);
  out.dst = ipv4Text(d, o + 16);

  const layer = ctx.tree !== null ? addIpv4Tree(ctx.tree, d, o, Math.min(Math.max(ihl, MIN_HEADER), avail), ihl, out.src, out.dst) : null;
  if (ihl < MIN_HEADER) {
    out.flags |= PKT_MALFORMED;
    out.info = 'Bogus IPv4 header length (' + ihl + ', must be at least 20)';
    return;
  }
  if (totalLen !== 0 && totalLen < ihl) {
    out.flags |= PKT_MALFORMED;
    out.info = 'Bogus IPv4 total length (' + totalLen + ', less than header length ' + ihl + ')';
    return;
  }
  if (ihl > MIN_HEADER) {
    out.flags |= PKT_IP_OPTIONS;
    if (avail < ihl) {
      out.flags |= PKT_TRUNCATED;
      out.info = 'IPv4 options truncated (' + avail + ' of ' + ihl + ' header bytes)';
      return;
    }
    if (layer !== null) addField(layer, 'Options: (' + (ihl - MIN_HEADER) + ' bytes)', o + MIN_HEADER, ihl - MIN_HEADER);
  }

  // A zero length was captured on the sending host before TCP segmentation offload filled it in.
  let wireEnd = totalLen === 0 ? ctx.wireEnd : o + totalLen;
  if (wireEnd > ctx.wireEnd && ctx.wireLengthKnown) {
    // More than the frame ever held on the wire: the length field is wrong.
    out.flags |= PKT_MALFORMED;
    wireEnd = ctx.wireEnd;
  }
  if (wireEnd > ctx.end) out.flags |= PKT_TRUNCATED;
  else ctx.end = wireEnd; // drop the link layer's padding/trailer
  ctx.wireEnd = wireEnd;
  ctx.offset = o + ihl;

  const fragOffset = (fragField & 0x1fff) * 8;
  if ((fragField & FLAG_MF) !== 0 || fragOffset !== 0) {
    out.flags |= PKT_IP_FRAGMENT;
    out.info = 'Fragmented IP protocol (proto=' + (ipProtocolName(proto) ?? 'Unknown') + ' ' + proto +
      ', off=' + fragOffset + ', ID=' + hex(u16(d, o + 4), 4).slice(2) + ')';
    // Only the first fragment holds the transport header; its payload is incomplete.
    if (fragOffset !== 0) return;
    ctx.ipFragment = true;
  }
  ctx.next = NEXT_IP_PROTO;
  ctx.nextKey = proto;
}

function addIpv4Tree(tree: TreeNode[], d: Uint8Array, o: number, length: number, ihl: number, src: string, dst: string): TreeNode {
  const layer = addLayer(tree, 'Internet Protocol Version 4, Src: ' + src + ', Dst: ' + dst, o, length);
  const flags = u16(d, o + 6);
  const flagNames: string[] = [];
  if (flags & FLAG_RESERVED) flagNames.push('Reserved bit');
  if (flags & FLAG_DF) flagNames.push("Don't fragment");
  if (flags & FLAG_MF) flagNames.push('More fragments');
  const proto = d[o + 9];
  addField(layer, 'Version: 4', o, 1);
  addField(layer, 'Header Length: ' + ihl + ' bytes (' + (ihl >> 2) + ')', o, 1);
  addField(layer, 'Differentiated Services Field: ' + hex(d[o + 1], 2) + ' (DSCP: ' + (d[o + 1] >> 2) + ', ECN: ' + (d[o + 1] & 3) + ')', o + 1, 1);
  addField(layer, 'Total Length: ' + u16(d, o + 2), o + 2, 2);
  addField(layer, 'Identification: ' + hex(u16(d, o + 4), 4) + ' (' + u16(d, o + 4) + ')', o + 4, 2);
  addField(layer, 'Flags: ' + hex(flags >> 13, 1) + (flagNames.length > 0 ? ', ' + flagNames.join(', ') : ''), o + 6, 1);
  addField(layer, 'Fragment Offset: ' + (flags & 0x1fff) * 8, o + 6, 2);
  addField(layer, 'Time to Live: ' + d[o + 8], o + 8, 1);
  addField(layer, 'Protocol: ' + (ipProtocolName(proto) ?? 'Unknown') + ' (' + proto + ')', o + 9, 1);
  addField(layer, 'Header Checksum: ' + hex(u16(d, o + 10), 4), o + 10, 2);
  addField(layer, 'Source Address: ' + src, o + 12, 4);
  addField(layer, 'Destination Address: ' + dst, o + 16, 4);
  return layer;
}
