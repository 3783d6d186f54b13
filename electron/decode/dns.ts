/*
 * DNS messages (RFC 1035 §4), also carried as mDNS (RFC 6762) and LLMNR (RFC 4795), and over TCP
 * with a 2-byte length prefix (RFC 1035 §4.2.2).
 *
 * Names are decompressed with three guards against hostile messages: a pointer must point before
 * the start of the labels being read (so every jump goes strictly backwards and loops are
 * impossible), at most MAX_POINTER_JUMPS jumps are followed, and the name may not exceed 255 octets
 * on the wire (RFC 1035 §2.3.4). A broken message keeps what was decoded up to the fault.
 */
import { DecodeContext, type PayloadDecoder } from './decode-context';
import { ipv4Text, ipv6Text } from './format-address';
import { bitPattern } from './bit-pattern';
import { DNS_TYPE_DESCRIPTIONS } from './dns-type-names';
import { addField, addLayer } from './layer-tree';
import { newSummary, PKT_MALFORMED, PKT_TRUNCATED, type DnsRecordSummary, type DnsSummary, type TreeNode } from './packet-summary';
import { dnsLabelText } from './printable-text';
import { hex, u16, u32 } from './read-bytes';

const HEADER = 12;
const MAX_POINTER_JUMPS = 16;
const MAX_NAME_WIRE_LENGTH = 255;
/** Records kept in DnsSummary.answers; a message may claim 65535. */
const MAX_STORED_ANSWERS = 64;
/** Info text stops growing here (Wireshark lists every record; a flood of them is unreadable). */
const MAX_INFO_LENGTH = 1024;
const MAX_TXT_LENGTH = 1024;

const TYPE_A = 1;
const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_SOA = 6;
const TYPE_PTR = 12;
const TYPE_HINFO = 13;
const TYPE_MX = 15;
const TYPE_TXT = 16;
const TYPE_AAAA = 28;
const TYPE_SRV = 33;

const TYPE_NAMES = new Map<number, string>([
  [1, 'A'], [2, 'NS'], [3, 'MD'], [4, 'MF'], [5, 'CNAME'], [6, 'SOA'], [7, 'MB'], [8, 'MG'], [9, 'MR'],
  [10, 'NULL'], [11, 'WKS'], [12, 'PTR'], [13, 'HINFO'], [14, 'MINFO'], [15, 'MX'], [16, 'TXT'], [17, 'RP'],
  [18, 'AFSDB'], [24, 'SIG'], [25, 'KEY'], [28, 'AAAA'], [29, 'LOC'], [33, 'SRV'], [35, 'NAPTR'], [36, 'KX'],
  [37, 'CERT'], [39, 'DNAME'], [41, 'OPT'], [42, 'APL'], [43, 'DS'], [44, 'SSHFP'], [45, 'IPSECKEY'],
  [46, 'RRSIG'], [47, 'NSEC'], [48, 'DNSKEY'], [49, 'DHCID'], [50, 'NSEC3'], [51, 'NSEC3PARAM'], [52, 'TLSA'],
  [53, 'SMIMEA'], [55, 'HIP'], [59, 'CDS'], [60, 'CDNSKEY'], [61, 'OPENPGPKEY'], [62, 'CSYNC'], [63, 'ZONEMD'],
  [64, 'SVCB'], [65, 'HTTPS'], [99, 'SPF'], [108, 'EUI48'], [109, 'EUI64'], [249, 'TKEY'], [250, 'TSIG'],
  [251, 'IXFR'], [252, 'AXFR'], [255, 'ANY'], [256, 'URI'], [257, 'CAA'],
]);

/** Mnemonic for an RR type; unknown types use the RFC 3597 §5 form TYPE<n>. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? 'TYPE' + type;
}

/** "Type: A (Host Address) (1)", as Wireshark's tree shows an RR type. */
function typeLabel(type: number): string {
  return 'Type: ' + (DNS_TYPE_DESCRIPTIONS.get(type) ?? 'Unknown') + ' (' + type + ')';
}

