/*
 * ICMP for IPv4 (RFC 792). Error messages quote the offending datagram's IP header and at least
 * its first 8 bytes (RFC 792; RFC 1812 §4.3.2.3 allows more): that quote tells which flow was
 * refused, so it is decoded into IcmpSummary.quoted, down to the DNS question when the quoted
 * datagram is DNS. out.src/dst/ipProto stay those of the outer packet.
 */
import type { DecodeContext } from './decode-context';
import { addDnsMessageTree, dnsQuestionName } from './dns';
import { ipv4Text, ipv6Text } from './format-address';
import { addField, addLayer } from './layer-tree';
import { PKT_MALFORMED, PKT_TRUNCATED, type IcmpSummary, type QuotedPacket, type TreeNode } from './packet-summary';
import { ipProtocolName } from './protocol-names';
import { hex, u16, u32 } from './read-bytes';

const HEADER = 8;

const TYPE_ECHO_REPLY = 0;
const TYPE_DEST_UNREACHABLE = 3;
const TYPE_SOURCE_QUENCH = 4;
const TYPE_REDIRECT = 5;
const TYPE_ECHO_REQUEST = 8;
const TYPE_TIME_EXCEEDED = 11;
const TYPE_PARAMETER_PROBLEM = 12;

const UNREACHABLE_CODES = [
  'Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable', 'Fragmentation needed',
  'Source route failed', 'Destination network unknown', 'Destination host unknown', 'Source host isolated',
  'Network administratively prohibited', 'Host administratively prohibited', 'Network unreachable for TOS',
  'Host unreachable for TOS', 'Communication administratively filtered', 'Host precedence violation',
  'Precedence cutoff in effect',
];
const REDIRECT_CODES = ['Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host'];
const TIME_EXCEEDED_CODES = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];
const PARAMETER_CODES = ['Pointer indicates the error', 'Required option missing', 'Bad length'];

const TYPE_NAMES = new Map<number, string>([
  [0, 'Echo (ping) reply'], [3, 'Destination unreachable'], [4, 'Source quench (flow control)'], [5, 'Redirect'],
  [8, 'Echo (ping) request'], [9, 'Router advertisement'], [10, 'Router solicitation'], [11, 'Time-to-live exceeded'],
  [12, 'Parameter problem'], [13, 'Timestamp request'], [14, 'Timestamp reply'], [15, 'Information request'],
  [16, 'Information reply'], [17, 'Address mask request'], [18, 'Address mask reply'], [30, 'Traceroute'],
  [42, 'Extended Echo request'], [43, 'Extended Echo reply'],
]);

/**
 * Code names in the detail tree, by type, as Wireshark's tree shows them ("Code: 3 (Port
 * unreachable)"). Types not listed here have no code names ("Code: 0").
 */
const TREE_CODE_NAMES = new Map<number, string[]>([
  [TYPE_DEST_UNREACHABLE, UNREACHABLE_CODES], [TYPE_REDIRECT, REDIRECT_CODES], [TYPE_TIME_EXCEEDED, TIME_EXCEEDED_CODES],
  [TYPE_PARAMETER_PROBLEM, PARAMETER_CODES],
  [42, ['No error']],
  [43, ['No error', 'Malformed Query', 'No Such Interface', 'No Such Table Entry', 'Multiple Interfaces Satisfy Query']],
]);

/** "Code: 3 (Port unreachable)", "Code: 99 (Unknown code: 99)", or "Code: 0" for a type without code names. */
function codeLabel(type: number, code: number): string {
  const names = TREE_CODE_NAMES.get(type);
  if (names === undefined) return 'Code: ' + code;
  return 'Code: ' + code + ' (' + (names[code] ?? 'Unknown code: ' + code) + ')';
}

/** Ports whose quoted UDP payload is a DNS message (DNS, mDNS, LLMNR). */
function isDnsPort(port: number): boolean {
  return port === 53 || port === 5353 || port === 5355;
}

