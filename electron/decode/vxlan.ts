/*
 * VXLAN (RFC 7348 §5) on UDP 4789: an 8-byte header with the I flag and a 24-bit network
 * identifier, then an Ethernet frame, which continues through the ethertype table as 0x6558.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { ETHERTYPE_TEB } from './gre';
import { addField, addLayer } from './layer-tree';
import { hex, u24 } from './read-bytes';

const HEADER = 8;
const FLAG_I = 0x08;

export function decodeVxlan(ctx: DecodeContext): boolean {
  const d = ctx.data;
  const o = ctx.offset;
  // Not VXLAN unless the header fits and the I flag (a valid VNI) is set; the UDP view stays otherwise.
  if (ctx.end - o < HEADER + 14 || (d[o] & FLAG_I) === 0) return false;
  const vni = u24(d, o + 4);
  ctx.out.protocol = 'VXLAN';
  ctx.out.info = 'VNI ' + vni;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Virtual eXtensible Local Area Network', o, HEADER);
    addField(layer, 'Flags: ' + hex(d[o], 2), o, 1);
    addField(layer, 'VXLAN Network Identifier (VNI): ' + vni, o + 4, 3);
  }
  ctx.offset = o + HEADER;
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = ETHERTYPE_TEB;
  return true;
}
