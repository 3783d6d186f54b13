/*
 * IPv6 (RFC 8200) and the extension headers that sit between it and the transport: hop-by-hop (0),
 * routing (43), fragment (44), destination options (60), and AH (51, RFC 4302) whose length is in
 * 4-byte units. The walk is bounded by the bytes present and by a header count.
 */
import { NEXT_IP_PROTO, type DecodeContext } from './decode-context';
import { ipv6Text } from './format-address';
import { addField, addLayer } from './layer-tree';
import { PKT_IP_FRAGMENT, PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from './packet-summary';
import { ipProtocolName } from './protocol-names';
import { hex, u16, u32 } from './read-bytes';

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const NO_NEXT = 59;
const DEST_OPTS = 60;
const MAX_EXTENSIONS = 16;

export function decodeIpv6(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  out.protocol = 'IPv6';
  if (avail < 1) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'IPv6 header missing';
    return;
  }
  const version = d[o] >> 4;
  if (version !== 6) {
    out.flags |= PKT_MALFORMED;
    out.info = 'Bogus IP version (' + version + ', must be 6)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Protocol Version 6 [bogus version ' + version + ']', o, avail);
    return;
  }
  if (avail < HEADER) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'IPv6 header truncated (' + avail + ' of 40 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Protocol Version 6 [truncated]', o, avail);
    return;
  }
  const payloadLen = u16(d, o + 4);
  let next = d[o + 6];
  out.ipVersion = 6;
  out.ttl = d[o + 7];
  out.src = ipv6Text(d, o + 8);
  out.dst = ipv6Text(d, o + 24);
  const layer = ctx.tree !== null ? addIpv6Tree(ctx.tree, d, o, out.src, out.dst) : null;

  // A zero payload length means a jumbogram (RFC 2675) or an offloaded send: trust the capture.
  let wireEnd = payloadLen === 0 ? ctx.wireEnd : o + HEADER + payloadLen;
  if (wireEnd > ctx.wireEnd && ctx.wireLengthKnown) {
    out.flags |= PKT_MALFORMED; // longer than the frame on the wire
    wireEnd = ctx.wireEnd;
  }
  if (wireEnd > ctx.end) out.flags |= PKT_TRUNCATED;
  else ctx.end = wireEnd;
  ctx.wireEnd = wireEnd;

  let p = o + HEADER;
  for (let n = 0; n < MAX_EXTENSIONS; n++) {
    if (next !== HOP_BY_HOP && next !== ROUTING && next !== DEST_OPTS && next !== FRAGMENT && next !== AH) break;
    if (ctx.end - p < 8) {
      // Every extension header is at least 8 bytes.
      out.flags |= ctx.end < ctx.wireEnd ? PKT_TRUNCATED : PKT_MALFORMED;
      out.ipProto = next;
      out.info = 'IPv6 extension header ' + next + ' truncated';
      return;
    }
    const hdrNext = d[p];
    let len: number;
    if (next === FRAGMENT) len = 8;
    else if (next === AH) len = (d[p + 1] + 2) * 4;
    else len = (d[p + 1] + 1) * 8;
    if (ctx.end - p < len) {
      out.flags |= ctx.end < ctx.wireEnd ? PKT_TRUNCATED : PKT_MALFORMED;
      out.ipProto = next;
      out.info = 'IPv6 extension header ' + next + ' truncated (' + (ctx.end - p) + ' of ' + len + ' bytes)';
      return;
    }
    if (layer !== null) addExtensionField(layer, d, p, next, len);
    if (next === FRAGMENT) {
      const fragField = u16(d, p + 2);
      const fragOffset = fragField & 0xfff8;
      const more = (fragField & 1) !== 0;
      if (fragOffset !== 0 || more) {
        out.flags |= PKT_IP_FRAGMENT;
        out.info = 'IPv6 fragment (off=' + fragOffset + ' more=' + (more ? 'y' : 'n') + ' ident=' + hex(u32(d, p + 4), 8) +
          ' nxt=' + hdrNext + ')';
        if (fragOffset !== 0) {
          out.ipProto = hdrNext;
          return;
        }
        ctx.ipFragment = true;
      }
      // An atomic fragment (offset 0, no more) is a whole datagram (RFC 6946).
    }
    next = hdrNext;
    p += len;
  }
  out.ipProto = next;
  ctx.offset = p;
  if (next === NO_NEXT) {
    out.info = 'IPv6 no next header';
    return;
  }
  ctx.next = NEXT_IP_PROTO;
  ctx.nextKey = next;
}

function addIpv6Tree(tree: TreeNode[], d: Uint8Array, o: number, src: string, dst: string): TreeNode {
  const layer = addLayer(tree, 'Internet Protocol Version 6, Src: ' + src + ', Dst: ' + dst, o, HEADER);
  const first = u32(d, o);
  const next = d[o + 6];
  addField(layer, 'Version: 6', o, 1);
  addField(layer, 'Traffic Class: ' + hex((first >>> 20) & 0xff, 2), o, 2);
  addField(layer, 'Flow Label: ' + hex(first & 0xfffff, 5), o + 1, 3);
  addField(layer, 'Payload Length: ' + u16(d, o + 4), o + 4, 2);
  addField(layer, 'Next Header: ' + (ipProtocolName(next) ?? 'Unknown') + ' (' + next + ')', o + 6, 1);
  addField(layer, 'Hop Limit: ' + d[o + 7], o + 7, 1);
  addField(layer, 'Source Address: ' + src, o + 8, 16);
  addField(layer, 'Destination Address: ' + dst, o + 24, 16);
  return layer;
}

const EXTENSION_LABELS = new Map<number, string>([
  [HOP_BY_HOP, 'IPv6 Hop-by-Hop Option'], [ROUTING, 'Routing Header for IPv6'], [FRAGMENT, 'Fragment Header for IPv6'],
  [AH, 'Authentication Header'], [DEST_OPTS, 'Destination Options for IPv6'],
]);

function addExtensionField(layer: TreeNode, d: Uint8Array, p: number, type: number, len: number): void {
  const node = addField(layer, (EXTENSION_LABELS.get(type) ?? 'Extension header ' + type) + ' (' + len + ' bytes)', p, len);
  addField(node, 'Next Header: ' + (ipProtocolName(d[p]) ?? 'Unknown') + ' (' + d[p] + ')', p, 1);
  if (type === FRAGMENT) {
    const f = u16(d, p + 2);
    addField(node, 'Offset: ' + (f & 0xfff8) + ', More Fragments: ' + (f & 1 ? 'Yes' : 'No'), p + 2, 2);
    addField(node, 'Identification: ' + hex(u32(d, p + 4), 8), p + 4, 4);
  }
}
