import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame } from '../../../electron/decode/decode-frame';
import { newSummary, PKT_MALFORMED, PKT_TRUNCATED, type PacketSummary, type TreeNode } from '../../../electron/decode/packet-summary';
import * as real from './real-packets';
import { bytesOf, decodeReal, type RealPacket } from './real-packets';

const fixtures: [string, RealPacket][] = Object.entries(real).filter(
  (e): e is [string, RealPacket] => typeof e[1] === 'object' && e[1] !== null && 'hex' in e[1],
);

/** Every string a decoder produced, for the "no undefined/NaN leaked into text" check. */
function strings(s: PacketSummary): string[] {
  const out = [s.macSrc, s.macDst, s.src, s.dst, s.protocol, s.info];
  if (s.dns) out.push(s.dns.qname, ...s.dns.answers.flatMap((a) => [a.name, a.data]));
  if (s.http) out.push(...Object.values(s.http).map(String));
  if (s.tls) out.push(...Object.values(s.tls).map(String));
  if (s.icmp?.quoted) out.push(...Object.values(s.icmp.quoted).map(String));
  if (s.arp) out.push(...Object.values(s.arp).map(String));
  return out;
}

function assertSane(s: PacketSummary, tree: TreeNode[] | null, frameLength: number, what: string): void {
  assert.ok(!s.info.includes('[decoder error]'), what + ': a decoder threw');
  for (const text of strings(s)) {
    assert.ok(!/undefined|NaN/.test(text), what + ': "' + text + '" looks like an out-of-bounds read');
  }
  assert.ok(s.info.length < 4096, what + ': Info is unbounded');
  assert.ok(s.protocol.length > 0, what + ': no protocol');
  if (tree !== null) assertRanges(tree, frameLength, what);
}

function assertRanges(nodes: TreeNode[], frameLength: number, what: string): void {
  for (const n of nodes) {
    assert.ok(n.label.length > 0 && !/undefined|NaN/.test(n.label), what + ': bad label "' + n.label + '"');
    assert.ok(Number.isInteger(n.start) && Number.isInteger(n.length), what + ': non-integer range in "' + n.label + '"');
    assert.ok(n.start >= 0 && n.length >= 0 && n.start + n.length <= frameLength,
      what + ': "' + n.label + '" [' + n.start + '+' + n.length + '] outside the ' + frameLength + '-byte frame');
    if (n.children) assertRanges(n.children, frameLength, what);
  }
}

test('unknown link types are named from the LINKTYPE list or by number', () => {
  // tcpdump__dsa.pcap #1 (LINKTYPE_DSA_TAG_DSA, 284): tshark 4.0 cannot read it at all
  const dsa = decodeReal(real.DSA_TAG_FRAME);
  assert.equal(dsa.protocol, 'LINKTYPE_DSA_TAG_DSA');
  assert.equal(dsa.info, 'Link type 284 (not decoded)');
  assert.equal(dsa.flags, 0);
  const tree: TreeNode[] = [];
  const odd = newSummary();
  decodeFrame(65000, bytesOf(real.TCP_SYN), odd, tree);
  assert.equal(odd.protocol, 'LINKTYPE_65000');
  assert.equal(odd.info, 'Link type 65000 (not decoded)');
  assert.deepEqual(tree.map((n) => [n.start, n.length]), [[0, 66]]);
});

test('building the tree does not change the summary, for every fixture', () => {
  for (const [name, p] of fixtures) {
    const tree: TreeNode[] = [];
    const withTree = decodeReal(p, tree);
    const without = decodeReal(p, null);
    assert.deepStrictEqual(withTree, without, name);
    assert.ok(tree.length > 0, name + ': empty tree');
    assertSane(withTree, tree, bytesOf(p).length, name);
  }
});

test('one summary object can be reused: decodeFrame resets it', () => {
  const out = newSummary();
  decodeFrame(1, bytesOf(real.DNS_RESPONSE_MX), out, null);
  decodeFrame(1, bytesOf(real.ARP_REQUEST_VLAN), out, null);
  assert.deepStrictEqual(out, decodeReal({ ...real.ARP_REQUEST_VLAN, origLen: -1 }));
  assert.equal(out.dns, null);
  assert.deepEqual(out.vlans, [123]);
});

// Frames that end exactly where their last header says (no padding or trailer), so that every
// shorter capture really is missing something.
const cutFixtures: RealPacket[] = [
  real.TCP_SYN, real.TCP_ACK_TIMESTAMPS, real.HTTP_GET, real.HTTP_GET_QINQ, real.DNS_QUERY_A, real.DNS_RESPONSE_MX,
  real.MDNS_RESPONSE_IPV6, real.ICMP_PORT_UNREACHABLE_SERVFAIL, real.ICMP_ECHO_SLL2, real.ICMPV6_NEIGHBOR_SOLICITATION,
  real.ICMPV6_MLDV2_HOP_BY_HOP, real.ARP_REQUEST_SLL2, real.TCP_SYN_SLL, real.HTTP_GET_LOOPBACK_IPV6, real.UDP_PFCP_RAW,
  real.TLS13_CLIENT_HELLO_IPV6, real.TLS12_CKE_CCS_FINISHED, real.TCP_SACK_VLAN_IPV6,
];

test('every shorter capture of a frame is flagged truncated or malformed, and never throws', () => {
  const out = newSummary();
  for (const p of cutFixtures) {
    const full = bytesOf(p);
    decodeFrame(p.linkType, full, out, null, p.origLen);
    assert.equal(out.flags, 0, 'fixture decodes cleanly: ' + p.hex.slice(0, 24));
    for (let len = 0; len < full.length; len++) {
      const cut = full.subarray(0, len);
      for (const wire of [p.origLen, -1]) {
        const tree: TreeNode[] | null = len % 7 === 0 ? [] : null;
        decodeFrame(p.linkType, cut, out, tree, wire);
        const what = 'link ' + p.linkType + ' cut at ' + len + '/' + full.length + ' (wire ' + wire + ')';
        assert.ok((out.flags & (PKT_TRUNCATED | PKT_MALFORMED)) !== 0, what + ': not flagged (' + out.info + ')');
        assertSane(out, tree, len, what);
      }
    }
  }
});

/** Small deterministic PRNG (xorshift32) so a failure can be reproduced. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

test('random corruption of every fixture never throws or reads out of bounds', () => {
  const rand = prng(0x5eed);
  const out = newSummary();
  for (const [name, p] of fixtures) {
    const original = bytesOf(p);
    for (let round = 0; round < 150; round++) {
      const b = original.slice();
      const edits = 1 + Math.floor(rand() * 8);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * b.length);
        // Favour values that stress length and pointer fields.
        const r = rand();
        b[at] = r < 0.3 ? 0 : r < 0.5 ? 0xff : r < 0.6 ? 0xc0 : Math.floor(rand() * 256);
      }
      const len = rand() < 0.3 ? Math.floor(rand() * b.length) : b.length;
      const frame = b.subarray(0, len);
      const tree: TreeNode[] | null = round % 3 === 0 ? [] : null;
      decodeFrame(p.linkType, frame, out, tree, rand() < 0.5 ? p.origLen : -1);
      assertSane(out, tree, len, name + ' round ' + round);
    }
  }
});