export function decodeIcmp(ctx: DecodeContext): void {
  const d = ctx.data;
  const o = ctx.offset;
  const out = ctx.out;
  const avail = ctx.end - o;
  if (!ctx.ipFragment && avail > 0) out.protocol = 'ICMP';
  if (avail < 4) {
    out.flags |= ctx.wireEnd - o >= 4 ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = 'ICMP header truncated';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Internet Control Message Protocol [truncated]', o, Math.max(avail, 0));
    return;
  }
  const type = d[o];
  const code = d[o + 1];
  const isError = type === TYPE_DEST_UNREACHABLE || type === TYPE_SOURCE_QUENCH || type === TYPE_REDIRECT ||
    type === TYPE_TIME_EXCEEDED || type === TYPE_PARAMETER_PROBLEM;
  const icmp: IcmpSummary = { version: 4, type, code, isError, echoId: -1, echoSeq: -1 };
  out.icmp = icmp;
  const layer = ctx.tree !== null ? addIcmpTree(ctx.tree, d, o, ctx.end, type, code) : null;
  if (avail < HEADER) {
    out.flags |= ctx.wireEnd - o >= HEADER ? PKT_TRUNCATED : PKT_MALFORMED;
    if (!ctx.ipFragment) out.info = icmpTypeText(type, code) + ' [truncated]';
    return;
  }
  let info = icmpTypeText(type, code);
  if (type === TYPE_ECHO_REQUEST || type === TYPE_ECHO_REPLY) {
    icmp.echoId = u16(d, o + 4);
    icmp.echoSeq = u16(d, o + 6);
    // Wireshark prints the sequence in both byte orders ("seq=1/256"): senders disagree on it.
    const seqLe = ((icmp.echoSeq & 0xff) << 8) | (icmp.echoSeq >> 8);
    info += (type === TYPE_ECHO_REQUEST ? '  ' : '    ') + 'id=' + hex(icmp.echoId, 4) + ', seq=' + icmp.echoSeq + '/' + seqLe + ', ttl=' + out.ttl;
    if (layer !== null) {
      addField(layer, 'Identifier (BE): ' + icmp.echoId + ' (' + hex(icmp.echoId, 4) + ')', o + 4, 2);
      addField(layer, 'Sequence Number (BE): ' + icmp.echoSeq + ' (' + hex(icmp.echoSeq, 4) + ')', o + 6, 2);
    }
  } else if (isError) {
    if (type === TYPE_REDIRECT && layer !== null) addField(layer, 'Gateway Address: ' + ipv4Text(d, o + 4), o + 4, 4);
    const quoted = decodeQuotedDatagram(d, o + HEADER, ctx.end, ctx.tree, layer);
    if (quoted !== null) icmp.quoted = quoted;
  }
  if (!ctx.ipFragment) out.info = info;
}

function icmpTypeText(type: number, code: number): string {
  const name = TYPE_NAMES.get(type) ?? 'Unknown ICMP (type ' + type + ')';
  let detail: string | undefined;
  switch (type) {
    case TYPE_DEST_UNREACHABLE: detail = UNREACHABLE_CODES[code]; break;
    case TYPE_REDIRECT: detail = REDIRECT_CODES[code]; break;
    case TYPE_TIME_EXCEEDED: detail = TIME_EXCEEDED_CODES[code]; break;
    case TYPE_PARAMETER_PROBLEM: detail = PARAMETER_CODES[code]; break;
    default: return name;
  }
  return name + ' (' + (detail ?? 'Unknown code: ' + code) + ')';
}

function addIcmpTree(tree: TreeNode[], d: Uint8Array, o: number, end: number, type: number, code: number): TreeNode {
  const layer = addLayer(tree, 'Internet Control Message Protocol', o, end - o);
  addField(layer, 'Type: ' + type + ' (' + (TYPE_NAMES.get(type) ?? 'Unknown ICMP (obsolete or malformed?)') + ')', o, 1);
  addField(layer, codeLabel(type, code), o + 1, 1);
  addField(layer, 'Checksum: ' + hex(u16(d, o + 2), 4), o + 2, 2);
  return layer;
}

/**
 * The datagram quoted in an ICMP or ICMPv6 error, starting at `start`: its IP header, the ports of
 * the first 8 transport bytes, and the DNS question name when it was a DNS datagram. Returns null
 * when not even the quoted IP header is present. Never reads at or past `end`.
 */
export function decodeQuotedDatagram(d: Uint8Array, start: number, end: number, tree: TreeNode[] | null, layer: TreeNode | null): QuotedPacket | null {
  if (end - start < 1) return null;
  const version = d[start] >> 4;
  let l4: number;
  let quoted: QuotedPacket;
  if (version === 4) {
    if (end - start < 20) return null;
    const ihl = (d[start] & 0x0f) * 4;
    if (ihl < 20) return null;
    quoted = { ipVersion: 4, src: ipv4Text(d, start + 12), dst: ipv4Text(d, start + 16), ipProto: d[start + 9], sport: -1, dport: -1 };
    l4 = start + ihl;
    // A quoted non-first fragment has no transport header.
    if ((u16(d, start + 6) & 0x1fff) !== 0) l4 = end;
  } else if (version === 6) {
    if (end - start < 40) return null;
    quoted = { ipVersion: 6, src: ipv6Text(d, start + 8), dst: ipv6Text(d, start + 24), ipProto: d[start + 6], sport: -1, dport: -1 };
    l4 = start + 40;
    // Skip extension headers that may precede the transport (bounded like ipv6.ts).
    for (let n = 0; n < 8 && l4 + 8 <= end; n++) {
      const nh = quoted.ipProto;
      if (nh !== 0 && nh !== 43 && nh !== 60 && nh !== 44) break;
      quoted.ipProto = d[l4];
      if (nh === 44 && (u16(d, l4 + 2) & 0xfff8) !== 0) { l4 = end; break; }
      l4 += nh === 44 ? 8 : (d[l4 + 1] + 1) * 8;
    }
  } else {
    return null;
  }
  const proto = quoted.ipProto;
  // TCP (6), UDP (17), SCTP (132) and UDP-Lite (136) all start with the two ports.
  if ((proto === 6 || proto === 17 || proto === 132 || proto === 136) && l4 + 4 <= end) {
    quoted.sport = u16(d, l4);
    quoted.dport = u16(d, l4 + 2);
    if (proto === 17 && (isDnsPort(quoted.sport) || isDnsPort(quoted.dport)) && l4 + 8 < end) {
      const qname = dnsQuestionName(d, l4 + 8, end);
      if (qname !== undefined) quoted.dnsQname = qname;
    }
  }
  if (tree !== null && layer !== null) addQuotedTree(tree, layer, d, start, l4, end, quoted);
  return quoted;
}