const CLASS_NAMES = new Map<number, string>([[1, 'IN'], [2, 'CS'], [3, 'CH'], [4, 'HS'], [254, 'NONE'], [255, 'ANY']]);

/** Class mnemonic ('IN'); RFC 3597 §5 form CLASS<n> for others. */
function className(rrClass: number): string {
  return CLASS_NAMES.get(rrClass) ?? 'CLASS' + rrClass;
}

/** "Class: IN (0x0001)". */
function classLabel(rrClass: number): string {
  return 'Class: ' + (CLASS_NAMES.get(rrClass) ?? 'Unknown') + ' (' + hex(rrClass, 4) + ')';
}

const OPCODE_NAMES = ['Standard query', 'Inverse query', 'Server status request', 'Unknown operation (3)',
  'Zone change notification', 'Dynamic update', 'DNS Stateful operations (DSO)'];
const RCODE_NAMES = ['No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused',
  'Name exists', 'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone', 'DSO-Type not implemented'];

// ---------------------------------------------------------------------------------------------
// Name reading. Results beyond the string come back through these module variables, so that the
// hot path allocates no result objects.

const NAME_OK = 0;
const NAME_TRUNCATED = 1;
const NAME_MALFORMED = 2;
/** Offset just after the name where it was read (after the first pointer, if any). */
let nameNext = 0;
let nameStatus = NAME_OK;

/**
 * Reads the (possibly compressed) name at `pos` of the message starting at `msg`, bounded by `end`.
 * Returns its presentation text ('<Root>' for the root); sets nameNext and nameStatus.
 */
export function readDnsName(d: Uint8Array, msg: number, pos: number, end: number): string {
  let s = '';
  let p = pos;
  let runStart = pos;
  let jumps = 0;
  let wireLen = 1; // the root label
  let next = -1;
  nameStatus = NAME_OK;
  for (;;) {
    if (p >= end) { nameStatus = NAME_TRUNCATED; break; }
    const len = d[p];
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (p + 1 >= end) { nameStatus = NAME_TRUNCATED; break; }
      const target = msg + (((len & 0x3f) << 8) | d[p + 1]);
      if (next < 0) next = p + 2;
      if (target >= runStart || ++jumps > MAX_POINTER_JUMPS) { nameStatus = NAME_MALFORMED; break; }
      p = target;
      runStart = target;
      continue;
    }
    if (kind !== 0) {
      // 0x40 (extended, RFC 6891 §5 deprecated) and 0x80 label types are not in use.
      nameStatus = NAME_MALFORMED;
      break;
    }
    if (p + 1 + len > end) { nameStatus = NAME_TRUNCATED; break; }
    wireLen += len + 1;
    if (wireLen > MAX_NAME_WIRE_LENGTH) { nameStatus = NAME_MALFORMED; break; }
    s += (s.length === 0 ? '' : '.') + dnsLabelText(d, p + 1, p + 1 + len);
    p += 1 + len;
  }
  nameNext = next < 0 ? end : next;
  return s.length === 0 && nameStatus === NAME_OK ? '<Root>' : s;
}

/**
 * The first question's name of a DNS message at data[msg..end), or undefined when the header or the
 * name is not complete. Used for the DNS query quoted inside an ICMP error.
 */
export function dnsQuestionName(d: Uint8Array, msg: number, end: number): string | undefined {
  if (end - msg < HEADER || u16(d, msg + 4) === 0) return undefined;
  const name = readDnsName(d, msg, msg + HEADER, end);
  return nameStatus === NAME_OK ? name : undefined;
}

// ---------------------------------------------------------------------------------------------
// Payload decoders registered by port.

export const decodeDnsUdp: PayloadDecoder = (ctx) => decodeMessage(ctx, ctx.offset, ctx.end, 'DNS');
export const decodeMdns: PayloadDecoder = (ctx) => decodeMessage(ctx, ctx.offset, ctx.end, 'MDNS');
export const decodeLlmnr: PayloadDecoder = (ctx) => decodeMessage(ctx, ctx.offset, ctx.end, 'LLMNR');

