/*
 * GRE (RFC 2784, key and sequence number RFC 2890; version 1 is PPTP's enhanced GRE, RFC 2637 §4.1)
 * and ERSPAN type II (draft-foschiano-erspan §4.1), which GRE carries as protocol 0x88be. The GRE
 * protocol type is an ethertype: 0x0800 IPv4, 0x86dd IPv6, 0x6558 an Ethernet frame (transparent
 * Ethernet bridging), 0x8847 MPLS, 0x880b PPP. Inner addresses and ports replace the outer ones,
 * as in Wireshark's columns.
 */
import { NEXT_ETHERTYPE, type DecodeContext } from './decode-context';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED } from './packet-summary';
import { etherTypeLabel } from './protocol-names';
import { hex, u16, u32 } from './read-bytes';

const GRE_C = 0x8000, GRE_R = 0x4000, GRE_K = 0x2000, GRE_S = 0x1000, GRE_A = 0x0080;
/** GRE protocol type of an Ethernet frame (transparent Ethernet bridging). */
export const ETHERTYPE_TEB = 0x6558;
const ETHERTYPE_PPP = 0x880b;

export function decodeGre(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'GRE';
  if (ctx.end - o < 4) return truncated(ctx, 'GRE header truncated');
  const flags = u16(d, o);
  const version = flags & 7;
  const proto = u16(d, o + 2);
  // Optional words, in order: checksum + offset (C or R), key (K), sequence (S), ack (A, version 1).
  let len = 4;
  if (flags & (GRE_C | GRE_R)) len += 4;
  if (flags & GRE_K) len += 4;
  if (flags & GRE_S) len += 4;
  if (version === 1 && (flags & GRE_A)) len += 4;
  if (ctx.end - o < len) return truncated(ctx, 'GRE header truncated (' + (ctx.end - o) + ' of ' + len + ' bytes)');
  out.info = 'Encapsulated ' + etherTypeLabel(proto);
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Generic Routing Encapsulation (' + etherTypeLabel(proto) + ')', o, len);
    addField(layer, 'Flags and Version: ' + hex(flags, 4), o, 2);
    addField(layer, 'Protocol Type: ' + etherTypeLabel(proto), o + 2, 2);
    let f = o + 4;
    if (flags & (GRE_C | GRE_R)) { addField(layer, 'Checksum: ' + hex(u16(d, f), 4), f, 2); f += 4; }
    if (flags & GRE_K) { addField(layer, 'Key: ' + hex(u32(d, f), 8), f, 4); f += 4; }
    if (flags & GRE_S) addField(layer, 'Sequence Number: ' + u32(d, f), f, 4);
  }
  ctx.offset = o + len;
  if (version > 1) {
    out.flags |= PKT_MALFORMED;
    out.info = 'GRE version ' + version + ' (not decoded)';
    return;
  }
  if (ctx.offset >= ctx.end) return; // keepalive or an empty payload
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = proto === ETHERTYPE_PPP ? PPP_IN_GRE : proto;
}

/**
 * PPTP carries PPP in GRE (0x880b). The ethertype table maps this private key to the PPP decoder
 * (no ethertype 0x880b frame exists outside GRE, but keeping the key apart avoids any doubt).
 */
export const PPP_IN_GRE = 0x1880b;

const ERSPAN_II_HEADER = 8;

/** ERSPAN type II: an 8-byte header, then the mirrored Ethernet frame. */
export function decodeErspan(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = 'ERSPAN';
  if (ctx.end - o < ERSPAN_II_HEADER) return truncated(ctx, 'ERSPAN header truncated');
  const version = d[o] >> 4;
  const vlan = u16(d, o) & 0x0fff;
  const session = u16(d, o + 2) & 0x03ff;
  out.info = 'ERSPAN type ' + (version === 1 ? 'II' : version === 2 ? 'III' : 'version ' + version) + ', session ' + session;
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'Encapsulated Remote Switch Packet ANalysis Type II', o, ERSPAN_II_HEADER);
    addField(layer, 'Version: ' + version, o, 1);
    addField(layer, 'Vlan: ' + vlan, o, 2);
    addField(layer, 'SpanID: ' + session, o + 2, 2);
  }
  // Type III (version 2) has a longer, variable header; only type II is decoded further.
  if (version !== 1) return;
  ctx.offset = o + ERSPAN_II_HEADER;
  ctx.next = NEXT_ETHERTYPE;
  ctx.nextKey = ETHERTYPE_TEB;
}

function truncated(ctx: DecodeContext, info: string): void {
  ctx.out.flags |= ctx.wireEnd > ctx.end ? PKT_TRUNCATED : PKT_MALFORMED;
  ctx.out.info = info;
  if (ctx.tree !== null) addLayer(ctx.tree, info, ctx.offset, Math.max(0, ctx.end - ctx.offset));
}