/**
 * The quoted datagram in the detail tree, as Wireshark shows it: the IP header and the transport
 * header nested in the ICMP layer, and a quoted DNS message as its own top-level layer after it
 * (tree-only: the packet's summary and Info stay those of the ICMP message).
 */
function addQuotedTree(tree: TreeNode[], layer: TreeNode, d: Uint8Array, start: number, l4: number, end: number, quoted: QuotedPacket): void {
  const v4 = quoted.ipVersion === 4;
  const ipEnd = Math.min(l4, end);
  const ip = addField(layer, 'Internet Protocol Version ' + quoted.ipVersion + ', Src: ' + quoted.src + ', Dst: ' + quoted.dst, start, ipEnd - start);
  const proto = quoted.ipProto;
  const protoName = ipProtocolName(proto);
  if (v4) {
    addField(ip, 'Total Length: ' + u16(d, start + 2), start + 2, 2);
    addField(ip, 'Identification: ' + hex(u16(d, start + 4), 4) + ' (' + u16(d, start + 4) + ')', start + 4, 2);
    addField(ip, 'Time to Live: ' + d[start + 8], start + 8, 1);
    addField(ip, 'Protocol: ' + (protoName ?? 'Unknown') + ' (' + proto + ')', start + 9, 1);
    addField(ip, 'Source Address: ' + quoted.src, start + 12, 4);
    addField(ip, 'Destination Address: ' + quoted.dst, start + 16, 4);
  } else {
    addField(ip, 'Payload Length: ' + u16(d, start + 4), start + 4, 2);
    addField(ip, 'Next Header: ' + (protoName ?? 'Unknown') + ' (' + proto + ')', start + 6, 1);
    addField(ip, 'Hop Limit: ' + d[start + 7], start + 7, 1);
    addField(ip, 'Source Address: ' + quoted.src, start + 8, 16);
    addField(ip, 'Destination Address: ' + quoted.dst, start + 24, 16);
  }
  if (quoted.sport < 0) return;
  const ports = ', Src Port: ' + quoted.sport + ', Dst Port: ' + quoted.dport;
  if (proto === 17 && l4 + 8 <= end) {
    const udp = addField(layer, 'User Datagram Protocol' + ports, l4, 8);
    addField(udp, 'Source Port: ' + quoted.sport, l4, 2);
    addField(udp, 'Destination Port: ' + quoted.dport, l4 + 2, 2);
    addField(udp, 'Length: ' + u16(d, l4 + 4), l4 + 4, 2);
    addField(udp, 'Checksum: ' + hex(u16(d, l4 + 6), 4), l4 + 6, 2);
    if (quoted.dnsQname !== undefined) {
      const mdns = quoted.sport === 5353 || quoted.dport === 5353;
      const llmnr = quoted.sport === 5355 || quoted.dport === 5355;
      addDnsMessageTree(tree, d, l4 + 8, end, mdns ? 'MDNS' : llmnr ? 'LLMNR' : 'DNS');
    }
  } else if (proto === 6 && l4 + 8 <= end) {
    const tcp = addField(layer, 'Transmission Control Protocol' + ports + ', Seq: ' + u32(d, l4 + 4), l4, Math.min(20, end - l4));
    addField(tcp, 'Source Port: ' + quoted.sport, l4, 2);
    addField(tcp, 'Destination Port: ' + quoted.dport, l4 + 2, 2);
    addField(tcp, 'Sequence Number (raw): ' + u32(d, l4 + 4), l4 + 4, 4);
  } else {
    const node = addField(layer, (protoName ?? 'Protocol ' + proto) + ports, l4, Math.min(4, end - l4));
    addField(node, 'Source Port: ' + quoted.sport, l4, 2);
    addField(node, 'Destination Port: ' + quoted.dport, l4 + 2, 2);
  }
}
