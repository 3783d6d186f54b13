/**
 * Builds network frames as bytes for test captures: Ethernet II, ARP, IPv4, IPv6, TCP, UDP,
 * ICMP/ICMPv6 (errors quote the original datagram), DNS, HTTP and a TLS ClientHello.
 * Lengths and checksums are computed, so tshark and our decoders see well-formed packets
 * unless a test deliberately breaks one.
 */

export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const ETH_IPV6 = 0x86dd;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

// ---------------------------------------------------------------------------------------------
// Addresses

export function parseMac(mac: string): Uint8Array {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6) throw new Error(`bad MAC ${mac}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function parseIpv4(ip: string): Uint8Array {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`bad IPv4 ${ip}`);
  return Uint8Array.from(parts);
}

/** RFC 4291 §2.2 text forms, including "::" compression (no embedded IPv4 form needed here). */
export function parseIpv6(ip: string): Uint8Array {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array(fill).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 ${ip}`);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[i * 2] = v >> 8; out[i * 2 + 1] = v & 0xff; });
  return out;
}

export function isIpv6(ip: string): boolean { return ip.includes(':'); }
export function parseIp(ip: string): Uint8Array { return isIpv6(ip) ? parseIpv6(ip) : parseIpv4(ip); }

// ---------------------------------------------------------------------------------------------
// Byte helpers

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function ascii(s: string): Uint8Array { return Uint8Array.from(Buffer.from(s, 'latin1')); }

function u16(n: number): Uint8Array { return Uint8Array.of((n >> 8) & 0xff, n & 0xff); }
function u32(n: number): Uint8Array { return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff); }

/** RFC 1071 Internet checksum over the concatenation of `parts`. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd = -1; // a byte left over from a part of odd length pairs with the next part's first byte
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i];
      else { sum += (odd << 8) | p[i]; odd = -1; }
    }
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: string, dst: string, proto: number, length: number): Uint8Array {
  if (isIpv6(src)) return concat(parseIpv6(src), parseIpv6(dst), u32(length), Uint8Array.of(0, 0, 0, proto));
  return concat(parseIpv4(src), parseIpv4(dst), Uint8Array.of(0, proto), u16(length));
}

// ---------------------------------------------------------------------------------------------
// Link layer

export function ethernet(src: string, dst: string, ethertype: number, payload: Uint8Array): Uint8Array {
  return concat(parseMac(dst), parseMac(src), u16(ethertype), payload);
}

export interface ArpOptions {
  op: 1 | 2;
  senderMac: string; senderIp: string;
  targetMac: string; targetIp: string;
  /** Ethernet destination; defaults to broadcast for requests and to the target for replies. */
  ethDst?: string;
}

/** RFC 826 ARP for Ethernet/IPv4, padded to the 60-byte Ethernet minimum as NICs do. */
export function arpFrame(o: ArpOptions): Uint8Array {
  const body = concat(u16(1), u16(ETH_IPV4), Uint8Array.of(6, 4), u16(o.op),
    parseMac(o.senderMac), parseIpv4(o.senderIp), parseMac(o.targetMac), parseIpv4(o.targetIp));
  const dst = o.ethDst ?? (o.op === 1 ? 'ff:ff:ff:ff:ff:ff' : o.targetMac);
  const frame = ethernet(o.senderMac, dst, ETH_ARP, body);
  return frame.length >= 60 ? frame : concat(frame, new Uint8Array(60 - frame.length));
}

// ---------------------------------------------------------------------------------------------
// Network layer

export interface IpOptions { ttl?: number; id?: number; dontFragment?: boolean }

export function ipv4(src: string, dst: string, proto: number, payload: Uint8Array, o: IpOptions = {}): Uint8Array {
  const h = new Uint8Array(20);
  const total = 20 + payload.length;
  h[0] = 0x45;
  h.set(u16(total), 2);
  h.set(u16(o.id ?? 0), 4);
  if (o.dontFragment) h[6] = 0x40;
  h[8] = o.ttl ?? 64;
  h[9] = proto;
  h.set(parseIpv4(src), 12);
  h.set(parseIpv4(dst), 16);
  h.set(u16(internetChecksum(h)), 10);
  return concat(h, payload);
}

