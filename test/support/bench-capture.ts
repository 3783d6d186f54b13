/**
 * Synthetic benchmark capture: a classic pcap (LINKTYPE_ETHERNET, microsecond timestamps,
 * little-endian) of realistic mixed traffic, deterministic from a seed, of any size.
 *
 * It streams: frames are built in place into one output buffer that is flushed to disk when
 * full, so memory stays flat whether it writes ten thousand packets or ten million. (The
 * fixture helpers in pcap-writer.ts sort whole frame arrays in memory, which is right for small
 * scenarios and wrong here.)
 *
 * The traffic, interleaved across up to CONCURRENT_SESSIONS live conversations:
 *   - HTTP over TCP: handshake, GET, a response whose body is cut into 200-1460 byte
 *     segments, client ACKs, FIN teardown (some 404s);
 *   - TLS over TCP: handshake, a ClientHello with SNI (most of them), server flight and
 *     application-data records, FIN teardown;
 *   - DNS over UDP: query/response pairs, A and AAAA, ~12% NXDOMAIN;
 *   - ICMP echo request/reply, and UDP probes answered by ICMP port unreachable (quoting the
 *     probe's IP header and first 8 bytes, RFC 792);
 *   - ~10% of conversations carry an 802.1Q tag;
 *   - a SYN flood: ~3% of packets, clustered in bursts, SYNs from one source to one server
 *     port with random source ports, a minority answered by SYN/ACKs.
 * IPv4 header, TCP, UDP and ICMP checksums are all valid, so tshark flags nothing.
 */
import fs from 'node:fs';

/**
 * 'bench': the default mix (~420 B/packet: HTTP bodies and TLS records cut into full segments).
 * 'small': ~165 B/packet, the small-packet case a 165 MB / 1M-packet capture shows (issue 11):
 * many short flows (DNS, a GET with a small answer, refused connects, pings), and a denser SYN burst.
 */
export type BenchProfile = 'bench' | 'small';

export interface BenchCaptureOptions {
  packets: number;
  seed?: number;
  profile?: BenchProfile;
}

export interface BenchCaptureResult {
  packets: number;
  /** File size in bytes. */
  bytes: number;
}

const LINKTYPE_ETHERNET = 1;
const OUT_BUFFER_BYTES = 4 << 20;
/** Largest frame we build: Ethernet + 802.1Q + IPv4 + TCP with options + 1460 bytes. */
const MAX_FRAME = 14 + 4 + 20 + 32 + 1460 + 64;
const CONCURRENT_SESSIONS = 48;
/** 2024-05-06 08:00:00 UTC: a fixed start so every run of a seed is byte-identical. */
const START_US = 1_714_982_400_000_000;
/** Mean gap between packets: ~1M packets span about 15 minutes, which gives the timeline shape. */
const MEAN_GAP_US = 900;

const SYN_FLOOD_SHARE = { bench: 0.03, small: 0.08 } as const;
const SYN_FLOOD_ANSWERED = 0.12;

const TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10;
const PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17;

