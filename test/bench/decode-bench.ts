/*
 * Micro benchmark for the ingest hot path: decodeFrame with no tree, reusing one summary, as the
 * ingest worker does. Not a test. Run: npx tsc -b && node dist/test/bench/decode-bench.js [iterations]
 * Target: ≥ 1.5M typical packets/s on one core.
 */
import { decodeFrame } from '../../electron/decode/decode-frame';
import { newSummary } from '../../electron/decode/packet-summary';
import * as real from '../unit/decode/real-packets';

const iterations = Number(process.argv[2] ?? 1_000_000);

const cases: [string, real.RealPacket][] = [
  ['TCP SYN (Ethernet, options)', real.TCP_SYN],
  ['TCP ACK (timestamps)', real.TCP_ACK_TIMESTAMPS],
  ['TCP ACK (IPv6 loopback)', real.TCP_ACK_LOOPBACK_IPV6],
  ['UDP (NFS)', real.UDP_NFS],
  ['DNS query', real.DNS_QUERY_A],
  ['DNS response', real.DNS_RESPONSE_A],
  ['HTTP GET', real.HTTP_GET],
  ['TLS Client Hello', real.TLS12_CLIENT_HELLO],
  ['TLS Application Data', real.TLS12_APPLICATION_DATA],
  ['ICMP echo (802.1Q)', real.ICMP_ECHO_REQUEST_VLAN],
  ['ARP request', real.ARP_REQUEST_VLAN],
];

const out = newSummary();

function run(frames: { linkType: number; data: Uint8Array; origLen: number }[], n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const f = frames[i % frames.length];
    decodeFrame(f.linkType, f.data, out, null, f.origLen);
  }
  const ns = Number(process.hrtime.bigint() - start);
  return n / (ns / 1e9);
}

function fmt(pps: number): string {
  return (pps / 1e6).toFixed(2) + 'M packets/s';
}

const prepared = cases.map(([name, p]) => [name, { linkType: p.linkType, data: real.bytesOf(p), origLen: p.origLen }] as const);
// Warm up so that the optimising compiler has seen every path.
run(prepared.map(([, f]) => f), 200_000);

for (const [name, frame] of prepared) {
  console.log(name.padEnd(32) + fmt(run([frame], iterations)));
}
// A "typical" mix: mostly TCP, some UDP/DNS, a little of everything else.
const byName = new Map(prepared);
const mix = [
  'TCP ACK (timestamps)', 'TCP ACK (timestamps)', 'TCP ACK (timestamps)', 'TCP SYN (Ethernet, options)', 'TCP ACK (timestamps)',
  'TLS Application Data', 'TLS Application Data', 'UDP (NFS)', 'DNS query', 'DNS response', 'HTTP GET', 'ICMP echo (802.1Q)', 'ARP request',
  'TCP ACK (IPv6 loopback)', 'TLS Client Hello', 'TCP ACK (timestamps)',
].map((n) => byName.get(n)!);
console.log('typical mix'.padEnd(32) + fmt(run(mix, iterations)));