/** DNS over TCP: a 2-byte length, then the message (RFC 1035 §4.2.2). */
export const decodeDnsTcp: PayloadDecoder = (ctx) => {
  const o = ctx.offset;
  if (ctx.end - o < 2) return false;
  const len = u16(ctx.data, o);
  if (ctx.tree !== null) {
    const layer = addLayer(ctx.tree, 'DNS over TCP', o, 2);
    addField(layer, 'Length: ' + len, o, 2);
  }
  // A message longer than this segment continues in the next one; decode what is here.
  const end = o + 2 + len < ctx.end ? o + 2 + len : ctx.end;
  return decodeMessage(ctx, o + 2, end, 'DNS');
};

function decodeMessage(ctx: DecodeContext, msg: number, end: number, protocol: string): boolean {
  const d = ctx.data;
  const out = ctx.out;
  out.protocol = protocol;
  if (end - msg < HEADER) {
    out.flags |= shortFlag(ctx);
    out.info = protocol + ' header truncated (' + Math.max(end - msg, 0) + ' of 12 bytes)';
    if (ctx.tree !== null) addLayer(ctx.tree, 'Domain Name System [truncated]', msg, Math.max(end - msg, 0));
    return true;
  }
  const id = u16(d, msg);
  const flags = u16(d, msg + 2);
  const qdCount = u16(d, msg + 4);
  const anCount = u16(d, msg + 6);
  const nsCount = u16(d, msg + 8);
  const arCount = u16(d, msg + 10);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0x0f;
  const rcode = flags & 0x0f;
  const answers: DnsRecordSummary[] = [];
  const dns: DnsSummary = { id, isResponse, opcode, rcode, flags, qname: '', qtype: 0, questionCount: qdCount, answers };
  out.dns = dns;
  const isMdns = protocol === 'MDNS';
  const layer = ctx.tree !== null ? addDnsHeaderTree(ctx.tree, d, msg, end, protocol) : null;

  let info = (OPCODE_NAMES[opcode] ?? 'Unknown operation (' + opcode + ')') + (isResponse ? ' response ' : ' ') + hex(id, 4);
  if (isResponse && rcode !== 0) info += ' ' + (RCODE_NAMES[rcode] ?? 'Unknown error (' + rcode + ')');

  let p = msg + HEADER;
  let fault = 0;
  const questions = layer !== null && qdCount > 0 ? addField(layer, 'Queries', p, 0) : null;
  for (let i = 0; i < qdCount; i++) {
    const start = p;
    const name = readDnsName(d, msg, p, end);
    if (nameStatus !== NAME_OK) { fault = nameFault(ctx); if (i === 0 && name.length > 0) dns.qname = name; break; }
    p = nameNext;
    if (p + 4 > end) { fault = shortFlag(ctx); if (i === 0) dns.qname = name; break; }
    const qtype = u16(d, p);
    p += 4;
    if (i === 0) { dns.qname = name; dns.qtype = qtype; }
    if (info.length < MAX_INFO_LENGTH) {
      info += ' ' + dnsTypeName(qtype) + ' ' + name;
      // RFC 6762 §5.4: the top class bit asks for a unicast ("QU") or multicast ("QM") response.
      if (isMdns) info += (u16(d, p - 2) & 0x8000) !== 0 ? ', "QU" question' : ', "QM" question';
    }
    if (questions !== null) addQuestionNode(questions, name, qtype, u16(d, p - 2), start, p - 4, isMdns);
  }
  if (questions !== null) questions.length = p - questions.start;

  // Wireshark lists the records of all three sections in Info; DnsSummary.answers keeps the first.
  const sectionCounts = [anCount, nsCount, arCount];
  const sectionLabels = ['Answers', 'Authoritative nameservers', 'Additional records'];
  for (let section = 0; section < 3 && fault === 0; section++) {
    const count = sectionCounts[section];
    const node = layer !== null && count > 0 ? addField(layer, sectionLabels[section], p, 0) : null;
    for (let i = 0; i < count; i++) {
      const start = p;
      const name = readDnsName(d, msg, p, end);
      if (nameStatus !== NAME_OK) { fault = nameFault(ctx); break; }
      p = nameNext;
      if (p + 10 > end) { fault = shortFlag(ctx); break; }
      const type = u16(d, p);
      const rrClass = u16(d, p + 2);
      const ttl = u32(d, p + 4);
      const rdLen = u16(d, p + 8);
      const rdStart = p + 10;
      const rdEnd = rdStart + rdLen;
      if (rdEnd > end) { fault = shortFlag(ctx); break; }
      p = rdEnd;
      const data = rdataText(d, msg, type, rdStart, rdEnd);
      if (section === 0 && answers.length < MAX_STORED_ANSWERS) answers.push({ name, type, ttl, data });
      if (info.length < MAX_INFO_LENGTH) {
        info += ' ' + dnsTypeName(type);
        // RFC 6762 §10.2: the top class bit of an mDNS answer is the cache-flush bit.
        if (isMdns && (rrClass & 0x8000) !== 0) info += ', cache flush';
        const shown = infoRdata(d, msg, type, rdStart, rdEnd, data);
        if (shown.length > 0) info += ' ' + shown;
      }
      if (node !== null) addRecordNode(node, { name, type, rrClass, ttl, data }, start, rdStart - 10, rdEnd, isMdns);
    }
    if (node !== null) node.length = p - node.start;
  }
  if (info.length >= MAX_INFO_LENGTH) info += ' …';
  if (fault !== 0) {
    out.flags |= fault;
    info += fault === PKT_TRUNCATED ? ' [truncated]' : ' [malformed]';
  }
  out.info = info;
  return true;
}

