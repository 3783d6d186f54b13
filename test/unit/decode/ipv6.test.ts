import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv6Text } from '../../../electron/decode/format-address';
import { PKT_IP_FRAGMENT, PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { spliced } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

function v6(hex: string): string {
  return ipv6Text(new Uint8Array(Buffer.from(hex, 'hex')), 0);
}

test('RFC 5952 text for IPv6 addresses', () => {
  assert.equal(v6('20010db8000000000000000000000001'), '2001:db8::1');
  assert.equal(v6('00000000000000000000000000000001'), '::1');
  assert.equal(v6('00000000000000000000000000000000'), '::');
  assert.equal(v6('20010db8000000000000000000000000'), '2001:db8::');
  // §4.2.2: a single zero group is not compressed.
  assert.equal(v6('20010db8000000010001000100010001'), '2001:db8:0:1:1:1:1:1');
  // §4.2.3: the longest run wins, the first on a tie.
  assert.equal(v6('20010db8000000000001000000000001'), '2001:db8::1:0:0:1');
  assert.equal(v6('20010000000000010000000000000001'), '2001:0:0:1::1');
  // §4.3: lowercase; §5: IPv4-mapped addresses end in dotted quad.
  assert.equal(v6('20010DB8ABCD00000000000000000000'), '2001:db8:abcd::');
  assert.equal(v6('00000000000000000000ffffc0000201'), '::ffff:192.0.2.1');
});

test('IPv6 header fields and tree ranges (HTTP over IPv6)', () => {
  // arkime__v6-http.pcap #49: 2001:6f8:102d:0:2d0:9ff:fee3:e8de → 2001:6f8:900:7c0::2 HTTP GET / HTTP/1.0
  const tree: TreeNode[] = [];
  const s = decodeReal(real.HTTP_GET_IPV6, tree);
  assert.equal(s.ipVersion, 6);
  assert.equal(s.src, '2001:6f8:102d:0:2d0:9ff:fee3:e8de');
  assert.equal(s.dst, '2001:6f8:900:7c0::2');
  assert.equal(s.ipProto, 6);
  assert.equal(s.ttl, 64);
  const ip = layer(tree, 'Internet Protocol Version 6');
  assert.deepEqual([ip.start, ip.length], [14, 40]);
  assert.deepEqual([field(ip, 'Payload Length').start, field(ip, 'Next Header').start, field(ip, 'Hop Limit').start], [18, 20, 21]);
  assert.deepEqual([field(ip, 'Source Address').start, field(ip, 'Source Address').length], [22, 16]);
  assert.deepEqual([field(ip, 'Destination Address').start, field(ip, 'Destination Address').length], [38, 16]);
});

test('hop-by-hop extension header is walked to the transport (MLDv2)', () => {
  // arkime__v6-http.pcap #4: fe80::2d0:9ff:fee3:e8de → ff02::16 ICMPv6 Multicast Listener Report Message v2
  const tree: TreeNode[] = [];
  const s = decodeReal(real.ICMPV6_MLDV2_HOP_BY_HOP, tree);
  assert.equal(s.ipProto, 58);
  assert.equal(s.protocol, 'ICMPv6');
  const hop = field(layer(tree, 'Internet Protocol Version 6'), 'IPv6 Hop-by-Hop Option');
  assert.deepEqual([hop.start, hop.length], [54, 8]);
  assert.equal(layer(tree, 'Internet Control Message Protocol v6').start, 62);
});

test('a later IPv6 fragment stops at the fragment header', () => {
  // tcpdump__ipv6_frag6_negative_len.pcap #1 (a crafted fragment, cut by the snaplen)
  const s = decodeReal(real.IPV6_FRAGMENT);
  assert.ok(s.flags & PKT_IP_FRAGMENT);
  assert.ok(s.flags & PKT_TRUNCATED);
  assert.equal(s.info, 'IPv6 fragment (off=1280 more=n ident=0x80000074 nxt=2)');
  assert.equal(s.sport, -1);
});

/** MDNS_QUERY_IPV6 with a fragment header (offset 0, more fragments) inserted before UDP. */
function firstFragmentOfMdns(): import('./real-packets').RealPacket {
  const withHeader = spliced(real.MDNS_QUERY_IPV6, 54, 0, [17, 0, 0x00, 0x01, 0xca, 0xfe, 0xba, 0xbe]);
  const b = Buffer.from(withHeader.hex, 'hex');
  b[20] = 44; // next header: fragment
  b.writeUInt16BE(b.readUInt16BE(18) + 8, 18);
  return { ...withHeader, hex: b.toString('hex') };
}

test('a first IPv6 fragment yields ports but no application layer', () => {
  const s = decodeReal(firstFragmentOfMdns());
  assert.ok(s.flags & PKT_IP_FRAGMENT);
  assert.equal(s.ipProto, 17);
  assert.deepEqual([s.sport, s.dport], [5353, 5353]);
  assert.equal(s.dns, null);
  assert.equal(s.protocol, 'IPv6');
  assert.equal(s.info, 'IPv6 fragment (off=0 more=y ident=0xcafebabe nxt=17)');
});

test('an extension header cut short is truncated or malformed, never read past', () => {
  const cut = decodeReal({ ...real.ICMPV6_MLDV2_HOP_BY_HOP, hex: real.ICMPV6_MLDV2_HOP_BY_HOP.hex.slice(0, 2 * 58), origLen: 90 });
  assert.equal(cut.flags, PKT_TRUNCATED);
  assert.equal(cut.info, 'IPv6 extension header 0 truncated');
  // Hop-by-hop claiming 255 × 8 bytes inside a complete packet.
  const b = Buffer.from(real.ICMPV6_MLDV2_HOP_BY_HOP.hex, 'hex');
  b[55] = 255;
  const bad = decodeReal({ ...real.ICMPV6_MLDV2_HOP_BY_HOP, hex: b.toString('hex') });
  assert.ok(bad.flags & PKT_MALFORMED);
});
