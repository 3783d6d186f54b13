/*
 * ARP (RFC 826) and RARP (RFC 903). Only Ethernet/IPv4 address pairs are turned into text;
 * other hardware/protocol combinations are named by opcode.
 */
import type { DecodeContext } from './decode-context';
import { hwAddrText, ipv4Text, macText } from './format-address';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from './packet-summary';
import { hex, u16 } from './read-bytes';

const ARP_FIXED = 8;
const OP_REQUEST = 1;
const OP_REPLY = 2;
const OP_RARP_REQUEST = 3;
const OP_RARP_REPLY = 4;
const OPCODE_NAMES = ['', 'request', 'reply', 'reverse request', 'reverse reply'];

export function decodeArp(ctx: DecodeContext): void {
  decode(ctx, 'ARP');
}

export function decodeRarp(ctx: DecodeContext): void {
  decode(ctx, 'RARP');
}

function decode(ctx: DecodeContext, name: string): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  out.protocol = name;
  if (ctx.end - o < ARP_FIXED) {
    out.flags |= PKT_TRUNCATED;
    out.info = name + ' header truncated';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Address Resolution Protocol [truncated]', o, ctx.end - o);
    return;
  }
  const htype = u16(d, o);
  const ptype = u16(d, o + 2);
  const hlen = d[o + 4];
  const plen = d[o + 5];
  const op = u16(d, o + 6);
  const total = ARP_FIXED + 2 * (hlen + plen);
  const layer = ctx.tree !== null
    ? addLayer(ctx.tree, 'Address Resolution Protocol (' + (OPCODE_NAMES[op] ?? 'opcode ' + op) + ')', o, Math.min(total, ctx.end - o))
    : null;
  if (layer !== null) {
    addField(layer, 'Hardware type: ' + htype, o, 2);
    addField(layer, 'Protocol type: ' + hex(ptype, 4), o + 2, 2);
    addField(layer, 'Hardware size: ' + hlen, o + 4, 1);
    addField(layer, 'Protocol size: ' + plen, o + 5, 1);
    addField(layer, 'Opcode: ' + (OPCODE_NAMES[op] ?? 'unknown') + ' (' + op + ')', o + 6, 2);
  }
  if (ctx.end - o < total) {
    out.flags |= PKT_TRUNCATED;
    out.info = name + ' ' + (OPCODE_NAMES[op] ?? 'opcode ' + op) + ' (truncated)';
    return;
  }
  const sha = o + ARP_FIXED;
  const spa = sha + hlen;
  const tha = spa + plen;
  const tpa = tha + hlen;
  // Ethernet-like hardware (1) or IEEE 802 (6), with IPv4 addresses: the common case.
  if ((htype !== 1 && htype !== 6) || ptype !== 0x0800 || hlen !== 6 || plen !== 4) {
    out.info = name + ' ' + (OPCODE_NAMES[op] ?? 'opcode ' + op) + ' (hardware type ' + htype + ', protocol ' + hex(ptype, 4) + ')';
    if (layer !== null) {
      addField(layer, 'Sender hardware address: ' + hwAddrText(d, sha, hlen), sha, hlen);
      addField(layer, 'Target hardware address: ' + hwAddrText(d, tha, hlen), tha, hlen);
    }
    return;
  }
  const senderMac = macText(d, sha);
  const senderIp = ipv4Text(d, spa);
  const targetMac = macText(d, tha);
  const targetIp = ipv4Text(d, tpa);
  out.arp = { op, senderMac, senderIp, targetMac, targetIp };
  if (layer !== null) addAddressFields(layer, out.arp, sha, spa, tha, tpa);
  out.info = arpInfo(op, senderMac, senderIp, targetMac, targetIp);
  if (op < OP_REQUEST || op > OP_RARP_REPLY) out.flags |= PKT_MALFORMED;
}

function arpInfo(op: number, senderMac: string, senderIp: string, targetMac: string, targetIp: string): string {
  switch (op) {
    case OP_REQUEST:
      // RFC 5227: a probe has sender IP 0.0.0.0; a gratuitous request/announcement asks for itself.
      if (senderIp === '0.0.0.0') return 'Who has ' + targetIp + '? (ARP Probe)';
      // RFC 5227 §2.3: an announcement leaves the target MAC zero; otherwise it is plain gratuitous.
      if (senderIp === targetIp) {
        return targetMac === '00:00:00:00:00:00' ? 'ARP Announcement for ' + senderIp : 'Gratuitous ARP for ' + senderIp + ' (Request)';
      }
      return 'Who has ' + targetIp + '? Tell ' + senderIp;
    case OP_REPLY:
      if (senderIp === targetIp) return 'Gratuitous ARP for ' + senderIp + ' (Reply)';
      return senderIp + ' is at ' + senderMac;
    case OP_RARP_REQUEST:
      return 'Who is ' + targetMac + '? Tell ' + senderMac;
    case OP_RARP_REPLY:
      return targetMac + ' is at ' + targetIp;
    default:
      return 'Unknown ARP opcode ' + op;
  }
}

function addAddressFields(layer: TreeNode, a: { senderMac: string; senderIp: string; targetMac: string; targetIp: string },
  sha: number, spa: number, tha: number, tpa: number): void {
  addField(layer, 'Sender MAC address: ' + a.senderMac, sha, 6);
  addField(layer, 'Sender IP address: ' + a.senderIp, spa, 4);
  addField(layer, 'Target MAC address: ' + a.targetMac, tha, 6);
  addField(layer, 'Target IP address: ' + a.targetIp, tpa, 4);
}