/** xorshift32 (Marsaglia 2003) behind a splitmix-style seed scramble: tiny, fast, deterministic. */
class SeededRandom {
  private state: number;
  constructor(seed: number) {
    let z = (seed + 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (z ^ (z >>> 16)) >>> 0 || 0x2545f491;
  }
  uint32(): number {
    let x = this.state;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (this.state = x >>> 0);
  }
  float(): number { return this.uint32() / 4294967296; }
  /** Integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.float() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.float() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.float() * items.length)]; }
  /** Exponential gap with the given mean: Poisson arrivals look like real traffic. */
  gap(mean: number): number { return Math.max(1, Math.round(-Math.log(1 - this.float()) * mean)); }
}

interface Host { ip: number; mac: Uint8Array }

interface Conversation {
  client: Host;
  server: Host;
  cport: number;
  sport: number;
  vlan: number;
}

/** What a session wants sent next; the writer turns it into bytes in place. */
interface PacketSpec {
  conv: Conversation;
  fromClient: boolean;
  proto: number;
  /** TCP */
  flags?: number;
  seq?: number;
  ack?: number;
  synOptions?: boolean;
  /** ICMP */
  icmpType?: number;
  icmpCode?: number;
  icmpRest?: number;
  /** ICMP error: the quoted datagram (always a UDP probe here). */
  quote?: PacketSpec;
  payload?: Uint8Array;
  /** Set when the IPv4 header is written, so an ICMP error can quote the same identification. */
  ipId?: number;
}

const GATEWAY_MAC = Uint8Array.from([0x00, 0x1a, 0x2b, 0x3c, 0x00, 0x01]);

function ipv4(a: number, b: number, c: number, d: number): number { return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0; }

function localHost(ip: number): Host {
  // Locally administered MAC derived from the address, so each host keeps one MAC.
  return { ip, mac: Uint8Array.from([0x02, 0x00, (ip >>> 24) & 255, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255]) };
}
// At a LAN capture point every remote address arrives behind the router's MAC.
function remoteHost(ip: number): Host { return { ip, mac: GATEWAY_MAC }; }

const WORDS = ['shop', 'news', 'mail', 'cdn', 'static', 'api', 'img', 'login', 'video', 'docs', 'status', 'files',
  'assets', 'portal', 'update', 'search', 'maps', 'cloud', 'media', 'store'];
const ZONES = ['example.com', 'example.net', 'example.org', 'corp.example', 'intranet.example'];
const PATHS = ['/', '/index.html', '/api/v1/items', '/static/app.js', '/css/site.css', '/images/logo.png', '/login',
  '/search?q=report', '/api/v2/status', '/downloads/update.json'];
const USER_AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'curl/8.5.0', 'python-requests/2.31.0'];

/** Body text the HTTP responses slice from: readable, so tshark's HTTP view looks normal. */
const BODY_TEXT = Buffer.from(Array.from({ length: 2048 }, (_, i) =>
  `<p class="row-${i % 7}">${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} item ${i}</p>\n`).join(''), 'latin1');

/** Random bytes that look like ciphertext, for TLS records. */
function cipherBytes(rng: SeededRandom, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const r = rng.uint32();
    b[i] = r; if (i + 1 < n) b[i + 1] = r >>> 8; if (i + 2 < n) b[i + 2] = r >>> 16; if (i + 3 < n) b[i + 3] = r >>> 24;
  }
  return b;
}

function hostName(rng: SeededRandom): string { return `${rng.pick(WORDS)}${rng.chance(0.3) ? rng.int(1, 9) : ''}.${rng.pick(ZONES)}`; }

/** DNS name in wire format (RFC 1035 §3.1). */
function dnsName(name: string): Buffer {
  const parts = name.split('.');
  const out = Buffer.alloc(name.length + 2);
  let o = 0;
  for (const p of parts) { out[o++] = p.length; o += out.write(p, o, 'latin1'); }
  out[o] = 0;
  return out;
}

function dnsQuery(id: number, name: string, qtype: number): Buffer {
  const q = dnsName(name);
  const m = Buffer.alloc(12 + q.length + 4);
  m.writeUInt16BE(id, 0);
  m.writeUInt16BE(0x0100, 2); // RD
  m.writeUInt16BE(1, 4);
  q.copy(m, 12);
  m.writeUInt16BE(qtype, 12 + q.length);
  m.writeUInt16BE(1, 14 + q.length); // IN
  return m;
}

function dnsResponse(rng: SeededRandom, query: Buffer, qtype: number, nxdomain: boolean): Buffer {
  const answers = nxdomain ? 0 : rng.int(1, 3);
  const rdlen = qtype === 28 ? 16 : 4;
  const m = Buffer.alloc(query.length + answers * (12 + rdlen));
  query.copy(m);
  m.writeUInt16BE(nxdomain ? 0x8183 : 0x8180, 2); // QR RD RA, rcode 3 or 0
  m.writeUInt16BE(answers, 6);
  let o = query.length;
  for (let i = 0; i < answers; i++) {
    m.writeUInt16BE(0xc00c, o); // pointer to the question name (RFC 1035 §4.1.4)
    m.writeUInt16BE(qtype, o + 2);
    m.writeUInt16BE(1, o + 4);
    m.writeUInt32BE(rng.int(30, 3600), o + 6);
    m.writeUInt16BE(rdlen, o + 10);
    if (qtype === 28) {
      m.writeUInt32BE(0x20010db8, o + 12); m.writeUInt32BE(rng.uint32(), o + 16);
      m.writeUInt32BE(0, o + 20); m.writeUInt32BE(rng.int(1, 0xffff), o + 24);
    } else {
      m.writeUInt32BE(ipv4(198, 51, 100, rng.int(1, 254)), o + 12);
    }
    o += 12 + rdlen;
  }
  return m;
}

