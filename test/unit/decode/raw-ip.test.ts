import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, layer } from './real-packets';

test('LINKTYPE_RAW (101): IPv4 chosen by the version nibble', () => {
  // zeek__payload-synack.pcap #1: 192.168.0.1 → 192.168.0.2 TCP 80 → 80 [SYN] Seq=0 Win=8192 Len=0
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TCP_SYN_RAW_IP, tree);
  assert.equal(s.linkType, 101);
  assert.equal(s.protocol, 'TCP');
  assert.equal(s.info, '80 → 80 [SYN] Seq=10 Win=8192 Len=0');
  assert.equal(s.macSrc, '');
  assert.deepEqual([layer(tree, 'Internet Protocol Version 4').start, layer(tree, 'Internet Protocol Version 4').length], [0, 20]);
  // scapy__pfcp.pcap #1: 127.0.0.1 → 127.0.0.2 PFCP Association Setup Response
  const udp = decodeReal(real.UDP_PFCP_RAW);
  assert.equal(udp.protocol, 'UDP');
  assert.equal(udp.info, '8805 → 8805 Len=35');
});

test('LINKTYPE_RAW: IPv6 by the version nibble; LINKTYPE_IPV6 (229) directly', () => {
  // zeek__icmp6-mldv2.pcap #2 (229): fe80::794d:737e:8532 → ff02::16 ICMPv6 Multicast Listener Report Message v2
  const v6 = decodeReal(real.ICMPV6_MLDV2_RAW);
  assert.equal(v6.linkType, 229);
  assert.equal(v6.protocol, 'ICMPv6');
  assert.equal(v6.src, 'fe80::794d:737e:8532');
  const as101 = decodeReal({ ...real.ICMPV6_MLDV2_RAW, linkType: 101 });
  assert.equal(as101.protocol, 'ICMPv6');
  assert.equal(as101.info, v6.info);
});

test('LINKTYPE_IPV4 (228) takes IPv4 bytes; other content is malformed', () => {
  const v4 = decodeReal({ ...real.TCP_SYN_RAW_IP, linkType: 228 });
  assert.equal(v4.protocol, 'TCP');
  // tcpdump__LINKTYPE_IPV4_invalid.pcap #1: an IPv6 packet under LINKTYPE_IPV4
  const bad = decodeReal(real.IPV6_IN_RAW_IPV4_LINK);
  assert.equal(bad.linkType, 228);
  assert.ok(bad.flags & PKT_MALFORMED);
  assert.equal(bad.info, 'Bogus IP version (6, must be 4)');
});

test('LINKTYPE_RAW with a version nibble that is not 4 or 6 is malformed', () => {
  const s = decodeReal(patched(real.TCP_SYN_RAW_IP, 0, [0x55]));
  assert.equal(s.flags, PKT_MALFORMED);
  assert.equal(s.protocol, 'Raw IP');
  assert.equal(s.info, 'Raw IP frame with IP version 5 (not IPv4 or IPv6)');
  const empty = decodeReal({ ...real.TCP_SYN_RAW_IP, hex: '' });
  assert.equal(empty.flags, PKT_TRUNCATED);
});
