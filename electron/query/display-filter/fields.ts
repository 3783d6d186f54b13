/**
 * The field table: the one place that says what each filter field means in the case schema.
 * Every SQL fragment here is a constant written by us; user values never appear in it.
 *
 * Presence follows Wireshark: a test on a field is false for a packet that lacks the field,
 * so `tcp.port == 80` never matches UDP, while `!(tcp.port == 80)` does.
 */

export type FieldType = 'number' | 'boolean' | 'string' | 'ipv4' | 'ipv6' | 'time' | 'protocol';

export type FieldSource =
  /** Values are SQL expressions over `p`; a test is true when any of them passes (ip.addr-style). */
  | { from: 'packet'; exprs: string[] }
  /** `p` columns holding addrs ids; tests apply to `addrs.bin` of any of them. */
  | { from: 'addr'; exprs: string[] }
  /** A column of a side table keyed by packet_id. */
  | { from: 'table'; table: string; column: string; where?: string }
  /** Protocols: presence only. */
  | { from: 'none' };

export interface FieldDef {
  name: string;
  type: FieldType;
  /** SQL over `p`, true exactly when the packet carries the field. */
  present: string;
  source: FieldSource;
  /** Time fields: whether values count from the first packet (relative) or from the epoch. */
  timeBase?: 'first' | 'epoch';
  /** One line for autocompletion and help. */
  description: string;
}

export const TCP = 'p.ip_proto = 6';
/** The highest protocol is a code into `protocols`; the subquery is not correlated, so SQLite runs it once. */
const protoNamed = (test: string) => `p.proto_id IN (SELECT r.id FROM protocols r WHERE ${test})`;
const UDP = 'p.ip_proto = 17';
const ICMP = 'p.ip_proto = 1';
const ICMP6 = 'p.ip_proto = 58';

function packet(name: string, type: FieldType, present: string, exprs: string[], description: string): FieldDef {
  return { name, type, present, source: { from: 'packet', exprs }, description };
}

function side(name: string, type: FieldType, table: string, column: string, description: string, where?: string): FieldDef {
  const cond = [where, `${column} IS NOT NULL`].filter(Boolean).join(' AND ');
  return {
    name, type, description,
    present: `p.id IN (SELECT packet_id FROM ${table} WHERE ${cond})`,
    source: { from: 'table', table, column, ...(where ? { where } : {}) },
  };
}

function proto(name: string, present: string, description: string): FieldDef {
  return { name, type: 'protocol', present, source: { from: 'none' }, description };
}

function addr(name: string, family: 4 | 6, exprs: string[], description: string): FieldDef {
  return { name, type: family === 4 ? 'ipv4' : 'ipv6', present: `p.ip_ver = ${family}`, source: { from: 'addr', exprs }, description };
}

const tcpFlagBits = new Map<string, number>();

function tcpFlag(name: string, bit: number, description: string): FieldDef {
  tcpFlagBits.set(`tcp.flags.${name}`, bit);
  return packet(`tcp.flags.${name}`, 'boolean', `${TCP} AND p.tcp_flags IS NOT NULL`, [`((p.tcp_flags >> ${bit}) & 1)`], description);
}

/** The bit of a one-flag field (`tcp.flags.syn` → 1) in the TCP flags byte, or undefined. */
export function tcpFlagBit(name: string): number | undefined {
  return tcpFlagBits.get(name);
}

