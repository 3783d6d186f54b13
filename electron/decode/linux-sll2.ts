/*
 * Linux "cooked" capture v2, LINKTYPE_LINUX_SLL2 (276): protocol, reserved, interface index,
 * ARPHRD type, packet type, address length, 8 address bytes (20 bytes).
 */
import type { DecodeContext } from './decode-context';
import { hwAddrText } from './format-address';
import { addField, addLayer } from './layer-tree';
import { addSllProtocolField, continueAfterCookedHeader, packetTypeLabel } from './linux-sll';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { u16, u32 } from './read-bytes';

const SLL2_HEADER = 20;
const SLL_ADDR_MAX = 8;

export function decodeLinuxSll2(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'SLL2';
  if (ctx.end - o < SLL2_HEADER) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'Linux cooked v2 header truncated (' + (ctx.end - o) + ' of 20 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Linux cooked capture v2 [truncated]', o, ctx.end - o);
    return;
  }
  const protocol = u16(d, o);
  const ifIndex = u32(d, o + 4);
  const arphrd = u16(d, o + 8);
  const pktType = d[o + 10];
  const addrLen = d[o + 11];
  const shown = addrLen > SLL_ADDR_MAX ? SLL_ADDR_MAX : addrLen;
  if (addrLen > SLL_ADDR_MAX) out.flags |= PKT_MALFORMED;
  if (shown > 0) {
    out.macSrc = hwAddrText(d, o + 12, shown);
    out.src = out.macSrc;
  }
  ctx.offset = o + SLL2_HEADER;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Linux cooked capture v2', o, SLL2_HEADER);
    addSllProtocolField(layer, protocol, o);
    addField(layer, 'Interface index: ' + ifIndex, o + 4, 4);
    addField(layer, 'Link-layer address type: ' + arphrd, o + 8, 2);
    addField(layer, 'Packet type: ' + packetTypeLabel(pktType), o + 10, 1);
    addField(layer, 'Link-layer address length: ' + addrLen, o + 11, 1);
    if (shown > 0) addField(layer, 'Source: ' + out.macSrc, o + 12, shown);
  }
  continueAfterCookedHeader(ctx, protocol);
}