/** Running out of bytes is truncation when the capture cut the datagram, otherwise a bad message. */
function shortFlag(ctx: DecodeContext): number {
  return ctx.end < ctx.wireEnd ? PKT_TRUNCATED : PKT_MALFORMED;
}

function nameFault(ctx: DecodeContext): number {
  return nameStatus === NAME_TRUNCATED ? shortFlag(ctx) : PKT_MALFORMED;
}

/** Presentation text of RDATA for DnsRecordSummary.data; '' for types we do not render. */
function rdataText(d: Uint8Array, msg: number, type: number, start: number, end: number): string {
  const len = end - start;
  switch (type) {
    case TYPE_A:
      return len === 4 ? ipv4Text(d, start) : '';
    case TYPE_AAAA:
      return len === 16 ? ipv6Text(d, start) : '';
    case TYPE_CNAME:
    case TYPE_NS:
    case TYPE_PTR: {
      const name = readDnsName(d, msg, start, end);
      return nameStatus === NAME_OK ? name : '';
    }
    case TYPE_MX: {
      if (len < 3) return '';
      const name = readDnsName(d, msg, start + 2, end);
      return nameStatus === NAME_OK ? u16(d, start) + ' ' + name : '';
    }
    case TYPE_SRV: {
      if (len < 7) return '';
      const name = readDnsName(d, msg, start + 6, end);
      return nameStatus === NAME_OK ? u16(d, start) + ' ' + u16(d, start + 2) + ' ' + u16(d, start + 4) + ' ' + name : '';
    }
    case TYPE_SOA: {
      const mname = readDnsName(d, msg, start, end);
      if (nameStatus !== NAME_OK) return '';
      const rname = readDnsName(d, msg, nameNext, end);
      if (nameStatus !== NAME_OK || nameNext + 20 > end) return '';
      const n = nameNext;
      return mname + ' ' + rname + ' ' + u32(d, n) + ' ' + u32(d, n + 4) + ' ' + u32(d, n + 8) + ' ' + u32(d, n + 12) + ' ' + u32(d, n + 16);
    }
    case TYPE_TXT:
    case TYPE_HINFO:
      return characterStrings(d, start, end);
    default:
      return '';
  }
}

