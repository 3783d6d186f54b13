/*
 * Linux "cooked" capture v1, LINKTYPE_LINUX_SLL (113): a 16-byte pseudo-header
 * (packet type, ARPHRD type, address length, 8 address bytes, protocol) in place of a link header.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { hwAddrText } from './format-address';
import { addField, addLayer } from './layer-tree';
import type { TreeNode } from './packet-summary';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { etherTypeLabel } from './protocol-names';
import { hex, u16 } from './read-bytes';

const SLL_HEADER = 16;
const SLL_ADDR_MAX = 8;

const PACKET_TYPES = ['Unicast to us', 'Broadcast', 'Multicast', 'Unicast to another host', 'Sent by us'];

export function packetTypeLabel(t: number): string {
  return t < PACKET_TYPES.length ? PACKET_TYPES[t] + ' (' + t + ')' : 'Unknown (' + t + ')';
}

export function decodeLinuxSll(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'SLL';
  if (ctx.end - o < SLL_HEADER) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'Linux cooked header truncated (' + (ctx.end - o) + ' of 16 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Linux cooked capture v1 [truncated]', o, ctx.end - o);
    return;
  }
  const pktType = u16(d, o);
  const arphrd = u16(d, o + 2);
  const addrLen = u16(d, o + 4);
  const protocol = u16(d, o + 14);
  // The field holds 8 bytes whatever the address length says; a larger claim is clamped.
  const shown = addrLen > SLL_ADDR_MAX ? SLL_ADDR_MAX : addrLen;
  if (addrLen > SLL_ADDR_MAX) out.flags |= PKT_MALFORMED;
  if (shown > 0) {
    out.macSrc = hwAddrText(d, o + 6, shown);
    out.src = out.macSrc;
  }
  ctx.offset = o + SLL_HEADER;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Linux cooked capture v1', o, SLL_HEADER);
    addField(layer, 'Packet type: ' + packetTypeLabel(pktType), o, 2);
    addField(layer, 'Link-layer address type: ' + arphrd, o + 2, 2);
    addField(layer, 'Link-layer address length: ' + addrLen, o + 4, 2);
    if (shown > 0) addField(layer, 'Source: ' + out.macSrc, o + 6, shown);
    addSllProtocolField(layer, protocol, o + 14);
  }
  continueAfterCookedHeader(ctx, protocol);
}

export function addSllProtocolField(layer: TreeNode, protocol: number, at: number): void {
  addField(layer, 'Protocol: ' + (protocol >= 0x0600 ? etherTypeLabel(protocol) : hex(protocol, 4)), at, 2);
}

/**
 * The protocol field is an ethertype, except for the small Linux ETH_P_* values below 0x0600
 * (packet(7): 802.3 frames, 802.2 LLC, CAN, ...), which we name but do not decode.
 */
export function continueAfterCookedHeader(ctx: DecodeContext, protocol: number): void {
  if (protocol >= 0x0600) {
    ctx.next = NEXT_ETHERTYPE;
    ctx.nextKey = protocol;
    return;
  }
  const out = ctx.out;
  switch (protocol) {
    case 0x0001: out.info = 'Novell 802.3 frame (not decoded)'; break;
    case 0x0004: out.protocol = 'LLC'; out.info = '802.2 LLC frame (not decoded)'; break;
    case 0x000c: out.protocol = 'CAN'; out.info = 'CAN frame (not decoded)'; break;
    case 0x000d: out.protocol = 'CAN'; out.info = 'CAN FD frame (not decoded)'; break;
    default: out.info = 'Linux protocol ' + hex(protocol, 4) + ' (not decoded)';
  }
}
