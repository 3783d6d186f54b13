/**
 * The flat result of decoding one frame. The ingest loop reuses one instance per packet
 * (see `resetSummary`), so the hot path allocates little beyond strings.
 */
export interface DnsRecordSummary {
  name: string;
  type: number;
  ttl: number;
  /** Presentation form of the rdata: an address, a name, or text; '' when not decoded. */
  data: string;
}

export interface DnsSummary {
  id: number;
  isResponse: boolean;
  opcode: number;
  rcode: number;
  /** Raw 16-bit flags word. */
  flags: number;
  qname: string;
  qtype: number;
  questionCount: number;
  answers: DnsRecordSummary[];
}

export interface HttpSummary {
  kind: 'request' | 'response';
  method?: string;
  uri?: string;
  version: string;
  host?: string;
  userAgent?: string;
  status?: number;
  reason?: string;
}

export interface TlsSummary {
  /** 'client_hello' is the only handshake decoded fully; others are named. */
  handshake: string;
  sni?: string;
  /** Highest version offered (supported_versions) or the legacy record/hello version, e.g. 'TLS 1.3'. */
  version: string;
}

export interface QuotedPacket {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  ipProto: number;
  /** -1 when the quoted L4 header was not present. */
  sport: number;
  dport: number;
  /** DNS query name when the quoted datagram carried (the start of) a DNS query. */
  dnsQname?: string;
}

export interface IcmpSummary {
  version: 4 | 6;
  type: number;
  code: number;
  /** True for destination-unreachable, time-exceeded, parameter-problem, packet-too-big (v6), redirect, source-quench. */
  isError: boolean;
  quoted?: QuotedPacket;
  /** Echo identifier and sequence, -1 when not an echo. */
  echoId: number;
  echoSeq: number;
}

export interface ArpSummary {
  op: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export const PKT_TRUNCATED = 1;
export const PKT_MALFORMED = 2;
export const PKT_IP_FRAGMENT = 4;
export const PKT_IP_OPTIONS = 8;
/** Set by the ingest flow table, not the decoder: a SYN or SYN/ACK seen again on the same flow with the same seq. */
export const PKT_TCP_RETRANSMISSION = 16;
export const PKT_HAS_COMMENT = 32;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export interface PacketSummary {
  linkType: number;
  macSrc: string;
  macDst: string;
  /** 802.1Q tags, outermost first. */
  vlans: number[];
  /** 4 or 6 when an IP header was decoded (for ICMP errors: the outer header), else 0. */
  ipVersion: 0 | 4 | 6;
  /** Column "Source"/"Destination": IP address text, else MAC, else ''. */
  src: string;
  dst: string;
  ttl: number;
  /** IP protocol / IPv6 next header of the transport, -1 when none. */
  ipProto: number;
  /** TCP/UDP ports; -1 when absent. ICMP type/code are in `icmp`, and the ingest stores them in the port columns (as Zeek does). */
  sport: number;
  dport: number;
  /** TCP flag bits (TCP_* above), 0 when not TCP. */
  tcpFlags: number;
  tcpSeq: number;
  tcpAck: number;
  tcpWindow: number;
  /** Shift count of the TCP window-scale option (RFC 7323 §2) when the segment carries one, else -1. */
  tcpWsShift: number;
  /** TCP or UDP payload length in bytes (as on the wire, from the IP length when it fits). */
  payloadLen: number;
  /** Highest protocol decoded, in Wireshark's naming: 'TCP', 'UDP', 'DNS', 'HTTP', 'TLSv1.2', 'ICMP', 'ARP', 'IPv6'... */
  protocol: string;
  /** Wireshark-style Info column. */
  info: string;
  /** PKT_* bits. */
  flags: number;
  dns: DnsSummary | null;
  http: HttpSummary | null;
  tls: TlsSummary | null;
  icmp: IcmpSummary | null;
  arp: ArpSummary | null;
}

export function newSummary(): PacketSummary {
  return {
    linkType: 0, macSrc: '', macDst: '', vlans: [], ipVersion: 0, src: '', dst: '', ttl: -1,
    ipProto: -1, sport: -1, dport: -1, tcpFlags: 0, tcpSeq: 0, tcpAck: 0, tcpWindow: 0, tcpWsShift: -1, payloadLen: 0,
    protocol: '', info: '', flags: 0, dns: null, http: null, tls: null, icmp: null, arp: null,
  };
}

export function resetSummary(s: PacketSummary): void {
  s.linkType = 0; s.macSrc = ''; s.macDst = ''; s.vlans.length = 0; s.ipVersion = 0; s.src = ''; s.dst = '';
  s.ttl = -1; s.ipProto = -1; s.sport = -1; s.dport = -1; s.tcpFlags = 0; s.tcpSeq = 0; s.tcpAck = 0;
  s.tcpWindow = 0; s.tcpWsShift = -1; s.payloadLen = 0; s.protocol = ''; s.info = ''; s.flags = 0;
  s.dns = null; s.http = null; s.tls = null; s.icmp = null; s.arp = null;
}

/**
 * The layer tree for the packet detail view. Only built when asked (detail view), never during ingest.
 * `start`/`length` are byte ranges within the frame, so the hex view can highlight a field.
 */
export interface TreeNode {
  label: string;
  start: number;
  length: number;
  children?: TreeNode[];
}