export function ipv6(src: string, dst: string, nextHeader: number, payload: Uint8Array, o: IpOptions = {}): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h.set(u16(payload.length), 4);
  h[6] = nextHeader;
  h[7] = o.ttl ?? 64;
  h.set(parseIpv6(src), 8);
  h.set(parseIpv6(dst), 24);
  return concat(h, payload);
}

/** An IP packet of the version implied by the address text. */
export function ip(src: string, dst: string, proto: number, payload: Uint8Array, o: IpOptions = {}): Uint8Array {
  return isIpv6(src) ? ipv6(src, dst, proto, payload, o) : ipv4(src, dst, proto, payload, o);
}

// ---------------------------------------------------------------------------------------------
// Transport layer

export interface TcpOptions {
  src: string; dst: string; sport: number; dport: number;
  flags: number; seq?: number; ack?: number; window?: number;
  payload?: Uint8Array;
  /** Add an MSS option (as real stacks do on SYN and SYN/ACK). */
  mss?: number;
}

export function tcpSegment(o: TcpOptions): Uint8Array {
  const opts = o.mss !== undefined ? concat(Uint8Array.of(2, 4), u16(o.mss)) : new Uint8Array(0);
  const hlen = 20 + opts.length;
  const h = new Uint8Array(hlen);
  h.set(u16(o.sport), 0);
  h.set(u16(o.dport), 2);
  h.set(u32(o.seq ?? 0), 4);
  h.set(u32(o.ack ?? 0), 8);
  h[12] = (hlen / 4) << 4;
  h[13] = o.flags;
  h.set(u16(o.window ?? 64240), 14);
  h.set(opts, 20);
  const payload = o.payload ?? new Uint8Array(0);
  const seg = concat(h, payload);
  seg.set(u16(internetChecksum(pseudoHeader(o.src, o.dst, IPPROTO_TCP, seg.length), seg)), 16);
  return seg;
}

export interface UdpOptions { src: string; dst: string; sport: number; dport: number; payload: Uint8Array }

export function udpDatagram(o: UdpOptions): Uint8Array {
  const h = new Uint8Array(8);
  h.set(u16(o.sport), 0);
  h.set(u16(o.dport), 2);
  h.set(u16(8 + o.payload.length), 4);
  const dg = concat(h, o.payload);
  let sum = internetChecksum(pseudoHeader(o.src, o.dst, IPPROTO_UDP, dg.length), dg);
  if (sum === 0) sum = 0xffff; // RFC 768: a computed zero is sent as all ones
  dg.set(u16(sum), 6);
  return dg;
}

export interface IcmpOptions {
  src: string; dst: string; type: number; code: number;
  /** The 4 bytes after the checksum: echo id/seq, unused, MTU... */
  rest?: Uint8Array;
  payload?: Uint8Array;
}

/** ICMPv4 (RFC 792) or ICMPv6 (RFC 4443, checksum over the pseudo-header), by address family. */
export function icmpMessage(o: IcmpOptions): Uint8Array {
  const msg = concat(Uint8Array.of(o.type, o.code, 0, 0), o.rest ?? new Uint8Array(4), o.payload ?? new Uint8Array(0));
  const sum = isIpv6(o.src)
    ? internetChecksum(pseudoHeader(o.src, o.dst, IPPROTO_ICMPV6, msg.length), msg)
    : internetChecksum(msg);
  msg.set(u16(sum), 2);
  return msg;
}

// ---------------------------------------------------------------------------------------------
// Whole frames (Ethernet + IP + transport)

export interface FrameOptions extends IpOptions { macSrc?: string; macDst?: string }

export const DEFAULT_MAC_SRC = '02:00:00:00:00:01';
export const DEFAULT_MAC_DST = '02:00:00:00:00:02';