/** RFC 1035 §5.1: each <character-string> in double quotes, with '"' and '\' escaped. */
function characterStrings(d: Uint8Array, start: number, end: number): string {
  let s = '';
  let p = start;
  while (p < end && s.length < MAX_TXT_LENGTH) {
    const len = d[p];
    const stop = p + 1 + len > end ? end : p + 1 + len;
    s += (s.length === 0 ? '"' : ' "');
    for (let i = p + 1; i < stop; i++) {
      const b = d[i];
      if (b === 0x22 || b === 0x5c) s += '\\' + String.fromCharCode(b);
      else if (b < 0x20 || b >= 0x7f) s += '\\x' + (b < 16 ? '0' : '') + b.toString(16);
      else s += String.fromCharCode(b);
    }
    s += '"';
    p = p + 1 + len;
  }
  return s;
}

/** What Wireshark shows after the type in Info: addresses and names, but not TXT contents. */
function infoRdata(d: Uint8Array, msg: number, type: number, start: number, end: number, data: string): string {
  switch (type) {
    case TYPE_TXT:
      return '';
    case TYPE_SOA: {
      const mname = readDnsName(d, msg, start, end);
      return nameStatus === NAME_OK ? mname : '';
    }
    case TYPE_HINFO:
      // Wireshark prints HINFO's CPU and OS unquoted.
      return hinfoPlain(d, start, end);
    default:
      return data;
  }
}

function hinfoPlain(d: Uint8Array, start: number, end: number): string {
  let s = '';
  let p = start;
  for (let n = 0; n < 2 && p < end; n++) {
    const len = d[p];
    const stop = p + 1 + len > end ? end : p + 1 + len;
    if (n > 0) s += ' ';
    s += dnsLabelText(d, p + 1, stop);
    p = stop;
  }
  return s;
}

function addDnsHeaderTree(tree: TreeNode[], d: Uint8Array, msg: number, end: number, protocol: string): TreeNode {
  const title = protocol === 'MDNS' ? 'Multicast Domain Name System' : protocol === 'LLMNR' ? 'Link-local Multicast Name Resolution' : 'Domain Name System';
  const flags = u16(d, msg + 2);
  const response = (flags & 0x8000) !== 0;
  const layer = addLayer(tree, title + (response ? ' (response)' : ' (query)'), msg, end - msg);
  addField(layer, 'Transaction ID: ' + hex(u16(d, msg), 4), msg, 2);
  const opcode = (flags >> 11) & 0x0f;
  const rcode = flags & 0x0f;
  const opcodeName = OPCODE_NAMES[opcode] ?? 'Unknown';
  const flagNode = addField(layer, 'Flags: ' + hex(flags, 4) + ' ' + opcodeName +
    (response ? ' response, ' + (RCODE_NAMES[rcode] ?? 'Unknown error (' + rcode + ')') : ''), msg + 2, 2);
  // RFC 1035 §4.1.1, RFC 4035 §3.2 (AD, CD): one line per bit field, as Wireshark draws them.
  const bit = (mask: number, label: string) => addField(flagNode, bitPattern(flags, mask, 16) + ' = ' + label, msg + 2, 2);
  bit(0x8000, 'Response: ' + (response ? 'Message is a response' : 'Message is a query'));
  bit(0x7800, 'Opcode: ' + (opcode === 3 || opcode > 6 ? 'Unknown' : opcodeName) + ' (' + opcode + ')');
  if (response) bit(0x0400, 'Authoritative: ' + ((flags & 0x0400) !== 0 ? 'Server is an authority for domain' : 'Server is not an authority for domain'));
  bit(0x0200, 'Truncated: ' + ((flags & 0x0200) !== 0 ? 'Message is truncated' : 'Message is not truncated'));
  bit(0x0100, 'Recursion desired: ' + ((flags & 0x0100) !== 0 ? 'Do query recursively' : "Don't do query recursively"));
  if (response) bit(0x0080, 'Recursion available: ' + ((flags & 0x0080) !== 0 ? 'Server can do recursive queries' : "Server can't do recursive queries"));
  bit(0x0040, 'Z: reserved (' + ((flags >> 6) & 1) + ')');
  if (response) bit(0x0020, 'Answer authenticated: ' + ((flags & 0x0020) !== 0 ? 'Answer/authority portion was authenticated by the server' : 'Answer/authority portion was not authenticated by the server'));
  bit(0x0010, 'Non-authenticated data: ' + ((flags & 0x0010) !== 0 ? 'Acceptable' : 'Unacceptable'));
  if (response) bit(0x000f, 'Reply code: ' + (RCODE_NAMES[rcode] ?? 'Unknown') + ' (' + rcode + ')');
  addField(layer, 'Questions: ' + u16(d, msg + 4), msg + 4, 2);
  addField(layer, 'Answer RRs: ' + u16(d, msg + 6), msg + 6, 2);
  addField(layer, 'Authority RRs: ' + u16(d, msg + 8), msg + 8, 2);
  addField(layer, 'Additional RRs: ' + u16(d, msg + 10), msg + 10, 2);
  return layer;
}


