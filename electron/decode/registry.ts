/*
 * Which decoder handles the next layer. Every choice by link type, ethertype, IP protocol or port
 * is made from these tables, so adding a protocol is one import and one table row.
 */
import type { DecodeContext, LayerDecoder, PayloadDecoder } from './decode-context';
import { decodeArp, decodeRarp } from './arp';
import { decodeDnsTcp, decodeDnsUdp, decodeLlmnr, decodeMdns } from './dns';
import { decodeEthernet, decodeVlanTag } from './ethernet';
import { decodeErspan, decodeGre, ETHERTYPE_TEB, PPP_IN_GRE } from './gre';
import { decodeHttp, decodeSsdp } from './http';
import { decodeIcmp } from './icmp';
import { decodeIcmpv6 } from './icmpv6';
import { decodeIpv4 } from './ipv4';
import { decodeIpv6 } from './ipv6';
import { decodeLinuxSll } from './linux-sll';
import { decodeLinuxSll2 } from './linux-sll2';
import { decodeMpls } from './mpls';
import { decodeNullLoopback, decodeOpenBsdLoop } from './null-loopback';
import { decodePpp, decodePppHdlc, decodePppoeDiscovery, decodePppoeSession } from './ppp';
import { decodeRawIp, decodeRawIpv4, decodeRawIpv6 } from './raw-ip';
import { decodeTcp } from './tcp';
import { decodeTls, decodeTlsHeuristic } from './tls';
import { decodeUdp } from './udp';
import { decodeVxlan } from './vxlan';

/** tcpdump.org LINKTYPE_* values. */
export const linkTypeDecoders = new Map<number, LayerDecoder>([
  [0, decodeNullLoopback], // LINKTYPE_NULL
  [1, decodeEthernet], // LINKTYPE_ETHERNET
  [9, decodePpp], // LINKTYPE_PPP
  [50, decodePppHdlc], // LINKTYPE_PPP_HDLC
  [101, decodeRawIp], // LINKTYPE_RAW
  [108, decodeOpenBsdLoop], // LINKTYPE_LOOP
  [113, decodeLinuxSll], // LINKTYPE_LINUX_SLL
  [228, decodeRawIpv4], // LINKTYPE_IPV4
  [229, decodeRawIpv6], // LINKTYPE_IPV6
  [276, decodeLinuxSll2], // LINKTYPE_LINUX_SLL2
]);

export const etherTypeDecoders = new Map<number, LayerDecoder>([
  [0x0800, decodeIpv4],
  [0x0806, decodeArp],
  [0x8035, decodeRarp],
  [0x8100, decodeVlanTag], // IEEE 802.1Q C-tag
  [0x88a8, decodeVlanTag], // IEEE 802.1ad S-tag (QinQ outer)
  [0x9100, decodeVlanTag], // pre-standard QinQ outer tag
  [0x86dd, decodeIpv6],
  [0x8863, decodePppoeDiscovery], // RFC 2516
  [0x8864, decodePppoeSession],
  [0x8847, decodeMpls], // RFC 3032, unicast
  [0x8848, decodeMpls], // multicast
  [ETHERTYPE_TEB, decodeEthernet], // an Ethernet frame inside GRE, VXLAN, ERSPAN, an MPLS pseudowire
  [0x88be, decodeErspan], // ERSPAN type II in GRE
  [PPP_IN_GRE, decodePpp], // PPTP: PPP in enhanced GRE (0x880b)
]);

/** IANA protocol numbers (IPv4 protocol field, IPv6 next header). */
export const ipProtocolDecoders = new Map<number, LayerDecoder>([
  [1, decodeIcmp],
  [4, decodeIpv4], // IP-in-IP (RFC 2003)
  [6, decodeTcp],
  [17, decodeUdp],
  [41, decodeIpv6], // IPv6 in IPv4/IPv6 (RFC 4213, RFC 2473)
  [47, decodeGre], // RFC 2784
  [137, decodeMpls], // MPLS in IP (RFC 4023)
  [58, decodeIcmpv6],
]);

export const tcpPortDecoders = new Map<number, PayloadDecoder>([
  [53, decodeDnsTcp],
  [80, decodeHttp], [8080, decodeHttp], [8000, decodeHttp], [3128, decodeHttp],
  [443, decodeTls], [465, decodeTls], [636, decodeTls], [853, decodeTls], [993, decodeTls], [995, decodeTls], [8443, decodeTls],
]);

export const udpPortDecoders = new Map<number, PayloadDecoder>([
  [53, decodeDnsUdp],
  [1900, decodeSsdp],
  [5353, decodeMdns],
  [5355, decodeLlmnr],
  [4789, decodeVxlan], // RFC 7348
]);

/** Tried in order on TCP payloads that no port claimed; each checks its own signature first. */
export const tcpHeuristicDecoders: PayloadDecoder[] = [decodeHttp, decodeTlsHeuristic];

/**
 * Port decoders are tried lower port first (the server side, usually, as Wireshark does), then the
 * other port, then the heuristics. A decoder that does not recognise the bytes changes nothing.
 */
export function decodeTcpPayload(ctx: DecodeContext): boolean {
  const first = lowerPortDecoder(tcpPortDecoders, ctx);
  if (first !== undefined && first(ctx)) return true;
  const second = higherPortDecoder(tcpPortDecoders, ctx, first);
  if (second !== undefined && second(ctx)) return true;
  for (let i = 0; i < tcpHeuristicDecoders.length; i++) {
    const h = tcpHeuristicDecoders[i];
    if (h !== first && h !== second && h(ctx)) return true;
  }
  return false;
}

export function decodeUdpPayload(ctx: DecodeContext): boolean {
  const first = lowerPortDecoder(udpPortDecoders, ctx);
  if (first !== undefined && first(ctx)) return true;
  const second = higherPortDecoder(udpPortDecoders, ctx, first);
  return second !== undefined && second(ctx);
}

/** The decoder of the lower of the two ports. */
function lowerPortDecoder(table: Map<number, PayloadDecoder>, ctx: DecodeContext): PayloadDecoder | undefined {
  return table.get(ctx.sport < ctx.dport ? ctx.sport : ctx.dport);
}

/** The decoder of the higher port, unless the ports are equal or it is the one already tried (`first`). */
function higherPortDecoder(table: Map<number, PayloadDecoder>, ctx: DecodeContext, first: PayloadDecoder | undefined): PayloadDecoder | undefined {
  if (ctx.sport === ctx.dport) return undefined;
  const second = table.get(ctx.sport < ctx.dport ? ctx.dport : ctx.sport);
  return second === first ? undefined : second;
}