export function ipFrame(ipPacket: Uint8Array, o: FrameOptions = {}): Uint8Array {
  const ethertype = (ipPacket[0] >> 4) === 6 ? ETH_IPV6 : ETH_IPV4;
  return ethernet(o.macSrc ?? DEFAULT_MAC_SRC, o.macDst ?? DEFAULT_MAC_DST, ethertype, ipPacket);
}

export function tcpIp(o: TcpOptions, ipo: IpOptions = {}): Uint8Array {
  return ip(o.src, o.dst, IPPROTO_TCP, tcpSegment(o), ipo);
}

export function udpIp(o: UdpOptions, ipo: IpOptions = {}): Uint8Array {
  return ip(o.src, o.dst, IPPROTO_UDP, udpDatagram(o), ipo);
}

export function tcpFrame(o: TcpOptions & FrameOptions): Uint8Array { return ipFrame(tcpIp(o, o), o); }
export function udpFrame(o: UdpOptions & FrameOptions): Uint8Array { return ipFrame(udpIp(o, o), o); }

export function icmpFrame(o: IcmpOptions & FrameOptions): Uint8Array {
  return ipFrame(ip(o.src, o.dst, isIpv6(o.src) ? IPPROTO_ICMPV6 : IPPROTO_ICMP, icmpMessage(o), o), o);
}

export function icmpEchoFrame(o: { src: string; dst: string; id: number; seq: number; reply?: boolean; size?: number } & FrameOptions): Uint8Array {
  const v6 = isIpv6(o.src);
  const type = o.reply ? (v6 ? 129 : 0) : (v6 ? 128 : 8);
  const payload = new Uint8Array(o.size ?? 56).map((_, i) => (0x10 + i) & 0xff);
  return icmpFrame({ ...o, type, code: 0, rest: concat(u16(o.id), u16(o.seq)), payload });
}

/**
 * An ICMP error from `reporter` to the original sender, quoting `original` (an IP packet).
 * RFC 1812 §4.3.2.3: quote as much of the original as fits in 576 bytes (IPv4);
 * RFC 4443 §2.4: as much as fits in the IPv6 minimum MTU of 1280.
 */
export function icmpErrorFrame(o: { reporter: string; original: Uint8Array; type?: number; code?: number } & FrameOptions): Uint8Array {
  const v6 = (o.original[0] >> 4) === 6;
  const origSrc = v6 ? formatIpv6(o.original.subarray(8, 24)) : formatIpv4(o.original.subarray(12, 16));
  const limit = v6 ? 1280 - 48 : 576 - 28;
  const quoted = o.original.subarray(0, Math.min(o.original.length, limit));
  return icmpFrame({
    ...o, src: o.reporter, dst: origSrc,
    type: o.type ?? (v6 ? 1 : 3), code: o.code ?? (v6 ? 4 : 3), payload: quoted,
  });
}

function formatIpv4(b: Uint8Array): string { return Array.from(b).join('.'); }
function formatIpv6(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':');
}

// ---------------------------------------------------------------------------------------------
// Application payloads

/**
 * DNS name in wire form. Labels are taken as raw bytes (latin1) so tests can put markup or
 * other hostile bytes in a label: RFC 1035 only limits a label to 63 octets.
 */
export function dnsName(name: string): Uint8Array {
  const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
  const parts: Uint8Array[] = [];
  for (const l of labels) {
    const b = ascii(l);
    if (b.length === 0 || b.length > 63) throw new Error(`DNS label length ${b.length} in ${name}`);
    parts.push(Uint8Array.of(b.length), b);
  }
  parts.push(Uint8Array.of(0));
  return concat(...parts);
}

export interface DnsAnswer { name: string; type: number; ttl?: number; data: string }

export interface DnsMessageOptions {
  id: number;
  qname: string;
  qtype?: number;
  response?: boolean;
  rcode?: number;
  answers?: DnsAnswer[];
}

