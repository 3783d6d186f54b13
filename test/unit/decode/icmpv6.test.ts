import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TreeNode } from '../../../electron/decode/packet-summary';
import { bytesOf, decodeReal, field, layer } from './real-packets';
import * as real from './real-packets';

test('ICMPv6 echo request', () => {
  // zeek__linux_dlt_sll2.pcap #3: fe80::8c36:6ff:fe44:acaf → fe80::8c36:6ff:fe44:acaf ICMPv6 Echo (ping) request id=0x0009, seq=1, hop limit=64
  const tree: TreeNode[] = [];
  const s = decodeReal(real.ICMPV6_ECHO_SLL2, tree);
  assert.equal(s.protocol, 'ICMPv6');
  assert.equal(s.info, 'Echo (ping) request id=0x0009, seq=1, hop limit=64');
  assert.deepEqual([s.icmp?.version, s.icmp?.type, s.icmp?.echoId, s.icmp?.echoSeq], [6, 128, 9, 1]);
  assert.equal(s.ipProto, 58);
  const icmp = layer(tree, 'Internet Control Message Protocol v6');
  assert.deepEqual([icmp.start, icmp.length], [60, 64]);
  assert.deepEqual([field(icmp, 'Identifier').start, field(icmp, 'Sequence').start], [64, 66]);
});

test('Neighbor Solicitation and MLDv2 report', () => {
  // arkime__v6-http.pcap #1: Neighbor Solicitation for 2001:6f8:102d:0:211:25ff:fe82:95b5 from 00:11:25:82:95:b5
  const ns = decodeReal(real.ICMPV6_NEIGHBOR_SOLICITATION);
  assert.equal(ns.info, 'Neighbor Solicitation for 2001:6f8:102d:0:211:25ff:fe82:95b5 from 00:11:25:82:95:b5');
  assert.equal(ns.icmp?.isError, false);
  // zeek__icmp6-mldv2.pcap #2: Multicast Listener Report Message v2
  assert.equal(decodeReal(real.ICMPV6_MLDV2_RAW).info, 'Multicast Listener Report Message v2');
});

test('ICMPv6 port unreachable quotes the offending IPv6/UDP/DNS datagram', () => {
  // Built from real bytes: the Ethernet + IPv6 header of arkime__v6-http.pcap #6 (mDNS query), an
  // ICMPv6 type 1 code 4 header, then that whole mDNS IPv6 packet as the quote.
  const mdns = bytesOf(real.MDNS_QUERY_IPV6);
  const quoted = mdns.subarray(14);
  const frame = new Uint8Array(14 + 40 + 8 + quoted.length);
  frame.set(mdns.subarray(0, 54), 0);
  frame[20] = 58; // next header ICMPv6
  const payloadLen = 8 + quoted.length;
  frame[18] = payloadLen >> 8; frame[19] = payloadLen & 0xff;
  frame.set([1, 4, 0, 0, 0, 0, 0, 0], 54);
  frame.set(quoted, 62);
  const s = decodeReal({ linkType: 1, origLen: frame.length, hex: Buffer.from(frame).toString('hex') });
  assert.equal(s.protocol, 'ICMPv6');
  assert.equal(s.info, 'Destination Unreachable (Port unreachable)');
  assert.equal(s.icmp?.isError, true);
  assert.deepEqual(s.icmp?.quoted, {
    ipVersion: 6, src: '2001:6f8:102d:0:1033:c4c:7e57:b19e', dst: 'ff02::fb', ipProto: 17, sport: 5353, dport: 5353,
    dnsQname: '1.e.6.0.8.9.e.c.7.d.9.3.9.9.9.0.0.0.0.0.d.2.0.1.8.f.6.0.1.0.0.2.ip6.arpa',
  });
});
