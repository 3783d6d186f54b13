/*
 * Ethernet II and IEEE 802.3 (IEEE 802.3 §3.2.6: a type/length field ≤ 1500 is a length),
 * and the 802.1Q / 802.1ad (QinQ) tags that may follow.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { macText } from './format-address';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { etherTypeLabel } from './protocol-names';
import { hex, u16 } from './read-bytes';

const ETH_HEADER = 14;
const MAX_8023_LENGTH = 1500;
/** IEEE 802.3: type values start at 0x0600; 1501..1535 are neither length nor type. */
const MIN_ETHERTYPE = 0x0600;

export function decodeEthernet(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'Ethernet';
  if (ctx.end - o < ETH_HEADER) {
    out.flags |= PKT_TRUNCATED;
    out.info = 'Ethernet header truncated (' + (ctx.end - o) + ' of 14 bytes)';
    if (ctx.end - o >= 6) out.macDst = out.dst = macText(d, o);
    if (ctx.end - o >= 12) out.macSrc = out.src = macText(d, o + 6);
    if (ctx.tree !== null) addLayer(ctx.tree, 'Ethernet II [truncated]', o, ctx.end - o);
    return;
  }
  out.macDst = macText(d, o);
  out.macSrc = macText(d, o + 6);
  out.dst = out.macDst;
  out.src = out.macSrc;
  // A frame inside a tunnel (GRE bridging, VXLAN, ERSPAN) starts the network view afresh: its own
  // layers, not the tunnel's, give the addresses, protocol and ports (as Wireshark's columns do).
  out.ipVersion = 0;
  out.ipProto = -1;
  out.sport = out.dport = ctx.sport = ctx.dport = -1;
  out.tcpFlags = 0;
  const type = u16(d, o + 12);
  ctx.offset = o + ETH_HEADER;

  if (type <= MAX_8023_LENGTH) {
    if (ctx.tree !== null) {
      const layer = addLayer(ctx.tree, 'IEEE 802.3 Ethernet, Src: ' + out.macSrc + ', Dst: ' + out.macDst, o, ETH_HEADER);
      addMacFields(layer, out.macDst, out.macSrc, o);
      addField(layer, 'Length: ' + type, o + 12, 2);
    }
    // The length excludes padding: the LLC payload ends there.
    if (ctx.offset + type < ctx.end) ctx.end = ctx.offset + type;
    ctx.wireEnd = ctx.offset + type;
    decodeLlc(ctx);
    return;
  }

  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Ethernet II, Src: ' + out.macSrc + ', Dst: ' + out.macDst, o, ETH_HEADER);
    addMacFields(layer, out.macDst, out.macSrc, o);
    addField(layer, 'Type: ' + etherTypeLabel(type), o + 12, 2);
  }
  if (type < MIN_ETHERTYPE) {
    out.flags |= PKT_MALFORMED;
    out.info = 'Invalid Ethernet type/length ' + hex(type, 4);
    return;
  }
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = type;
}

function addMacFields(layer: ReturnType<typeof addLayer>, dst: string, src: string, o: number): void {
  addField(layer, 'Destination: ' + dst, o, 6);
  addField(layer, 'Source: ' + src, o + 6, 6);
}

/**
 * IEEE 802.2 LLC after an 802.3 length. SNAP with a zero OUI (RFC 1042) carries an ethertype and
 * continues like Ethernet II; anything else is named and left undecoded.
 */
function decodeLlc(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'LLC';
  if (ctx.end - o < 3) {
    out.flags |= ctx.wireEnd > ctx.end ? PKT_TRUNCATED : PKT_MALFORMED;
    out.info = 'LLC header truncated';
    return;
  }
  const dsap = d[o];
  const ssap = d[o + 1];
  const control = d[o + 2];
  // 802.2: control is 2 bytes for I- and S-format PDUs (low bits 0 or 01), 1 byte for U-format (11).
  const controlLen = (control & 3) === 3 ? 1 : 2;
  const isSnap = dsap === 0xaa && ssap === 0xaa && controlLen === 1;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Logical-Link Control', o, Math.min(isSnap ? 8 : 2 + controlLen, ctx.end - o));
    addField(layer, 'DSAP: ' + hex(dsap, 2), o, 1);
    addField(layer, 'SSAP: ' + hex(ssap, 2), o + 1, 1);
    addField(layer, 'Control field: ' + hex(control, 2), o + 2, Math.min(controlLen, ctx.end - o - 2));
  }
  if (isSnap) {
    if (ctx.end - o < 8) {
      out.flags |= ctx.wireEnd > ctx.end ? PKT_TRUNCATED : PKT_MALFORMED;
      out.info = 'SNAP header truncated';
      return;
    }
    const oui = (d[o + 3] << 16) | (d[o + 4] << 8) | d[o + 5];
    const pid = u16(d, o + 6);
    if (ctx.tree !== null) {
      const layer = ctx.tree[ctx.tree.length - 1];
      addField(layer, 'Organization Code: ' + hex(oui, 6), o + 3, 3);
      addField(layer, 'PID: ' + hex(pid, 4), o + 6, 2);
    }
    ctx.offset = o + 8;
    if (oui === 0) {
      ctx.next = NEXT_ETHERTYPE;
      ctx.nextKey = pid;
      return;
    }
    out.info = 'SNAP OUI ' + hex(oui, 6) + ', PID ' + hex(pid, 4);
    return;
  }
  // 802.1D: DSAP/SSAP 0x42 is the spanning tree protocol.
  if (dsap === 0x42 && ssap === 0x42) out.protocol = 'STP';
  out.info = 'DSAP ' + hex(dsap, 2) + ', SSAP ' + hex(ssap, 2) + ', Control ' + hex(control, 2);
}

/**
 * IEEE 802.1Q tag (also 802.1ad S-tag and the pre-standard 0x9100): TCI then the inner type.
 * Registered in the ethertype table, so QinQ is simply two passes through here.
 */
export function decodeVlanTag(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  if (ctx.end - o < 4) {
    out.flags |= PKT_TRUNCATED;
    out.info = '802.1Q tag truncated';
    if (ctx.tree !== null) addLayer(ctx.tree, '802.1Q Virtual LAN [truncated]', o, ctx.end - o);
    return;
  }
  const tci = u16(d, o);
  const vid = tci & 0x0fff;
  const type = u16(d, o + 2);
  out.vlans.push(vid);
  ctx.offset = o + 4;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, '802.1Q Virtual LAN, PRI: ' + (tci >> 13) + ', DEI: ' + ((tci >> 12) & 1) + ', ID: ' + vid, o, 4);
    addField(layer, 'Priority: ' + (tci >> 13), o, 2);
    addField(layer, 'DEI: ' + ((tci >> 12) & 1), o, 2);
    addField(layer, 'ID: ' + vid, o, 2);
    addField(layer, (type <= MAX_8023_LENGTH ? 'Length: ' + type : 'Type: ' + etherTypeLabel(type)), o + 2, 2);
  }
  if (type <= MAX_8023_LENGTH) {
    if (ctx.offset + type < ctx.end) ctx.end = ctx.offset + type;
    ctx.wireEnd = ctx.offset + type;
    decodeLlc(ctx);
    return;
  }
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = type;
}