export const DNS_A = 1;
export const DNS_CNAME = 5;
export const DNS_AAAA = 28;
export const RCODE_NOERROR = 0;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

function dnsRdata(a: DnsAnswer): Uint8Array {
  if (a.type === DNS_A) return parseIpv4(a.data);
  if (a.type === DNS_AAAA) return parseIpv6(a.data);
  if (a.type === DNS_CNAME) return dnsName(a.data);
  return ascii(a.data);
}

/** RFC 1035 §4.1 message with one question; names are not compressed (simpler, still valid). */
export function dnsMessage(o: DnsMessageOptions): Uint8Array {
  const answers = o.answers ?? [];
  // Flags: QR, RD always, RA on responses, and the rcode in the low 4 bits.
  const flags = (o.response ? 0x8180 : 0x0100) | (o.rcode ?? 0);
  const header = concat(u16(o.id), u16(flags), u16(1), u16(answers.length), u16(0), u16(0));
  const question = concat(dnsName(o.qname), u16(o.qtype ?? DNS_A), u16(1));
  const rrs = answers.map((a) => {
    const rdata = dnsRdata(a);
    return concat(dnsName(a.name), u16(a.type), u16(1), u32(a.ttl ?? 300), u16(rdata.length), rdata);
  });
  return concat(header, question, ...rrs);
}

export function httpRequest(o: { method?: string; uri?: string; host: string; userAgent?: string; extra?: string }): Uint8Array {
  const lines = [`${o.method ?? 'GET'} ${o.uri ?? '/'} HTTP/1.1`, `Host: ${o.host}`];
  if (o.userAgent !== undefined) lines.push(`User-Agent: ${o.userAgent}`);
  lines.push('Accept: */*');
  if (o.extra) lines.push(o.extra);
  return ascii(lines.join('\r\n') + '\r\n\r\n');
}

export function httpResponse(o: { status: number; reason: string; body?: string; server?: string }): Uint8Array {
  const body = o.body ?? '';
  const lines = [`HTTP/1.1 ${o.status} ${o.reason}`, `Server: ${o.server ?? 'nginx'}`,
    'Content-Type: text/html', `Content-Length: ${Buffer.byteLength(body, 'latin1')}`, 'Connection: keep-alive'];
  return ascii(lines.join('\r\n') + '\r\n\r\n' + body);
}

/** A TLS 1.2-style ClientHello record (RFC 8446 §4.1.2 layout) with server_name (RFC 6066 §3). */
export function tlsClientHello(o: { sni?: string; random?: Uint8Array; tls13?: boolean }): Uint8Array {
  const exts: Uint8Array[] = [];
  if (o.sni !== undefined) {
    const host = ascii(o.sni);
    const entry = concat(Uint8Array.of(0), u16(host.length), host);
    const list = concat(u16(entry.length), entry);
    exts.push(concat(u16(0), u16(list.length), list));
  }
  if (o.tls13) {
    const versions = concat(Uint8Array.of(4), u16(0x0304), u16(0x0303));
    exts.push(concat(u16(43), u16(versions.length), versions));
  }
  const extBlock = concat(...exts);
  const ciphers = concat(u16(0x1301), u16(0x1302), u16(0xc02f), u16(0xc030));
  const body = concat(
    u16(0x0303), o.random ?? new Uint8Array(32).fill(0x5a), Uint8Array.of(0),
    u16(ciphers.length), ciphers, Uint8Array.of(1, 0),
    u16(extBlock.length), extBlock,
  );
  const hs = concat(Uint8Array.of(1), Uint8Array.of((body.length >> 16) & 0xff), u16(body.length & 0xffff), body);
  return concat(Uint8Array.of(0x16, 0x03, 0x01), u16(hs.length), hs);
}

/** An opaque TLS application-data record: what encrypted page traffic looks like on the wire. */
export function tlsApplicationData(length: number, fill = 0xab): Uint8Array {
  return concat(Uint8Array.of(0x17, 0x03, 0x03), u16(length), new Uint8Array(length).fill(fill));
}
