/**
 * Deterministic synthetic captures for the detectors, the report and the UI escaping tests.
 * Run `node dist/test/support/make-fixtures.js [outDir]` to (re)write test/fixtures/captures/.
 * Tests import the scenario builders directly (often with smaller parameters) and write
 * their own temp captures, so they never depend on the committed files being current.
 *
 * Addresses come from the documentation ranges (RFC 5737 / RFC 3849) except where a scenario
 * needs "random Internet" sources, or where the brief names an address (192.51.100.15).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ACK, FIN, PSH, RST, SYN, DNS_A, RCODE_NXDOMAIN, RCODE_SERVFAIL, arpFrame, dnsMessage, httpRequest, httpResponse,
  icmpEchoFrame, icmpErrorFrame, ipFrame, tcpFrame, tlsApplicationData, tlsClientHello, udpFrame, udpIp,
  DnsAnswer,
} from './packet-builder';
import { TimedFrame, writePcap } from './pcap-writer';

/** 2024-03-12 09:00:00 UTC: every scenario starts here, so numbers in reports are stable. */
export const T0_SEC = 1710234000;

/** mulberry32: a tiny seeded PRNG, so every run writes byte-identical captures. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) { const j = Math.floor(this.next() * (i + 1)); [xs[i], xs[j]] = [xs[j], xs[i]]; }
    return xs;
  }
}

/** A stable locally-administered MAC per IP, so hosts keep one MAC across a capture. */
export function macOf(ip: string): string {
  let h = 2166136261;
  for (const c of ip) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const b = [0x02, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, ip.length & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Collects frames; `at(sec, frame)` places a frame `sec` seconds after T0. */
export class Scene {
  readonly frames: TimedFrame[] = [];
  at(sec: number, data: Uint8Array): void { this.frames.push({ tsUs: T0_SEC * 1e6 + Math.round(sec * 1e6), data }); }
}

/** One TCP connection with real sequence numbers, so SYN retransmissions repeat the seq. */
export class TcpConn {
  private cseq: number;
  private sseq: number;
  constructor(private sc: Scene, readonly client: string, readonly cport: number, readonly server: string,
    readonly sport: number, isn: number, risn = (isn * 7 + 12345) >>> 0) {
    this.cseq = isn >>> 0;
    this.sseq = risn >>> 0;
  }
  private seg(t: number, fromClient: boolean, flags: number, seq: number, ack: number, payload?: Uint8Array, mss?: number): void {
    const [src, dst, sp, dp] = fromClient ? [this.client, this.server, this.cport, this.sport] : [this.server, this.client, this.sport, this.cport];
    this.sc.at(t, tcpFrame({ src, dst, sport: sp, dport: dp, flags, seq, ack, payload, mss, macSrc: macOf(src), macDst: macOf(dst) }));
  }
  /** The SYN; calling it again is a retransmission (same seq, as a real stack's backoff does). */
  syn(t: number): void { this.seg(t, true, SYN, this.cseq, 0, undefined, 1460); }
  synAck(t: number): void { this.seg(t, false, SYN | ACK, this.sseq, this.cseq + 1, undefined, 1460); }
  ack(t: number): void { this.seg(t, true, ACK, this.cseq + 1, this.sseq + 1); }
  handshake(t: number, rtt: number): number {
    this.syn(t); this.synAck(t + rtt); this.ack(t + rtt + 0.0001);
    this.cseq += 1; this.sseq += 1;
    return t + rtt + 0.0001;
  }
  send(t: number, fromClient: boolean, payload: Uint8Array): void {
    if (fromClient) { this.seg(t, true, PSH | ACK, this.cseq, this.sseq, payload); this.cseq += payload.length; }
    else { this.seg(t, false, PSH | ACK, this.sseq, this.cseq, payload); this.sseq += payload.length; }
  }
  pureAck(t: number, fromClient: boolean): void {
    this.seg(t, fromClient, ACK, fromClient ? this.cseq : this.sseq, fromClient ? this.sseq : this.cseq);
  }
  /** Client FIN, server FIN, client ACK. */
  close(t: number, rtt: number): void {
    this.seg(t, true, FIN | ACK, this.cseq, this.sseq); this.cseq += 1;
    this.seg(t + rtt, false, FIN | ACK, this.sseq, this.cseq); this.sseq += 1;
    this.seg(t + rtt + 0.0001, true, ACK, this.cseq, this.sseq);
  }
  rst(t: number, fromClient: boolean): void {
    this.seg(t, fromClient, RST | ACK, fromClient ? this.cseq : this.sseq, fromClient ? this.sseq : this.cseq);
  }
  /** A half-open scanner's reset after a SYN/ACK: seq = its ISN + 1, no ACK bit. */
  abort(t: number): void { this.seg(t, true, RST, this.cseq + 1, 0); }
  /** RST/ACK answering a SYN on a closed port (RFC 793: seq 0, ack = their seq + 1). */
  refuse(t: number): void { this.seg(t, false, RST | ACK, 0, this.cseq + 1); }
}

// =============================================================================================
// SYN flood (the brief's incident) and its DDoS variant

export interface SynFloodOptions {
  /** Spoofed sources scattered over the Internet instead of one attacker. */
  ddos?: boolean;
  seed?: number;
  /** Attack SYNs per second and duration. */
  rate?: number;
  attackStart?: number;
  attackSec?: number;
  /** Seconds after the attack start during which the server still answers SYN/ACK. */
  answerSec?: number;
  /** Employees 192.0.2.10 .. 192.0.2.(10+clients-1). */
  clients?: number;
  /** Seconds of capture after the attack ends (recovery). */
  tailSec?: number;
}

export const SYN_FLOOD_SERVER = '192.0.2.1';
export const SYN_FLOOD_ATTACKER = '203.0.113.0';

function employeeSession(sc: Scene, rng: Rng, client: string, port: number, t: number, rtt: number, serverDelay: number): void {
  const c = new TcpConn(sc, client, port, SYN_FLOOD_SERVER, 443, rng.int(1, 2 ** 31));
  t = c.handshake(t, rtt);
  c.send(t + 0.0002, true, tlsClientHello({ sni: 'portal.example.com', tls13: true }));
  c.send(t + rtt + serverDelay, false, tlsApplicationData(rng.int(200, 400)));
  c.send(t + 2 * rtt + serverDelay + 0.01, true, tlsApplicationData(rng.int(80, 160)));
  c.send(t + 3 * rtt + 2 * serverDelay + 0.01, false, tlsApplicationData(rng.int(600, 1200)));
  c.close(t + 3 * rtt + 2 * serverDelay + 0.5, rtt);
}

function randomPublicIpv4(rng: Rng): string {
  for (;;) {
    const a = rng.int(1, 223);
    // Skip private, loopback, link-local, CGN, and the ranges our own scenario uses.
    if ([10, 127, 100, 169, 172, 192, 198, 203].includes(a)) continue;
    return `${a}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  }
}

export function buildSynFlood(o: SynFloodOptions = {}): TimedFrame[] {
  const rng = new Rng(o.seed ?? (o.ddos ? 2002 : 1001));
  const rate = o.rate ?? (o.ddos ? 100 : 60);
  const attackStart = o.attackStart ?? 60;
  const attackSec = o.attackSec ?? 60;
  const attackEnd = attackStart + attackSec;
  const answerUntil = attackStart + (o.answerSec ?? 15);
  const clients = Array.from({ length: o.clients ?? 31 }, (_, i) => `192.0.2.${10 + i}`);
  const end = attackEnd + (o.tailSec ?? 30);
  const sc = new Scene();
  let nextPort = 49152;
  const port = (): number => (nextPort = nextPort >= 65000 ? 49152 : nextPort + 1);

  // Normal browsing before the attack: every employee opens a session every ~10 s.
  for (const client of clients) {
    for (let t = rng.next() * 10; t < attackStart; t += 8 + rng.next() * 4) employeeSession(sc, rng, client, port(), t, 0.002, 0.01);
  }

  // The flood. Unique (source, port) pairs so every SYN is its own half-open connection.
  const attackPorts = rng.shuffle(Array.from({ length: 64512 }, (_, i) => 1024 + i));
  const used = new Set<string>();
  const total = Math.round(rate * attackSec);
  for (let i = 0; i < total; i++) {
    const t = attackStart + (i + rng.next() * 0.9) / rate;
    let src = SYN_FLOOD_ATTACKER;
    if (o.ddos) { do src = randomPublicIpv4(rng); while (used.has(src)); used.add(src); }
    const c = new TcpConn(sc, src, attackPorts[i % attackPorts.length], SYN_FLOOD_SERVER, 443, rng.int(1, 2 ** 31));
    c.syn(t);
    if (t < answerUntil) {
      // The server still has backlog room: it answers, then retransmits its SYN/ACK (1 s, 2 s backoff).
      c.synAck(t + 0.0003);
      c.synAck(t + 1.0003);
      c.synAck(t + 3.0003);
    }
  }

  // Employees during the attack.
  for (const client of clients) {
    for (let t = attackStart + rng.next() * 6; t < attackEnd; t += 6 + rng.next() * 4) {
      const c = new TcpConn(sc, client, port(), SYN_FLOOD_SERVER, 443, rng.int(1, 2 ** 31));
      if (t < answerUntil) {
        // Backlog filling up: slow handshakes and slow pages, some sessions reset by the server.
        const roll = rng.next();
        if (roll < 0.2) {
          const t2 = c.handshake(t, 0.4 + rng.next() * 0.8);
          c.send(t2 + 0.0002, true, tlsClientHello({ sni: 'portal.example.com', tls13: true }));
          c.rst(t2 + 0.9, false);
        } else {
          employeeSession(sc, rng, client, port(), t, 0.3 + rng.next() * 0.9, 1.5 + rng.next() * 2);
        }
      } else {
        // Backlog full: the server drops the SYN; the client backs off 1 s, 2 s, 4 s and gives up.
        c.syn(t); c.syn(t + 1); c.syn(t + 3); c.syn(t + 7);
      }
    }
    // The plain-HTTP front door on :80 is a proxy for the same application: its upstream times out.
    const t = attackStart + 5 + rng.next() * (attackSec - 15);
    const h = new TcpConn(sc, client, port(), SYN_FLOOD_SERVER, 80, rng.int(1, 2 ** 31));
    const t2 = h.handshake(t, 0.002);
    h.send(t2 + 0.0002, true, httpRequest({ host: 'portal.example.com', uri: '/login', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' }));
    h.send(t2 + 5, false, httpResponse({ status: 504, reason: 'Gateway Timeout', body: '<html><body>504 Gateway Time-out</body></html>' }));
    h.close(t2 + 5.2, 0.002);
  }

  // Recovery after the attack.
  for (const client of clients) {
    for (let t = attackEnd + 2 + rng.next() * 8; t < end; t += 8 + rng.next() * 4) employeeSession(sc, rng, client, port(), t, 0.002, 0.01);
  }
  return sc.frames;
}

// =============================================================================================
// Healthy busy web server, and a single client retrying (near misses for the SYN flood)

export function buildBusyHealthyWeb(o: { seed?: number; perSec?: number; seconds?: number; clients?: number } = {}): TimedFrame[] {
  const rng = new Rng(o.seed ?? 3003);
  const sc = new Scene();
  const perSec = o.perSec ?? 60;
  const seconds = o.seconds ?? 20;
  const server = '198.51.100.80';
  const clients = Array.from({ length: o.clients ?? 150 }, (_, i) => `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  for (let i = 0; i < perSec * seconds; i++) {
    const t = i / perSec + rng.next() * 0.01;
    const c = new TcpConn(sc, rng.pick(clients), 20000 + i, server, 443, rng.int(1, 2 ** 31));
    const t2 = c.handshake(t, 0.001 + rng.next() * 0.004);
    c.send(t2 + 0.0002, true, tlsClientHello({ sni: 'shop.example.net' }));
    c.send(t2 + 0.02, false, tlsApplicationData(180));
    c.close(t2 + 0.05, 0.002);
  }
  return sc.frames;
}

export function buildSingleClientRetry(): TimedFrame[] {
  const rng = new Rng(4004);
  const sc = new Scene();
  // A laptop whose first choice of server is down: 4 SYN retries, then the second server works.
  const c = new TcpConn(sc, '192.0.2.77', 51000, '198.51.100.10', 443, rng.int(1, 2 ** 31));
  [0, 1, 3, 7, 15].forEach((d) => c.syn(1 + d));
  const ok = new TcpConn(sc, '192.0.2.77', 51001, '198.51.100.11', 443, rng.int(1, 2 ** 31));
  const t = ok.handshake(20, 0.02);
  ok.send(t + 0.001, true, tlsClientHello({ sni: 'mirror.example.org' }));
  ok.send(t + 0.03, false, tlsApplicationData(900));
  ok.close(t + 1, 0.02);
  return sc.frames;
}

// =============================================================================================
// DNS to a closed port (the brief's second incident)

export const DNS_CLIENT = '192.51.100.15';
export const DNS_DEAD_SERVER = '203.0.113.2';
export const DNS_FALLBACK_SERVER = '203.0.113.3';

export function buildDnsPortUnreachable(o: { names?: string[]; retries?: number; fallback?: boolean } = {}): TimedFrame[] {
  const rng = new Rng(5005);
  const sc = new Scene();
  const names = o.names ?? ['www.example.com', 'mail.example.com', 'intranet.example.org', 'updates.vendor.example', 'time.example.net'];
  const retries = o.retries ?? 2;
  let t = 1;
  for (const name of names) {
    const id = rng.int(1, 65535);
    const sport = rng.int(32768, 60999);
    for (let r = 0; r <= retries; r++) {
      // The resolver library resends the same query (same id and port) after 1 s, then 2 s.
      const query = udpIp({ src: DNS_CLIENT, dst: DNS_DEAD_SERVER, sport, dport: 53, payload: dnsMessage({ id, qname: name }) }, { id: rng.int(1, 65535) });
      sc.at(t, ipFrame(query, { macSrc: macOf(DNS_CLIENT), macDst: macOf(DNS_DEAD_SERVER) }));
      // Nothing listens on 203.0.113.2:53, so its stack answers ICMP port unreachable (RFC 1122 §4.1.3.1).
      sc.at(t + 0.0004, icmpErrorFrame({ reporter: DNS_DEAD_SERVER, original: query, macSrc: macOf(DNS_DEAD_SERVER), macDst: macOf(DNS_CLIENT) }));
      t += r === 0 ? 1 : 2;
    }
    t += 2;
  }
  if (o.fallback ?? true) {
    // The client finally tries its secondary resolver, which works.
    for (const name of names.slice(0, 2)) {
      const id = rng.int(1, 65535);
      const sport = rng.int(32768, 60999);
      const answers: DnsAnswer[] = [{ name, type: DNS_A, data: `198.51.100.${rng.int(2, 250)}` }];
      sc.at(t, udpFrame({ src: DNS_CLIENT, dst: DNS_FALLBACK_SERVER, sport, dport: 53, payload: dnsMessage({ id, qname: name }), macSrc: macOf(DNS_CLIENT), macDst: macOf(DNS_FALLBACK_SERVER) }));
      sc.at(t + 0.012, udpFrame({ src: DNS_FALLBACK_SERVER, dst: DNS_CLIENT, sport: 53, dport: sport, payload: dnsMessage({ id, qname: name, response: true, answers }), macSrc: macOf(DNS_FALLBACK_SERVER), macDst: macOf(DNS_CLIENT) }));
      t += 0.5;
    }
  }
  return sc.frames;
}

// =============================================================================================
// DNS failures: SERVFAIL burst, unanswered queries, NXDOMAIN burst, and a normal resolver

function dnsExchange(sc: Scene, rng: Rng, t: number, client: string, server: string, qname: string,
  reply: { rcode: number; delay: number } | null): void {
  const id = rng.int(1, 65535);
  const sport = rng.int(32768, 60999);
  sc.at(t, udpFrame({ src: client, dst: server, sport, dport: 53, payload: dnsMessage({ id, qname }), macSrc: macOf(client), macDst: macOf(server) }));
  if (!reply) return;
  const answers: DnsAnswer[] = reply.rcode === 0 ? [{ name: qname, type: DNS_A, data: `198.51.100.${rng.int(2, 250)}` }] : [];
  sc.at(t + reply.delay, udpFrame({ src: server, dst: client, sport: 53, dport: sport, payload: dnsMessage({ id, qname, response: true, rcode: reply.rcode, answers }), macSrc: macOf(server), macDst: macOf(client) }));
}

const SITES = ['www.example.com', 'mail.example.com', 'cdn.example.net', 'api.example.org', 'login.example.com',
  'news.example.net', 'static.example.org', 'files.example.com', 'chat.example.net', 'wiki.example.org'];

export function buildDnsNxdomainNormal(): TimedFrame[] {
  const rng = new Rng(6006);
  const sc = new Scene();
  const clients = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13'];
  for (let i = 0; i < 40; i++) dnsExchange(sc, rng, i * 1.5, rng.pick(clients), '10.0.0.53', rng.pick(SITES), { rcode: 0, delay: 0.01 + rng.next() * 0.02 });
  // Ordinary typos: three misspelled names.
  ['wwww.example.com', 'mial.example.com', 'exmaple.org'].forEach((n, i) => dnsExchange(sc, rng, 5 + i * 17, rng.pick(clients), '10.0.0.53', n, { rcode: RCODE_NXDOMAIN, delay: 0.03 }));
  return sc.frames;
}

export function buildDnsServfailBurst(): TimedFrame[] {
  const rng = new Rng(7007);
  const sc = new Scene();
  const clients = ['10.0.0.10', '10.0.0.11', '10.0.0.12', '10.0.0.13', '10.0.0.14'];
  // Healthy for 20 s, then the resolver loses its upstream and answers SERVFAIL after a 2 s timeout.
  for (let i = 0; i < 20; i++) dnsExchange(sc, rng, i, rng.pick(clients), '10.0.0.53', rng.pick(SITES), { rcode: 0, delay: 0.02 });
  for (let i = 0; i < 40; i++) dnsExchange(sc, rng, 20 + i * 0.5, rng.pick(clients), '10.0.0.53', rng.pick(SITES), { rcode: RCODE_SERVFAIL, delay: 2 });
  return sc.frames;
}

export function buildDnsUnanswered(): TimedFrame[] {
  const rng = new Rng(8008);
  const sc = new Scene();
  const clients = ['10.0.0.20', '10.0.0.21', '10.0.0.22'];
  for (let i = 0; i < 10; i++) dnsExchange(sc, rng, i, rng.pick(clients), '10.0.0.54', rng.pick(SITES), { rcode: 0, delay: 0.015 });
  // The resolver host goes silent: no answer and no ICMP either (dropped by a firewall or dead).
  for (let i = 0; i < 30; i++) dnsExchange(sc, rng, 10 + i * 0.7, rng.pick(clients), '10.0.0.54', rng.pick(SITES), null);
  return sc.frames;
}

export function buildDnsNxdomainBurst(): TimedFrame[] {
  const rng = new Rng(9009);
  const sc = new Scene();
  // An infected host walking a domain-generation algorithm: random names, nearly all NXDOMAIN.
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < 80; i++) {
    const label = Array.from({ length: rng.int(10, 16) }, () => rng.pick([...letters])).join('');
    dnsExchange(sc, rng, i * 0.3, '10.0.0.77', '10.0.0.53', `${label}.${rng.pick(['com', 'net', 'biz'])}`, { rcode: RCODE_NXDOMAIN, delay: 0.04 });
  }
  for (let i = 0; i < 10; i++) dnsExchange(sc, rng, i * 2, '10.0.0.78', '10.0.0.53', rng.pick(SITES), { rcode: 0, delay: 0.01 });
  return sc.frames;
}

// =============================================================================================
// Port scans and their near miss

export const SCAN_TARGET = '192.0.2.5';
export const VSCAN_SOURCE = '198.51.100.23';
export const HSCAN_SOURCE = '198.51.100.24';
export const USCAN_SOURCE = '198.51.100.25';

export function buildVerticalScan(o: { ports?: number; open?: number[] } = {}): TimedFrame[] {
  const rng = new Rng(1111);
  const sc = new Scene();
  const open = new Set(o.open ?? [22, 80, 443]);
  const filtered = new Set([135, 137, 138, 139, 445]);
  const ports = rng.shuffle(Array.from({ length: o.ports ?? 1024 }, (_, i) => i + 1));
  // nmap -sS style: SYN, then RST instead of the final ACK when the port answers SYN/ACK.
  ports.forEach((p, i) => {
    const t = 1 + i * 0.005;
    const c = new TcpConn(sc, VSCAN_SOURCE, 40000 + (i % 3), SCAN_TARGET, p, rng.int(1, 2 ** 31));
    c.syn(t);
    if (open.has(p)) {
      c.synAck(t + 0.0005);
      c.abort(t + 0.0006);
    } else if (!filtered.has(p)) c.refuse(t + 0.0004);
  });
  return sc.frames;
}

export function buildHorizontalScan(o: { hosts?: number } = {}): TimedFrame[] {
  const rng = new Rng(2222);
  const sc = new Scene();
  const n = o.hosts ?? 254;
  const open = new Set([5, 17, 33, 120, 200]);
  // Connect scan (nmap -sT) for SMB across a /24: open hosts complete the handshake, then get a RST.
  for (let h = 1; h <= n; h++) {
    const t = 1 + h * 0.02;
    const c = new TcpConn(sc, HSCAN_SOURCE, 30000 + h, `192.0.2.${h}`, 445, rng.int(1, 2 ** 31));
    if (open.has(h)) { const t2 = c.handshake(t, 0.0008); c.rst(t2 + 0.0002, true); }
    else if (h % 3 === 0) { c.syn(t); c.refuse(t + 0.0005); }
    else c.syn(t);
  }
  return sc.frames;
}

export function buildUdpScan(o: { ports?: number } = {}): TimedFrame[] {
  const rng = new Rng(3333);
  const sc = new Scene();
  const ports = rng.shuffle(Array.from({ length: o.ports ?? 200 }, (_, i) => i + 1));
  ports.forEach((p, i) => {
    // nmap -sU paces itself because the target rate-limits ICMP: about 20 probes a second.
    const t = 1 + i * 0.05;
    const probe = udpIp({ src: USCAN_SOURCE, dst: SCAN_TARGET, sport: 45000, dport: p, payload: new Uint8Array(0) }, { id: i + 1 });
    sc.at(t, ipFrame(probe, { macSrc: macOf(USCAN_SOURCE), macDst: macOf(SCAN_TARGET) }));
    if (p === 53) dnsExchange(sc, rng, t + 0.2, USCAN_SOURCE, SCAN_TARGET, 'version.bind', { rcode: 0, delay: 0.001 });
    else if (p !== 123 && p !== 161) sc.at(t + 0.0003, icmpErrorFrame({ reporter: SCAN_TARGET, original: probe, macSrc: macOf(SCAN_TARGET), macDst: macOf(USCAN_SOURCE) }));
  });
  return sc.frames;
}

export function buildScanNearMiss(): TimedFrame[] {
  const rng = new Rng(4444);
  const sc = new Scene();
  // An administrator checking a handful of services, and a browser fetching from 12 servers.
  [22, 80, 443, 8080, 3389].forEach((p, i) => {
    const c = new TcpConn(sc, '192.0.2.100', 50000 + i, SCAN_TARGET, p, rng.int(1, 2 ** 31));
    if (p === 3389) { c.syn(1 + i); c.refuse(1 + i + 0.0004); return; }
    const t = c.handshake(1 + i, 0.001);
    c.send(t + 0.01, false, tlsApplicationData(100));
    c.close(t + 0.5, 0.001);
  });
  for (let s = 0; s < 12; s++) {
    const c = new TcpConn(sc, '192.0.2.101', 52000 + s, `198.51.100.${100 + s}`, 443, rng.int(1, 2 ** 31));
    const t = c.handshake(10 + s * 0.3, 0.02);
    c.send(t + 0.001, true, tlsClientHello({ sni: `site${s}.example.com` }));
    c.send(t + 0.03, false, tlsApplicationData(1000));
    c.close(t + 2, 0.02);
  }
  return sc.frames;
}

// =============================================================================================
// ICMP and UDP floods and their near misses

export const LONG_SCANNER = '10.20.0.200';
export const LONG_SLOW_SCANNER = '10.20.0.99';
export const LONG_SCAN_PORT = 22;

/**
 * Three hours of an office: 40 clients that each fail now and then (25 times over the three
 * hours) to reach a random host on their one habitual port (445, 22 or 3389: a stale drive
 * mapping, an old SSH bookmark), refused or unanswered, beside ordinary HTTPS to five servers.
 * Counted over the whole capture every client probed 20+ hosts with most failing; no client ever
 * comes near that within minutes. Inside it, at 1 h 30, one fast half-open scan of 22/tcp across
 * 60 hosts in 3 s (4 open, 20 refused, the rest silent), and a slow vertical scan of 25 ports of
 * one host, one port every 7 minutes (spread beyond any 5-minute window).
 */
export function buildLongCaptureWithScan(): TimedFrame[] {
  const rng = new Rng(5555);
  const sc = new Scene();
  const hours = 3 * 3600;
  let cport = 20000;
  for (let c = 1; c <= 40; c++) {
    const client = `10.20.0.${c}`;
    const port = [445, 22, 3389][c % 3];
    for (let i = 0; i < 25; i++) {
      const t = 1 + rng.next() * (hours - 10);
      const conn = new TcpConn(sc, client, cport++, `10.30.${rng.int(0, 3)}.${rng.int(1, 254)}`, port, rng.int(1, 2 ** 31));
      conn.syn(t);
      if (rng.next() < 0.5) conn.refuse(t + 0.0005); else conn.syn(t + 1);
    }
    for (let i = 0; i < 20; i++) {
      const t = 1 + rng.next() * (hours - 10);
      const conn = new TcpConn(sc, client, cport++, `198.18.0.${rng.int(1, 5)}`, 443, rng.int(1, 2 ** 31));
      const t2 = conn.handshake(t, 0.02);
      conn.send(t2 + 0.001, true, tlsApplicationData(200));
      conn.close(t2 + 0.5, 0.02);
    }
  }
  const open = new Set([7, 19, 33, 51]);
  for (let h = 1; h <= 60; h++) {
    const t = 5400 + h * 0.05;
    const conn = new TcpConn(sc, LONG_SCANNER, 40000 + h, `10.30.5.${h}`, LONG_SCAN_PORT, rng.int(1, 2 ** 31));
    conn.syn(t);
    if (open.has(h)) { conn.synAck(t + 0.0008); conn.abort(t + 0.001); }
    else if (h % 3 === 0) conn.refuse(t + 0.0005);
  }
  for (let p = 0; p < 25; p++) {
    const t = 600 + p * 7 * 60;
    const conn = new TcpConn(sc, LONG_SLOW_SCANNER, 41000 + p, SCAN_TARGET, 1000 + p * 7, rng.int(1, 2 ** 31));
    conn.syn(t);
    conn.refuse(t + 0.0005);
  }
  return sc.frames;
}

export const ICMP_FLOOD_SOURCE = '198.51.100.99';
export const ICMP_FLOOD_TARGET = '192.0.2.50';

export function buildIcmpFlood(o: { rate?: number; seconds?: number } = {}): TimedFrame[] {
  const sc = new Scene();
  const rate = o.rate ?? 1000;
  const n = rate * (o.seconds ?? 5);
  for (let i = 0; i < n; i++) {
    const t = 1 + i / rate;
    sc.at(t, icmpEchoFrame({ src: ICMP_FLOOD_SOURCE, dst: ICMP_FLOOD_TARGET, id: 0x4242, seq: i & 0xffff, macSrc: macOf(ICMP_FLOOD_SOURCE), macDst: macOf(ICMP_FLOOD_TARGET) }));
    // The target's ICMP rate limit lets one reply in ten through.
    if (i % 10 === 0) sc.at(t + 0.0002, icmpEchoFrame({ src: ICMP_FLOOD_TARGET, dst: ICMP_FLOOD_SOURCE, id: 0x4242, seq: i & 0xffff, reply: true, macSrc: macOf(ICMP_FLOOD_TARGET), macDst: macOf(ICMP_FLOOD_SOURCE) }));
  }
  return sc.frames;
}

export function buildPingNormal(): TimedFrame[] {
  const sc = new Scene();
  for (let i = 0; i < 30; i++) {
    sc.at(1 + i, icmpEchoFrame({ src: '192.0.2.20', dst: '192.0.2.50', id: 7, seq: i + 1, macSrc: macOf('192.0.2.20'), macDst: macOf('192.0.2.50') }));
    sc.at(1 + i + 0.0005, icmpEchoFrame({ src: '192.0.2.50', dst: '192.0.2.20', id: 7, seq: i + 1, reply: true, macSrc: macOf('192.0.2.50'), macDst: macOf('192.0.2.20') }));
  }
  return sc.frames;
}

export const UDP_FLOOD_SOURCE = '198.51.100.77';
export const UDP_FLOOD_TARGET = '192.0.2.60';

export function buildUdpFlood(o: { rate?: number; seconds?: number } = {}): TimedFrame[] {
  const rng = new Rng(5555);
  const sc = new Scene();
  const rate = o.rate ?? 500;
  const n = rate * (o.seconds ?? 8);
  const junk = new Uint8Array(64).fill(0x41);
  for (let i = 0; i < n; i++) {
    sc.at(1 + i / rate, udpFrame({ src: UDP_FLOOD_SOURCE, dst: UDP_FLOOD_TARGET, sport: rng.int(1024, 65535), dport: rng.int(1, 65535), payload: junk, macSrc: macOf(UDP_FLOOD_SOURCE), macDst: macOf(UDP_FLOOD_TARGET) }));
  }
  return sc.frames;
}

export function buildUdpNormal(): TimedFrame[] {
  const rng = new Rng(6666);
  const sc = new Scene();
  // A voice call: 50 RTP packets a second each way on one port pair, plus ordinary DNS.
  const rtp = new Uint8Array(172).fill(0x55);
  for (let i = 0; i < 50 * 30; i++) {
    const t = 1 + i / 50;
    sc.at(t, udpFrame({ src: '192.0.2.30', dst: '198.51.100.40', sport: 16384, dport: 20000, payload: rtp, macSrc: macOf('192.0.2.30'), macDst: macOf('198.51.100.40') }));
    sc.at(t + 0.003, udpFrame({ src: '198.51.100.40', dst: '192.0.2.30', sport: 20000, dport: 16384, payload: rtp, macSrc: macOf('198.51.100.40'), macDst: macOf('192.0.2.30') }));
  }
  for (let i = 0; i < 20; i++) dnsExchange(sc, rng, i * 1.4, '192.0.2.30', '192.0.2.53', rng.pick(SITES), { rcode: 0, delay: 0.01 });
  return sc.frames;
}

// =============================================================================================
// ARP spoofing, gratuitous ARP storm, and normal ARP

export const ARP_GATEWAY_IP = '192.168.1.1';
export const ARP_GATEWAY_MAC = '00:11:22:33:44:01';
export const ARP_ATTACKER_MAC = '02:66:66:66:66:66';
export const ARP_STORM_MAC = '02:77:77:77:77:77';

function arpExchange(sc: Scene, t: number, askerIp: string, askerMac: string, ip: string, mac: string): void {
  sc.at(t, arpFrame({ op: 1, senderMac: askerMac, senderIp: askerIp, targetMac: '00:00:00:00:00:00', targetIp: ip }));
  sc.at(t + 0.0003, arpFrame({ op: 2, senderMac: mac, senderIp: ip, targetMac: askerMac, targetIp: askerIp }));
}

export function buildArpSpoof(): TimedFrame[] {
  const sc = new Scene();
  const victims = [['192.168.1.10', '00:11:22:33:44:10'], ['192.168.1.11', '00:11:22:33:44:11']];
  // Real resolution of the gateway first...
  victims.forEach(([ip, mac], i) => arpExchange(sc, 0.5 + i, ip, mac, ARP_GATEWAY_IP, ARP_GATEWAY_MAC));
  // ...then an attacker on the LAN keeps telling both victims that the gateway is at its MAC.
  for (let i = 0; i < 30; i++) {
    for (const [ip, mac] of victims) sc.at(5 + i * 2, arpFrame({ op: 2, senderMac: ARP_ATTACKER_MAC, senderIp: ARP_GATEWAY_IP, targetMac: mac, targetIp: ip }));
    // The victims re-ask now and then and the real gateway still answers: the claims interleave.
    if (i % 10 === 5) victims.forEach(([ip, mac], k) => arpExchange(sc, 5.5 + i * 2 + k * 0.1, ip, mac, ARP_GATEWAY_IP, ARP_GATEWAY_MAC));
  }
  return sc.frames;
}

export function buildArpGratuitousStorm(o: { count?: number } = {}): TimedFrame[] {
  const sc = new Scene();
  const n = o.count ?? 300;
  // Gratuitous ARP (RFC 5227 §3 announcement form): sender IP = target IP, broadcast.
  for (let i = 0; i < n; i++) {
    const ip = `192.168.1.${100 + (i % 50)}`;
    sc.at(1 + i * 0.03, arpFrame({ op: 1, senderMac: ARP_STORM_MAC, senderIp: ip, targetMac: '00:00:00:00:00:00', targetIp: ip }));
  }
  return sc.frames;
}

export function buildArpNormal(): TimedFrame[] {
  const sc = new Scene();
  for (let i = 0; i < 20; i++) {
    const asker = `192.168.1.${10 + (i % 5)}`;
    arpExchange(sc, 1 + i * 2, asker, `00:11:22:33:44:${10 + (i % 5)}`, ARP_GATEWAY_IP, ARP_GATEWAY_MAC);
  }
  // A host booting announces itself three times (RFC 5227 §2.3), as normal.
  for (let i = 0; i < 3; i++) sc.at(3 + i * 2, arpFrame({ op: 1, senderMac: '00:11:22:33:44:30', senderIp: '192.168.1.30', targetMac: '00:00:00:00:00:00', targetIp: '192.168.1.30' }));
  // A printer gets a new network card: its IP moves to a new MAC once and stays there.
  arpExchange(sc, 10, '192.168.1.10', '00:11:22:33:44:10', '192.168.1.50', '00:11:22:33:44:50');
  arpExchange(sc, 40, '192.168.1.10', '00:11:22:33:44:10', '192.168.1.50', '00:11:22:33:44:51');
  arpExchange(sc, 45, '192.168.1.11', '00:11:22:33:44:11', '192.168.1.50', '00:11:22:33:44:51');
  return sc.frames;
}

// =============================================================================================
// Hostile text in protocol fields, for the escaping tests

export const XSS_IMG = '<img src=x onerror=alert(1)>';
export const XSS_SCRIPT = '<script>alert(1)</script>';

export function buildXssMarkup(): TimedFrame[] {
  const rng = new Rng(7777);
  const sc = new Scene();
  const client = '192.0.2.66';
  const dead = '203.0.113.9';
  const names = [`${XSS_IMG}.evil.example`, `${XSS_SCRIPT}.evil.example`, 'a|b`*_[x](javascript:alert(1))_.evil.example'];
  // DNS queries carrying markup, each answered by ICMP port unreachable: the names reach a finding.
  names.forEach((qname, i) => {
    for (let r = 0; r < 3; r++) {
      const q = udpIp({ src: client, dst: dead, sport: 40000 + i, dport: 53, payload: dnsMessage({ id: 100 + i, qname }) }, { id: i * 10 + r + 1 });
      sc.at(1 + i * 5 + r, ipFrame(q, { macSrc: macOf(client), macDst: macOf(dead) }));
      sc.at(1 + i * 5 + r + 0.0004, icmpErrorFrame({ reporter: dead, original: q, macSrc: macOf(dead), macDst: macOf(client) }));
    }
  });
  // A resolver that answers markup names with NXDOMAIN, many times (a burst the detector reports).
  for (let i = 0; i < 40; i++) {
    dnsExchange(sc, rng, 20 + i * 0.2, client, '192.0.2.53', `${i % 2 ? XSS_IMG : XSS_SCRIPT}.n${i}.example`, { rcode: RCODE_NXDOMAIN, delay: 0.01 });
  }
  // A response whose answer data carries markup (a CNAME target).
  const id = 4242;
  sc.at(30, udpFrame({ src: client, dst: '192.0.2.53', sport: 41000, dport: 53, payload: dnsMessage({ id, qname: 'cname.example' }), macSrc: macOf(client), macDst: macOf('192.0.2.53') }));
  sc.at(30.01, udpFrame({ src: '192.0.2.53', dst: client, sport: 53, dport: 41000, payload: dnsMessage({ id, qname: 'cname.example', response: true, answers: [{ name: 'cname.example', type: 5, data: `${XSS_SCRIPT}.example` }] }), macSrc: macOf('192.0.2.53'), macDst: macOf(client) }));
  // HTTP with markup in Host, User-Agent and URI, answered 502 (so it can appear as evidence).
  const h = new TcpConn(sc, client, 42000, '192.0.2.80', 80, rng.int(1, 2 ** 31));
  const t = h.handshake(32, 0.001);
  h.send(t + 0.001, true, httpRequest({ host: XSS_SCRIPT, userAgent: XSS_IMG, uri: `/${XSS_SCRIPT}?q=|pipe|` }));
  h.send(t + 0.2, false, httpResponse({ status: 502, reason: `Bad ${XSS_IMG}` }));
  h.close(t + 0.5, 0.001);
  // TLS with markup in the SNI.
  const s = new TcpConn(sc, client, 42001, '192.0.2.81', 443, rng.int(1, 2 ** 31));
  const t2 = s.handshake(34, 0.001);
  s.send(t2 + 0.001, true, tlsClientHello({ sni: `${XSS_SCRIPT}${XSS_IMG}` }));
  s.close(t2 + 0.3, 0.001);
  return sc.frames;
}

// =============================================================================================

export interface FixtureSpec { file: string; what: string; build: () => TimedFrame[] }

export const FIXTURES: FixtureSpec[] = [
  { file: 'syn-flood-443.pcap', what: 'SYN flood from 203.0.113.0 on 192.0.2.1:443; employees 192.0.2.10-40 degrade (slow, RST, HTTP 504 on :80, unanswered SYN retries)', build: () => buildSynFlood() },
  { file: 'syn-flood-ddos.pcap', what: 'The same incident with one SYN from each of thousands of spoofed sources', build: () => buildSynFlood({ ddos: true }) },
  { file: 'dns-port-unreachable.pcap', what: '192.51.100.15 queries 203.0.113.2:53; every query answered by ICMP port unreachable', build: () => buildDnsPortUnreachable() },
  { file: 'busy-healthy-web.pcap', what: 'near miss: 60 new HTTPS connections a second, every handshake completes', build: () => buildBusyHealthyWeb() },
  { file: 'single-client-retry.pcap', what: 'near miss: one client retries a SYN 4 times, then uses another server', build: () => buildSingleClientRetry() },
  { file: 'dns-nxdomain-normal.pcap', what: 'near miss: 40 answered queries and 3 typo NXDOMAINs', build: () => buildDnsNxdomainNormal() },
  { file: 'dns-servfail-burst.pcap', what: 'resolver answers 40 queries SERVFAIL within 20 s', build: () => buildDnsServfailBurst() },
  { file: 'dns-unanswered.pcap', what: 'resolver 10.0.0.54 stops answering: 30 unanswered queries', build: () => buildDnsUnanswered() },
  { file: 'dns-nxdomain-burst.pcap', what: 'one host looks up 80 random names, all NXDOMAIN (DGA-like)', build: () => buildDnsNxdomainBurst() },
  { file: 'port-scan-vertical.pcap', what: 'SYN scan of ports 1-1024 on 192.0.2.5 by 198.51.100.23 (open 22, 80, 443)', build: () => buildVerticalScan() },
  { file: 'port-scan-horizontal.pcap', what: 'connect scan of 445/tcp across 192.0.2.1-254 by 198.51.100.24', build: () => buildHorizontalScan() },
  { file: 'port-scan-udp.pcap', what: 'UDP scan of ports 1-200 on 192.0.2.5 by 198.51.100.25, ICMP port unreachable back', build: () => buildUdpScan() },
  { file: 'port-scan-near-miss.pcap', what: 'near miss: an admin tries 5 services, a browser talks to 12 HTTPS servers', build: () => buildScanNearMiss() },
  { file: 'icmp-flood.pcap', what: 'echo requests at 1000/s for 5 s from 198.51.100.99 to 192.0.2.50', build: () => buildIcmpFlood() },
  { file: 'icmp-ping-normal.pcap', what: 'near miss: one ping a second for 30 s, all answered', build: () => buildPingNormal() },
  { file: 'udp-flood.pcap', what: 'UDP to random ports at 500/s for 8 s from 198.51.100.77 to 192.0.2.60', build: () => buildUdpFlood() },
  { file: 'udp-normal.pcap', what: 'near miss: a 50 pps voice call each way plus ordinary DNS', build: () => buildUdpNormal() },
  { file: 'arp-spoof.pcap', what: 'a second MAC keeps claiming the gateway 192.168.1.1, interleaved with the real one', build: () => buildArpSpoof() },
  { file: 'arp-gratuitous-storm.pcap', what: '300 gratuitous ARPs in 9 s from one MAC', build: () => buildArpGratuitousStorm() },
  { file: 'arp-normal.pcap', what: 'near miss: ordinary ARP, 3 boot announcements, one IP moving to a new NIC once', build: () => buildArpNormal() },
  { file: 'xss-markup.pcap', what: 'markup in DNS names, HTTP Host/User-Agent/URI/reason and TLS SNI, for escaping tests', build: () => buildXssMarkup() },
];

export function writeFixtures(outDir: string): Array<{ file: string; bytes: number; packets: number }> {
  fs.mkdirSync(outDir, { recursive: true });
  return FIXTURES.map((f) => {
    const frames = f.build();
    const file = path.join(outDir, f.file);
    writePcap(file, frames);
    return { file: f.file, bytes: fs.statSync(file).size, packets: frames.length };
  });
}

if (require.main === module) {
  // dist/test/support/ → repo root is three levels up.
  const outDir = process.argv[2] ?? path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'captures');
  for (const r of writeFixtures(outDir)) console.log(`${r.file}\t${r.packets} packets\t${r.bytes} bytes`);
}
