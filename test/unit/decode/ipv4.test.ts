import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv4Text } from '../../../electron/decode/format-address';
import { PKT_IP_FRAGMENT, PKT_IP_OPTIONS, PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { bytesOf, decodeReal, field, layer } from './real-packets';

test('IPv4 header fields and tree ranges (TCP_SYN)', () => {
  // chrissanders__tcp_handshake.pcapng #1: 172.16.16.128 → 212.58.226.142 TCP 2826 → 80 [SYN]
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TCP_SYN, tree);
  assert.equal(s.ipVersion, 4);
  assert.equal(s.src, '172.16.16.128');
  assert.equal(s.dst, '212.58.226.142');
  assert.equal(s.ttl, 128);
  assert.equal(s.ipProto, 6);
  assert.equal(s.flags, 0);
  const ip = layer(tree, 'Internet Protocol Version 4');
  assert.equal(ip.label, 'Internet Protocol Version 4, Src: 172.16.16.128, Dst: 212.58.226.142');
  assert.deepEqual([ip.start, ip.length], [14, 20]);
  assert.deepEqual([field(ip, 'Total Length').start, field(ip, 'Total Length').length], [16, 2]);
  assert.equal(field(ip, 'Flags').label, "Flags: 0x2, Don't fragment");
  assert.deepEqual([field(ip, 'Time to Live').start, field(ip, 'Protocol').start], [22, 23]);
  assert.deepEqual([field(ip, 'Source Address').start, field(ip, 'Destination Address').start], [26, 30]);
});

test('IPv4 options are flagged; an undecoded protocol is named (IGMP with Router Alert)', () => {
  // rusticata__wireshark_samples-test.pcapng #64: 192.168.152.1 → 224.0.0.1 IGMPv2 Membership Query, general
  const s = decodeReal(real.IGMP_ROUTER_ALERT);
  assert.equal(s.flags, PKT_IP_OPTIONS);
  assert.equal(s.protocol, 'IGMP');
  assert.equal(s.ipProto, 2);
  assert.equal(s.info, 'IP protocol 2 (IGMP, not decoded)');
});

test('first fragment: transport ports decoded, payload not; Info says so', () => {
  // DNS_QUERY_A (arkime__dns-wiresharkrepo.pcap #9) with More Fragments set.
  const s = decodeReal(patched(real.DNS_QUERY_A, 20, [0x20, 0x00]));
  assert.ok(s.flags & PKT_IP_FRAGMENT);
  assert.equal(s.protocol, 'IPv4');
  assert.equal(s.ipProto, 17);
  assert.deepEqual([s.sport, s.dport], [32795, 53]);
  assert.equal(s.dns, null);
  assert.match(s.info, /^Fragmented IP protocol \(proto=UDP 17, off=0, ID=[0-9a-f]{4}\)$/);
});

test('later fragment: no transport header is read', () => {
  // Fragment offset 185 × 8 = 1480.
  const s = decodeReal(patched(real.DNS_QUERY_A, 20, [0x00, 185]));
  assert.ok(s.flags & PKT_IP_FRAGMENT);
  assert.deepEqual([s.sport, s.dport], [-1, -1]);
  assert.match(s.info, /^Fragmented IP protocol \(proto=UDP 17, off=1480, ID=/);
});

test('Ethernet padding is not counted as payload (RST in a 60-byte frame)', () => {
  // chrissanders__tcp_refuseconnection.pcapng #2: 80 → 3372 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0
  assert.equal(bytesOf(real.TCP_RST_ACK).length, 60);
  const s = decodeReal(real.TCP_RST_ACK);
  assert.equal(s.payloadLen, 0);
  assert.equal(s.info, '80 → 3372 [RST, ACK] Seq=0 Ack=951057940 Win=0 Len=0');
});

test('broken IPv4 headers', () => {
  // tcpdump__ipv4_invalid_hdr_length.pcap #1: Bogus IP header length (16, must be at least 20)
  const hl = decodeReal(real.IPV4_BAD_HEADER_LENGTH);
  assert.equal(hl.flags, PKT_MALFORMED);
  assert.equal(hl.info, 'Bogus IPv4 header length (16, must be at least 20)');
  assert.equal(hl.src, '140.211.9.206'); // addresses are still shown
  // zeek__ipv4-truncated-broken-header.pcap #1: Bogus IP length (20, less than header length 60)
  const tl = decodeReal(real.IPV4_TOTAL_LENGTH_BELOW_HEADER);
  assert.ok(tl.flags & PKT_MALFORMED);
  assert.equal(tl.info, 'Bogus IPv4 total length (20, less than header length 60)');
  // rustpcap__packet_snaplen_20.pcap #1: 20 bytes captured of 98
  const snap = decodeReal(real.IPV4_SNAPLEN_20);
  assert.equal(snap.flags, PKT_TRUNCATED);
  assert.equal(snap.info, 'IPv4 header truncated (6 of 20 bytes)');
  // Version 5 where 4 belongs.
  const ver = decodeReal(patched(real.TCP_SYN, 14, [0x55]));
  assert.equal(ver.flags, PKT_MALFORMED);
  assert.equal(ver.info, 'Bogus IP version (5, must be 4)');
});

test('a total length beyond the captured bytes: truncated if the wire had them, malformed if not', () => {
  // TCP_SYN (66 bytes) claiming 100 bytes of IP.
  const lying = patched(real.TCP_SYN, 16, [0, 100]);
  assert.ok(decodeReal(lying).flags & PKT_MALFORMED); // origLen 66 is known: the header lies
  assert.equal(decodeReal({ ...lying, origLen: 114 }).flags, PKT_TRUNCATED); // snaplen cut
  const unknownWire = decodeReal({ ...lying, origLen: -1 });
  assert.equal(unknownWire.flags, PKT_TRUNCATED);
});

test('IPv4 in IPv4 (protocol 4) decodes the inner packet', () => {
  // The IPv4/TCP bytes of zeek__payload-synack.pcap #1 behind TCP_SYN's Ethernet + IPv4 header.
  const outer = bytesOf(real.TCP_SYN).slice(0, 34);
  const inner = bytesOf(real.TCP_SYN_RAW_IP);
  const frame = new Uint8Array(outer.length + inner.length);
  frame.set(outer, 0);
  frame.set(inner, 34);
  frame[16] = 0; frame[17] = 20 + inner.length; frame[23] = 4;
  const s = decodeReal({ linkType: 1, origLen: frame.length, hex: Buffer.from(frame).toString('hex') });
  assert.equal(s.protocol, 'TCP');
  assert.equal(s.src, '192.168.0.1');
});

test('ipv4Text formats and caches addresses', () => {
  const b = new Uint8Array([0, 255, 10, 0, 0, 1, 255, 255, 255, 255]);
  assert.equal(ipv4Text(b, 0), '0.255.10.0');
  assert.equal(ipv4Text(b, 2), '10.0.0.1');
  assert.equal(ipv4Text(b, 6), '255.255.255.255');
  assert.equal(ipv4Text(b, 2), '10.0.0.1');
  assert.equal(ipv4Text(new Uint8Array(4), 0), '0.0.0.0');
});