function addQuestionNode(parent: TreeNode, name: string, qtype: number, qclass: number, start: number, typeAt: number, isMdns: boolean): void {
  const rrClass = isMdns ? qclass & 0x7fff : qclass;
  const node = addField(parent, name + ': type ' + dnsTypeName(qtype) + ', class ' + className(rrClass), start, typeAt + 4 - start);
  addField(node, 'Name: ' + name, start, typeAt - start);
  addField(node, typeLabel(qtype), typeAt, 2);
  addField(node, (isMdns ? bitPattern(qclass, 0x7fff, 16) + ' = ' : '') + classLabel(rrClass), typeAt + 2, 2);
  // RFC 6762 §5.4: the top bit of an mDNS question's class asks for a unicast response.
  if (isMdns) addField(node, bitPattern(qclass, 0x8000, 16) + ' = "QU" question: ' + ((qclass & 0x8000) !== 0 ? 'True' : 'False'), typeAt + 2, 2);
}

function addRecordNode(parent: TreeNode, rr: { name: string; type: number; rrClass: number; ttl: number; data: string }, start: number, typeAt: number, rdEnd: number, isMdns: boolean): void {
  const rrClass = isMdns ? rr.rrClass & 0x7fff : rr.rrClass;
  const node = addField(parent, rr.name + ': type ' + dnsTypeName(rr.type) + ', class ' + className(rrClass) +
    (rr.data.length > 0 ? ', ' + rr.data : ''), start, rdEnd - start);
  addField(node, 'Name: ' + rr.name, start, typeAt - start);
  addField(node, typeLabel(rr.type), typeAt, 2);
  addField(node, (isMdns ? bitPattern(rr.rrClass, 0x7fff, 16) + ' = ' : '') + classLabel(rrClass), typeAt + 2, 2);
  // RFC 6762 §10.2: the top bit of an mDNS record's class is the cache-flush bit.
  if (isMdns) addField(node, bitPattern(rr.rrClass, 0x8000, 16) + ' = Cache flush: ' + ((rr.rrClass & 0x8000) !== 0 ? 'True' : 'False'), typeAt + 2, 2);
  addField(node, 'Time to live: ' + rr.ttl, typeAt + 4, 4);
  addField(node, 'Data length: ' + (rdEnd - typeAt - 10), typeAt + 8, 2);
}

/**
 * The detail tree of a DNS message that is not this packet's own payload (the query quoted inside
 * an ICMP error): decoded into `tree` with a scratch summary, so the packet's own summary and Info
 * are left alone. Detail path only.
 */
export function addDnsMessageTree(tree: TreeNode[], d: Uint8Array, msg: number, end: number, protocol: string): void {
  const scratch = new DecodeContext();
  scratch.reset(d, newSummary(), tree, -1);
  scratch.offset = msg;
  scratch.end = end;
  scratch.wireEnd = end;
  decodeMessage(scratch, msg, end, protocol);
}