const DEFS: FieldDef[] = [
  proto('frame', '1', 'Every packet'),
  proto('eth', 'EXISTS (SELECT 1 FROM interfaces i WHERE i.capture_id = p.capture_id AND i.if_index = p.if_index AND i.link_type = 1)', 'Ethernet frames'),
  proto('ip', 'p.ip_ver = 4', 'IPv4'),
  proto('ipv6', 'p.ip_ver = 6', 'IPv6'),
  proto('arp', protoNamed("r.name = 'ARP'"), 'ARP'),
  proto('tcp', TCP, 'TCP'),
  proto('udp', UDP, 'UDP'),
  proto('icmp', ICMP, 'ICMP (IPv4)'),
  proto('icmpv6', ICMP6, 'ICMPv6'),
  // Wireshark keeps DNS and mDNS apart as protocols, but both carry the dns.* fields.
  proto('dns', protoNamed("r.name = 'DNS'"), 'DNS (not mDNS)'),
  proto('mdns', protoNamed("r.name = 'MDNS'"), 'Multicast DNS'),
  proto('llmnr', protoNamed("r.name = 'LLMNR'"), 'Link-local Multicast Name Resolution'),
  proto('http', `(${protoNamed("r.name = 'HTTP'")} OR p.id IN (SELECT packet_id FROM http_messages))`, 'HTTP'),
  proto('tls', `(${protoNamed("r.name GLOB 'TLS*' OR r.name GLOB 'SSL*'")} OR p.id IN (SELECT packet_id FROM tls_hellos))`, 'TLS and SSL'),

  packet('frame.number', 'number', '1', ['p.id'], 'Packet number (No.)'),
  packet('frame.len', 'number', '1', ['p.origlen'], 'Length on the wire'),
  packet('frame.cap_len', 'number', '1', ['coalesce(p.caplen, p.origlen)'], 'Length captured'),
  { ...packet('frame.time_relative', 'time', '1', ['p.ts_ns'], 'Seconds since the first packet'), timeBase: 'first' },
  { ...packet('frame.time_epoch', 'time', '1', ['p.ts_ns'], 'Seconds since 1970-01-01 UTC'), timeBase: 'epoch' },

  addr('ip.addr', 4, ['p.src_id', 'p.dst_id'], 'IPv4 source or destination'),
  addr('ip.src', 4, ['p.src_id'], 'IPv4 source'),
  addr('ip.dst', 4, ['p.dst_id'], 'IPv4 destination'),
  packet('ip.proto', 'number', 'p.ip_ver = 4 AND p.ip_proto IS NOT NULL', ['p.ip_proto'], 'IPv4 protocol number'),
  addr('ipv6.addr', 6, ['p.src_id', 'p.dst_id'], 'IPv6 source or destination'),
  addr('ipv6.src', 6, ['p.src_id'], 'IPv6 source'),
  addr('ipv6.dst', 6, ['p.dst_id'], 'IPv6 destination'),
  packet('ipv6.nxt', 'number', 'p.ip_ver = 6 AND p.ip_proto IS NOT NULL', ['p.ip_proto'], 'IPv6 next header (transport)'),

  packet('tcp.port', 'number', `${TCP} AND p.sport IS NOT NULL`, ['p.sport', 'p.dport'], 'TCP source or destination port'),
  packet('tcp.srcport', 'number', `${TCP} AND p.sport IS NOT NULL`, ['p.sport'], 'TCP source port'),
  packet('tcp.dstport', 'number', `${TCP} AND p.dport IS NOT NULL`, ['p.dport'], 'TCP destination port'),
  packet('tcp.flags', 'number', `${TCP} AND p.tcp_flags IS NOT NULL`, ['p.tcp_flags'], 'TCP flags byte, e.g. 0x12 for SYN/ACK'),
  tcpFlag('fin', 0, 'TCP FIN'),
  tcpFlag('syn', 1, 'TCP SYN'),
  tcpFlag('reset', 2, 'TCP RST'),
  tcpFlag('rst', 2, 'TCP RST (alias of tcp.flags.reset)'),
  tcpFlag('push', 3, 'TCP PSH'),
  tcpFlag('ack', 4, 'TCP ACK'),
  tcpFlag('urg', 5, 'TCP URG'),
  proto('tcp.analysis.retransmission', `${TCP} AND (p.flags & 16) != 0`, 'TCP retransmission (seen by the ingest)'),
  // The flow's stable number (the Conversations table's Id), as Wireshark's tcp.stream / udp.stream.
  packet('tcp.stream', 'number', `${TCP} AND p.flow_id IS NOT NULL`, ['p.flow_id'], 'TCP conversation number (Conversations Id)'),
  packet('udp.stream', 'number', `${UDP} AND p.flow_id IS NOT NULL`, ['p.flow_id'], 'UDP conversation number (Conversations Id)'),
  packet('udp.port', 'number', `${UDP} AND p.sport IS NOT NULL`, ['p.sport', 'p.dport'], 'UDP source or destination port'),
  packet('udp.srcport', 'number', `${UDP} AND p.sport IS NOT NULL`, ['p.sport'], 'UDP source port'),
  packet('udp.dstport', 'number', `${UDP} AND p.dport IS NOT NULL`, ['p.dport'], 'UDP destination port'),

  // The ingest stores ICMP type/code in the port columns, as Zeek does.
  packet('icmp.type', 'number', `${ICMP} AND p.sport IS NOT NULL`, ['p.sport'], 'ICMP type'),
  packet('icmp.code', 'number', `${ICMP} AND p.dport IS NOT NULL`, ['p.dport'], 'ICMP code'),
  packet('icmpv6.type', 'number', `${ICMP6} AND p.sport IS NOT NULL`, ['p.sport'], 'ICMPv6 type'),
  packet('icmpv6.code', 'number', `${ICMP6} AND p.dport IS NOT NULL`, ['p.dport'], 'ICMPv6 code'),

  side('dns.qry.name', 'string', 'dns_messages', 'qname', 'DNS query name'),
  side('dns.qry.type', 'number', 'dns_messages', 'qtype', 'DNS query type'),
  side('dns.id', 'number', 'dns_messages', 'txid', 'DNS transaction id'),
  side('dns.flags.rcode', 'number', 'dns_messages', 'rcode', 'DNS reply code'),
  side('dns.flags.opcode', 'number', 'dns_messages', 'opcode', 'DNS opcode'),
  side('dns.flags.response', 'boolean', 'dns_messages', 'is_response', 'DNS message is a response'),

  proto('http.request', "p.id IN (SELECT packet_id FROM http_messages WHERE kind = 'request')", 'HTTP requests'),
  proto('http.response', "p.id IN (SELECT packet_id FROM http_messages WHERE kind = 'response')", 'HTTP responses'),
  side('http.host', 'string', 'http_messages', 'host', 'HTTP Host header'),
  side('http.request.method', 'string', 'http_messages', 'method', 'HTTP request method', "kind = 'request'"),
  side('http.request.uri', 'string', 'http_messages', 'uri', 'HTTP request URI', "kind = 'request'"),
  side('http.user_agent', 'string', 'http_messages', 'user_agent', 'HTTP User-Agent header'),
  side('http.response.code', 'number', 'http_messages', 'status', 'HTTP status code', "kind = 'response'"),

  side('tls.handshake.extensions_server_name', 'string', 'tls_hellos', 'sni', 'TLS server name (SNI)'),

  // Annotations on the packet itself (migration 0003 views: live annotations whose target is the packet).
  proto('annotation', 'p.id IN (SELECT packet_id FROM packet_annotation_notes)', 'Packets with an annotation (analyst note, tag or capture comment)'),
  side('annotation.tag', 'string', 'packet_annotation_tags', 'tag', 'A tag on the packet\'s annotations, e.g. annotation.tag == "malicious"'),
  side('annotation.text', 'string', 'packet_annotation_notes', 'text', 'The note text of the packet\'s annotations'),
  side('annotation.author', 'string', 'packet_annotation_notes', 'author', 'Who wrote an annotation on the packet'),
  // Wireshark's packet comment: the capture's own comments and the analysts' notes on the packet.
  side('frame.comment', 'string', 'packet_annotation_notes', 'text', 'Packet comment (pcapng comment or analyst note)', "text != ''"),
];

export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(DEFS.map((d) => [d.name, d]));

/** Field names are case-sensitive in Wireshark, and lower case. */
export function lookupField(name: string): FieldDef | undefined {
  return FIELDS.get(name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest known field, for "did you mean"; undefined when nothing is close. */
export function suggestField(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (FIELDS.has(lower)) return lower;
  let best: string | undefined;
  let bestDist = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const candidate of FIELDS.keys()) {
    const d = editDistance(lower, candidate);
    if (d < bestDist || (d === bestDist && best === undefined)) { best = candidate; bestDist = d; }
  }
  return best;
}