/** TLS 1.2-framed ClientHello offering TLS 1.3 (RFC 8446 §4.1.2), with SNI when given (RFC 6066 §3). */
function tlsClientHello(rng: SeededRandom, sni: string | null): Buffer {
  const ext: Buffer[] = [];
  const extension = (type: number, body: Buffer) => {
    const h = Buffer.alloc(4); h.writeUInt16BE(type, 0); h.writeUInt16BE(body.length, 2); ext.push(h, body);
  };
  if (sni) {
    const name = Buffer.from(sni, 'latin1');
    const b = Buffer.alloc(5 + name.length);
    b.writeUInt16BE(3 + name.length, 0); b[2] = 0; b.writeUInt16BE(name.length, 3); name.copy(b, 5);
    extension(0x0000, b);
  }
  extension(0x000a, Buffer.from([0, 6, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18])); // supported_groups
  extension(0x000d, Buffer.from([0, 8, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03])); // signature_algorithms
  extension(0x0010, Buffer.from([0, 3, 2, 0x68, 0x32])); // ALPN "h2"
  extension(0x002b, Buffer.from([4, 0x03, 0x04, 0x03, 0x03])); // supported_versions: 1.3, 1.2
  const share = Buffer.alloc(2 + 4 + 32); share.writeUInt16BE(36, 0); share.writeUInt16BE(0x001d, 2); share.writeUInt16BE(32, 4);
  Buffer.from(cipherBytes(rng, 32)).copy(share, 6);
  extension(0x0033, share); // key_share x25519
  const exts = Buffer.concat(ext);
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];
  const bodyLen = 2 + 32 + 1 + 32 + 2 + suites.length * 2 + 2 + 2 + exts.length;
  const m = Buffer.alloc(5 + 4 + bodyLen);
  let o = 0;
  m[o++] = 0x16; m.writeUInt16BE(0x0301, o); o += 2; m.writeUInt16BE(4 + bodyLen, o); o += 2; // record
  m[o++] = 0x01; m.writeUIntBE(bodyLen, o, 3); o += 3; // handshake: client_hello
  m.writeUInt16BE(0x0303, o); o += 2;
  Buffer.from(cipherBytes(rng, 32)).copy(m, o); o += 32;
  m[o++] = 32; Buffer.from(cipherBytes(rng, 32)).copy(m, o); o += 32;
  m.writeUInt16BE(suites.length * 2, o); o += 2;
  for (const s of suites) { m.writeUInt16BE(s, o); o += 2; }
  m[o++] = 1; m[o++] = 0;
  m.writeUInt16BE(exts.length, o); o += 2;
  exts.copy(m, o);
  return m;
}

function tlsRecord(rng: SeededRandom, contentType: number, len: number): Buffer {
  const m = Buffer.alloc(5 + len);
  m[0] = contentType; m.writeUInt16BE(0x0303, 1); m.writeUInt16BE(len, 3);
  Buffer.from(cipherBytes(rng, len)).copy(m, 5);
  return m;
}

/** Cuts a byte string into TCP segments of 200..1460 bytes (the last may be shorter). */
function segments(rng: SeededRandom, data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length;) {
    const n = Math.min(data.length - o, rng.chance(0.6) ? 1460 : rng.int(200, 1460));
    out.push(data.subarray(o, o + n));
    o += n;
  }
  return out;
}

/** The traffic model: hosts, and one generator per conversation kind. */
class TrafficModel {
  readonly clients: Host[] = [];
  readonly webServers: Host[] = [];
  readonly resolver = localHost(ipv4(10, 1, 0, 53));
  /** Printers and switches that get polled or sent syslog on ports they do not serve. */
  readonly devices = [20, 21, 22].map((h) => localHost(ipv4(10, 1, 0, h)));
  readonly floodSource = remoteHost(ipv4(203, 0, 113, 66));
  readonly floodTarget = localHost(ipv4(10, 1, 0, 80));
  readonly floodPort = 443;
  private nextPort = 49152;

  constructor(private readonly rng: SeededRandom, private readonly profile: BenchProfile = 'bench') {
    for (let net = 1; net <= 4; net++) for (let h = 10; h < 70; h++) this.clients.push(localHost(ipv4(10, 1, net, h)));
    for (let i = 1; i <= 60; i++) this.webServers.push(remoteHost(ipv4(i % 2 ? 192 : 198, i % 2 ? 0 : 51, i % 2 ? 2 : 100, i)));
  }

  ephemeralPort(): number {
    this.nextPort = this.nextPort >= 65000 ? 49152 : this.nextPort + 1 + (this.rng.uint32() & 7);
    return this.nextPort;
  }

  private conversation(server: Host, sport: number): Conversation {
    const vlan = this.rng.chance(0.1) ? this.rng.pick([100, 200, 300]) : 0;
    return { client: this.rng.pick(this.clients), server, cport: this.ephemeralPort(), sport, vlan };
  }

  /** A new conversation of a kind chosen by traffic share. */
  newSession(): Generator<PacketSpec> {
    const r = this.rng.float();
    if (this.profile === 'small') {
      if (r < 0.50) return this.shortHttp();
      if (r < 0.75) return this.dns();
      if (r < 0.82) return this.refused();
      if (r < 0.93) return this.ping();
      return this.portUnreachable();
    }
    if (r < 0.30) return this.http();
    if (r < 0.52) return this.tls();
    if (r < 0.90) return this.dns();
    if (r < 0.96) return this.ping();
    return this.portUnreachable();
  }

  private *tcpOpen(conv: Conversation, isn: { c: number; s: number }): Generator<PacketSpec> {
    yield { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_SYN, seq: isn.c, ack: 0, synOptions: true };
    yield { conv, fromClient: false, proto: PROTO_TCP, flags: TCP_SYN | TCP_ACK, seq: isn.s, ack: isn.c + 1, synOptions: true };
    yield { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_ACK, seq: isn.c + 1, ack: isn.s + 1 };
  }

  /** Sends `data` from one side with the other side ACKing every second segment; returns the next seq. */
  private *tcpSend(conv: Conversation, fromClient: boolean, seq: number, ack: number, data: Uint8Array): Generator<PacketSpec, number> {
    const segs = segments(this.rng, data);
    for (let i = 0; i < segs.length; i++) {
      const last = i === segs.length - 1;
      yield { conv, fromClient, proto: PROTO_TCP, flags: TCP_ACK | (last ? TCP_PSH : 0), seq, ack, payload: segs[i] };
      seq = (seq + segs[i].length) >>> 0;
      if (last || i % 2 === 1) yield { conv, fromClient: !fromClient, proto: PROTO_TCP, flags: TCP_ACK, seq: ack, ack: seq };
    }
    return seq;
  }

  private *tcpClose(conv: Conversation, cseq: number, sseq: number): Generator<PacketSpec> {
    yield { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_FIN | TCP_ACK, seq: cseq, ack: sseq };
    yield { conv, fromClient: false, proto: PROTO_TCP, flags: TCP_FIN | TCP_ACK, seq: sseq, ack: cseq + 1 };
    yield { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_ACK, seq: cseq + 1, ack: sseq + 1 };
  }

  private *http(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.pick(this.webServers), 80);
    const isn = { c: this.rng.uint32(), s: this.rng.uint32() };
    yield* this.tcpOpen(conv, isn);
    const host = hostName(this.rng);
    const req = Buffer.from(`GET ${this.rng.pick(PATHS)} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${this.rng.pick(USER_AGENTS)}\r\n`
      + `Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
    const cseq = yield* this.tcpSend(conv, true, (isn.c + 1) >>> 0, (isn.s + 1) >>> 0, req);
    const notFound = this.rng.chance(0.08);
    const bodyLen = notFound ? this.rng.int(200, 600) : this.rng.int(200, 12_000);
    const start = this.rng.int(0, BODY_TEXT.length - bodyLen - 1);
    const head = Buffer.from(`HTTP/1.1 ${notFound ? '404 Not Found' : '200 OK'}\r\nServer: nginx/1.24.0\r\n`
      + `Content-Type: text/html; charset=utf-8\r\nContent-Length: ${bodyLen}\r\n\r\n`, 'latin1');
    const resp = Buffer.concat([head, BODY_TEXT.subarray(start, start + bodyLen)]);
    const sseq = yield* this.tcpSend(conv, false, (isn.s + 1) >>> 0, cseq, resp);
    yield* this.tcpClose(conv, cseq, sseq);
  }

  /** A short keep-nothing exchange: handshake, a small GET, a small answer in one segment, teardown. */
  private *shortHttp(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.pick(this.webServers), this.rng.chance(0.5) ? 80 : 8080);
    const isn = { c: this.rng.uint32(), s: this.rng.uint32() };
    yield* this.tcpOpen(conv, isn);
    const req = Buffer.from(`GET ${this.rng.pick(PATHS)} HTTP/1.1\r\nHost: ${hostName(this.rng)}\r\nUser-Agent: ${this.rng.pick(USER_AGENTS)}\r\n\r\n`, 'latin1');
    const cseq = yield* this.tcpSend(conv, true, (isn.c + 1) >>> 0, (isn.s + 1) >>> 0, req);
    const body = this.rng.int(500, 1600);
    const start = this.rng.int(0, BODY_TEXT.length - body - 1);
    const resp = Buffer.concat([Buffer.from(`HTTP/1.1 204 No Content\r\nContent-Length: ${body}\r\n\r\n`, 'latin1'), BODY_TEXT.subarray(start, start + body)]);
    const sseq = yield* this.tcpSend(conv, false, (isn.s + 1) >>> 0, cseq, resp);
    yield* this.tcpClose(conv, cseq, sseq);
  }

  /** A connect to a closed port: SYN answered by RST/ACK (RFC 9293 §3.10.7.1). */
  private *refused(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.pick(this.clients), this.rng.pick([22, 139, 445, 3389, 8443]));
    const isn = this.rng.uint32();
    yield { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_SYN, seq: isn, ack: 0, synOptions: true };
    yield { conv, fromClient: false, proto: PROTO_TCP, flags: TCP_RST | TCP_ACK, seq: 0, ack: (isn + 1) >>> 0 };
  }

  private *tls(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.pick(this.webServers), 443);
    const isn = { c: this.rng.uint32(), s: this.rng.uint32() };
    yield* this.tcpOpen(conv, isn);
    const hello = tlsClientHello(this.rng, this.rng.chance(0.9) ? hostName(this.rng) : null);
    let cseq = yield* this.tcpSend(conv, true, (isn.c + 1) >>> 0, (isn.s + 1) >>> 0, hello);
    // Server flight (ServerHello + encrypted extensions/certificate): handshake then app-data records.
    const flight = Buffer.concat([tlsRecord(this.rng, 0x16, this.rng.int(90, 122)), tlsRecord(this.rng, 0x14, 1),
      tlsRecord(this.rng, 0x17, this.rng.int(2_000, 4_500))]);
    let sseq = yield* this.tcpSend(conv, false, (isn.s + 1) >>> 0, cseq, flight);
    const exchanges = this.rng.int(1, 3);
    for (let i = 0; i < exchanges; i++) {
      cseq = yield* this.tcpSend(conv, true, cseq, sseq, tlsRecord(this.rng, 0x17, this.rng.int(200, 900)));
      sseq = yield* this.tcpSend(conv, false, sseq, cseq, tlsRecord(this.rng, 0x17, this.rng.int(200, 9_000)));
    }
    yield* this.tcpClose(conv, cseq, sseq);
  }

  private *dns(): Generator<PacketSpec> {
    const conv = this.conversation(this.resolver, 53);
    // Random labels under a real zone: the lookups that come back NXDOMAIN (typos, DGA-like names).
    const nxdomain = this.rng.chance(0.12);
    const name = nxdomain ? `${cipherLabel(this.rng)}.${this.rng.pick(ZONES)}` : hostName(this.rng);
    const qtype = this.rng.chance(0.25) ? 28 : 1;
    const query = dnsQuery(this.rng.int(0, 0xffff), name, qtype);
    yield { conv, fromClient: true, proto: PROTO_UDP, payload: query };
    yield { conv, fromClient: false, proto: PROTO_UDP, payload: dnsResponse(this.rng, query, qtype, nxdomain) };
  }

  private *ping(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.chance(0.5) ? this.rng.pick(this.webServers) : this.rng.pick(this.clients), 0);
    const id = this.rng.int(1, 0xffff);
    const payload = BODY_TEXT.subarray(0, 56);
    const count = this.rng.int(1, 4);
    for (let seq = 1; seq <= count; seq++) {
      yield { conv, fromClient: true, proto: PROTO_ICMP, icmpType: 8, icmpCode: 0, icmpRest: (id << 16) | seq, payload };
      yield { conv, fromClient: false, proto: PROTO_ICMP, icmpType: 0, icmpCode: 0, icmpRest: (id << 16) | seq, payload };
    }
  }

  /** A UDP datagram to a device's closed port (SNMP, syslog) and the ICMP error it draws. */
  private *portUnreachable(): Generator<PacketSpec> {
    const conv = this.conversation(this.rng.pick(this.devices), this.rng.pick([161, 514]));
    const probe: PacketSpec = { conv, fromClient: true, proto: PROTO_UDP, payload: BODY_TEXT.subarray(100, 100 + this.rng.int(16, 64)) };
    yield probe;
    yield { conv, fromClient: false, proto: PROTO_ICMP, icmpType: 3, icmpCode: 3, icmpRest: 0, quote: probe };
  }

  /** One packet of the SYN flood: a SYN from a fresh source port, or a SYN/ACK to an earlier one. */
  floodPacket(pending: number[]): PacketSpec {
    if (pending.length && this.rng.chance(SYN_FLOOD_ANSWERED)) {
      const cport = pending.splice(this.rng.int(0, pending.length - 1), 1)[0];
      const conv = { client: this.floodSource, server: this.floodTarget, cport, sport: this.floodPort, vlan: 0 };
      return { conv, fromClient: false, proto: PROTO_TCP, flags: TCP_SYN | TCP_ACK, seq: this.rng.uint32(), ack: (cport * 7919 + 1) >>> 0, synOptions: true };
    }
    const cport = this.rng.int(1024, 65535);
    if (pending.length < 64) pending.push(cport);
    const conv = { client: this.floodSource, server: this.floodTarget, cport, sport: this.floodPort, vlan: 0 };
    // The flood tool's ISN is a function of the port, so a SYN/ACK can acknowledge it.
    return { conv, fromClient: true, proto: PROTO_TCP, flags: TCP_SYN, seq: (cport * 7919) >>> 0, ack: 0, synOptions: true };
  }
}

function cipherLabel(rng: SeededRandom): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = rng.int(8, 16); i > 0; i--) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** One's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded or inverted. */
function sum16(buf: Uint8Array, start: number, end: number, acc = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (buf[i] << 8) | buf[i + 1];
  if (i < end) acc += buf[i] << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

/** Builds frames in place in an output buffer. */
class FrameWriter {
  private ipId = 1;

  constructor(private readonly rng: SeededRandom) {}

  /** Writes the Ethernet frame for `p` at `o` in `b`; returns the frame length. */
  write(b: Buffer, o: number, p: PacketSpec): number {
    const { conv } = p;
    const src = p.fromClient ? conv.client : conv.server;
    const dst = p.fromClient ? conv.server : conv.client;
    const start = o;
    b.set(dst.mac, o); b.set(src.mac, o + 6); o += 12;
    if (conv.vlan) { b.writeUInt16BE(0x8100, o); b.writeUInt16BE(conv.vlan, o + 2); o += 4; }
    b.writeUInt16BE(0x0800, o); o += 2;
    const ipEnd = this.writeIp(b, o, p, src.ip, dst.ip);
    return ipEnd - start;
  }

  /** IPv4 header + transport at `o`; returns the end offset. */
  private writeIp(b: Buffer, o: number, p: PacketSpec, srcIp: number, dstIp: number): number {
    const l4 = o + 20;
    const l4End = p.proto === PROTO_TCP ? this.writeTcp(b, l4, p, srcIp, dstIp)
      : p.proto === PROTO_UDP ? this.writeUdp(b, l4, p, srcIp, dstIp)
      : this.writeIcmp(b, l4, p);
    const total = l4End - o;
    b[o] = 0x45; b[o + 1] = 0;
    b.writeUInt16BE(total, o + 2);
    p.ipId ??= this.ipId = (this.ipId + 1) & 0xffff;
    b.writeUInt16BE(p.ipId, o + 4);
    b.writeUInt16BE(p.proto === PROTO_TCP ? 0x4000 : 0, o + 6); // DF on TCP, as stacks do
    b[o + 8] = p.fromClient ? 64 : p.conv.server.mac === GATEWAY_MAC ? 52 : 128;
    b[o + 9] = p.proto;
    b.writeUInt16BE(0, o + 10);
    b.writeUInt32BE(srcIp, o + 12);
    b.writeUInt32BE(dstIp, o + 16);
    b.writeUInt16BE(fold(sum16(b, o, o + 20)), o + 10);
    return l4End;
  }

  private pseudoHeader(srcIp: number, dstIp: number, proto: number, len: number): number {
    return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + proto + len;
  }

  private writeTcp(b: Buffer, o: number, p: PacketSpec, srcIp: number, dstIp: number): number {
    const { conv } = p;
    const hdr = p.synOptions ? 32 : 20;
    b.writeUInt16BE(p.fromClient ? conv.cport : conv.sport, o);
    b.writeUInt16BE(p.fromClient ? conv.sport : conv.cport, o + 2);
    b.writeUInt32BE((p.seq ?? 0) >>> 0, o + 4);
    b.writeUInt32BE((p.ack ?? 0) >>> 0, o + 8);
    b[o + 12] = (hdr / 4) << 4;
    b[o + 13] = p.flags ?? 0;
    b.writeUInt16BE(((p.flags ?? 0) & TCP_SYN) !== 0 ? 64240 : 501, o + 14);
    b.writeUInt16BE(0, o + 16); b.writeUInt16BE(0, o + 18);
    if (p.synOptions) {
      // MSS 1460, NOP NOP SACK-permitted, NOP window-scale 7 (RFC 9293 §3.2, RFC 2018, RFC 7323).
      b.set([2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7], o + 20);
    }
    let end = o + hdr;
    if (p.payload) { b.set(p.payload, end); end += p.payload.length; }
    const len = end - o;
    b.writeUInt16BE(fold(sum16(b, o, end, this.pseudoHeader(srcIp, dstIp, PROTO_TCP, len))), o + 16);
    return end;
  }

  private writeUdp(b: Buffer, o: number, p: PacketSpec, srcIp: number, dstIp: number): number {
    const { conv } = p;
    const payload = p.payload ?? new Uint8Array(0);
    const len = 8 + payload.length;
    b.writeUInt16BE(p.fromClient ? conv.cport : conv.sport, o);
    b.writeUInt16BE(p.fromClient ? conv.sport : conv.cport, o + 2);
    b.writeUInt16BE(len, o + 4);
    b.writeUInt16BE(0, o + 6);
    b.set(payload, o + 8);
    // RFC 768: a computed checksum of zero is sent as all ones.
    const c = fold(sum16(b, o, o + len, this.pseudoHeader(srcIp, dstIp, PROTO_UDP, len)));
    b.writeUInt16BE(c === 0 ? 0xffff : c, o + 6);
    return o + len;
  }

  private writeIcmp(b: Buffer, o: number, p: PacketSpec): number {
    b[o] = p.icmpType ?? 0; b[o + 1] = p.icmpCode ?? 0;
    b.writeUInt16BE(0, o + 2);
    b.writeUInt32BE((p.icmpRest ?? 0) >>> 0, o + 4);
    let end = o + 8;
    if (p.quote) {
      // RFC 792: the error quotes the offending datagram's IP header and its first 8 data bytes.
      const q = p.quote;
      const qsrc = q.fromClient ? q.conv.client.ip : q.conv.server.ip;
      const qdst = q.fromClient ? q.conv.server.ip : q.conv.client.ip;
      const scratch = Buffer.alloc(20 + 8 + (q.payload?.length ?? 0));
      this.writeIp(scratch, 0, q, qsrc, qdst);
      b.set(scratch.subarray(0, 28), end);
      end += 28;
    } else if (p.payload) {
      b.set(p.payload, end);
      end += p.payload.length;
    }
    b.writeUInt16BE(fold(sum16(b, o, end)), o + 2);
    return end;
  }
}

/**
 * Writes `opts.packets` packets of mixed traffic to `file` (overwriting it).
 * The same seed always produces the same bytes.
 */
export async function writeBenchCapture(file: string, opts: BenchCaptureOptions): Promise<BenchCaptureResult> {
  const total = Math.max(0, Math.floor(opts.packets));
  const rng = new SeededRandom(opts.seed ?? 1);
  const profile = opts.profile ?? 'bench';
  const model = new TrafficModel(rng, profile);
  const frames = new FrameWriter(rng);
  const out = Buffer.alloc(OUT_BUFFER_BYTES);
  const fh = await fs.promises.open(file, 'w');
  let bytes = 0;
  let used = 0;
  const flush = async () => {
    let done = 0;
    while (done < used) done += (await fh.write(out, done, used - done)).bytesWritten;
    bytes += used;
    used = 0;
  };

  try {
    // libpcap file header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, linktype.
    out.writeUInt32LE(0xa1b2c3d4, 0);
    out.writeUInt16LE(2, 4); out.writeUInt16LE(4, 6);
    out.writeInt32LE(0, 8); out.writeUInt32LE(0, 12);
    out.writeUInt32LE(65535, 16); out.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    used = 24;

    const sessions: Array<Generator<PacketSpec>> = [];
    for (let i = 0; i < CONCURRENT_SESSIONS; i++) sessions.push(model.newSession());
    const floodPending: number[] = [];
    // The flood comes in bursts: in every period of `period` packets, one window carries it,
    // where every other packet is a flood packet. Over the file that is SYN_FLOOD_SHARE.
    const period = Math.min(20_000, Math.max(1_000, total));
    const window = Math.round(2 * SYN_FLOOD_SHARE[profile] * period);
    const windowStart = Math.floor(period / 3);
    let tsUs = START_US;

    for (let n = 0; n < total; n++) {
      let spec: PacketSpec;
      const inBurst = n % period >= windowStart && n % period < windowStart + window;
      if (inBurst && (n & 1) === 0) {
        spec = model.floodPacket(floodPending);
        tsUs += rng.int(20, 200);
      } else {
        const slot = rng.int(0, sessions.length - 1);
        let next = sessions[slot].next();
        while (next.done) { sessions[slot] = model.newSession(); next = sessions[slot].next(); }
        spec = next.value;
        // A conversation's own gaps (RTTs, think time) come from the interleaving: with
        // CONCURRENT_SESSIONS live, its next packet is on average that many gaps later.
        tsUs += rng.gap(MEAN_GAP_US);
      }
      if (used + 16 + MAX_FRAME > out.length) await flush();
      const len = frames.write(out, used + 16, spec);
      out.writeUInt32LE(Math.floor(tsUs / 1e6), used);
      out.writeUInt32LE(tsUs % 1e6, used + 4);
      out.writeUInt32LE(len, used + 8);
      out.writeUInt32LE(len, used + 12);
      used += 16 + len;
    }
    await flush();
  } finally {
    await fh.close();
  }
  return { packets: total, bytes };
}

// Lets `node dist/test/support/bench-capture.js out.pcap [packets] [seed]` write one by hand.
if (require.main === module) {
  const [file, packets = '100000', seed = '1', profile = 'bench'] = process.argv.slice(2);
  if (!file || (profile !== 'bench' && profile !== 'small')) {
    console.error('usage: node dist/test/support/bench-capture.js OUT.pcap [packets] [seed] [bench|small]');
    process.exit(2);
  }
  writeBenchCapture(file, { packets: Number(packets), seed: Number(seed), profile })
    .then((r) => console.log(`${file}: ${r.packets} packets, ${r.bytes} bytes`))
    .catch((err) => { console.error(err); process.exit(1); });
}
