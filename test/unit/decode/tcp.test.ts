import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PKT_MALFORMED, PKT_TRUNCATED, TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, type TreeNode,
} from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

// Info prints raw Seq/Ack and the raw window field, where tshark shows relative numbers and the
// scaled window: the expected strings differ from the tshark comments in exactly those values.

test('SYN with options: fields, Info and tree', () => {
  // chrissanders__tcp_handshake.pcapng #1: 2826 → 80 [SYN] Seq=0 Win=8192 Len=0 MSS=1460 WS=4 SACK_PERM
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TCP_SYN, tree);
  assert.equal(s.protocol, 'TCP');
  assert.deepEqual([s.sport, s.dport], [2826, 80]);
  assert.equal(s.tcpFlags, TCP_SYN);
  assert.equal(s.tcpSeq, 3691127924);
  assert.equal(s.tcpWindow, 8192);
  assert.equal(s.payloadLen, 0);
  assert.equal(s.info, '2826 → 80 [SYN] Seq=3691127924 Win=8192 Len=0 MSS=1460 WS=4 SACK_PERM');
  const tcp = layer(tree, 'Transmission Control Protocol');
  assert.equal(tcp.label, 'Transmission Control Protocol, Src Port: 2826, Dst Port: 80, Seq: 3691127924, Len: 0');
  assert.deepEqual([tcp.start, tcp.length], [34, 32]);
  assert.deepEqual([field(tcp, 'Source Port').start, field(tcp, 'Destination Port').start], [34, 36]);
  assert.deepEqual([field(tcp, 'Flags').start, field(tcp, 'Flags').length], [46, 2]);
  assert.equal(field(tcp, 'Flags').label, 'Flags: 0x002 (SYN)');
  const options = field(tcp, 'Options');
  assert.deepEqual([options.start, options.length], [54, 12]);
  assert.equal(options.children?.[0].label, 'Maximum segment size: 1460 bytes');
  assert.deepEqual([options.children?.[0].start, options.children?.[0].length], [54, 4]);
});

test('handshake, teardown and reset flags', () => {
  // chrissanders__tcp_handshake.pcapng #2: 80 → 2826 [SYN, ACK] Seq=0 Ack=1 Win=5840 Len=0 MSS=1406 SACK_PERM WS=128
  const synAck = decodeReal(real.TCP_SYN_ACK);
  assert.equal(synAck.tcpFlags, TCP_SYN | TCP_ACK);
  assert.equal(synAck.info, '80 → 2826 [SYN, ACK] Seq=233779340 Ack=3691127925 Win=5840 Len=0 MSS=1406 SACK_PERM WS=128');
  // chrissanders__tcp_refuseconnection.pcapng #2: 80 → 3372 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0
  const rst = decodeReal(real.TCP_RST_ACK);
  assert.equal(rst.tcpFlags, TCP_RST | TCP_ACK);
  assert.equal(rst.tcpAck, 951057940);
  // zeek__get.pcap #12: 59856 → 80 [FIN, ACK] Seq=137 Ack=5008 Win=131072 Len=0 TSval=374005166 TSecr=797524639
  const fin = decodeReal(real.TCP_FIN_ACK);
  assert.equal(fin.tcpFlags, TCP_FIN | TCP_ACK);
  assert.equal(fin.info, '59856 → 80 [FIN, ACK] Seq=4263588547 Ack=2779767246 Win=8192 Len=0 TSval=374005166 TSecr=797524639');
  // zeek__get.pcap #4: PSH, ACK carrying 136 bytes (decoded as HTTP above TCP)
  const push = decodeReal(real.HTTP_GET);
  assert.equal(push.tcpFlags, TCP_PSH | TCP_ACK);
  assert.equal(push.payloadLen, 136);
});

test('SACK blocks and ECN flags', () => {
  // zeek__gap-data-missing.pcapng #15: 49980 → 389 [ACK] Seq=2598 Ack=1990 Win=262912 Len=0 SLE=1780 SRE=1990
  const sack = decodeReal(real.TCP_SACK_VLAN_IPV6);
  assert.equal(sack.info, '49980 → 389 [ACK] Seq=3763541557 Ack=4054968667 Win=1027 Len=0 SLE=4054968457 SRE=4054968667');
  // zeek__truncated-header.pcap #1: 60827 → 25 [SYN, ECE, CWR] ... MSS=1460 SACK_PERM [Packet size limited during capture]
  const ecn = decodeReal(real.TCP_SYN_ECN_SNAPLEN);
  assert.equal(ecn.tcpFlags, TCP_SYN | TCP_ECE | TCP_CWR);
  assert.equal(ecn.info, '60827 → 25 [SYN, ECE, CWR] Seq=1041724894 Win=5840 Len=0 MSS=1460 SACK_PERM');
  assert.equal(ecn.flags, PKT_TRUNCATED); // options cut by the snaplen
});

test('reserved header bits are shown', () => {
  // TCP_ACK with the AE (ex-NS) bit and one reserved bit set in the data-offset byte.
  const s = decodeReal(patched(real.TCP_ACK, 46, [0x53]));
  assert.equal(s.info, '2826 → 80 [ACK, AE, Reserved] Seq=3691127925 Ack=233779341 Win=4218 Len=0');
});

test('bad data offset and bad option lengths are malformed, never loop', () => {
  const offset = decodeReal(patched(real.TCP_SYN, 46, [0x40]));
  assert.equal(offset.flags, PKT_MALFORMED);
  assert.equal(offset.info, '2826 → 80 [SYN] Bogus TCP header length (16, must be at least 20)');
  // MSS option with length 0 (would never advance) and with a length past the header.
  const zero = decodeReal(patched(real.TCP_SYN, 55, [0]));
  assert.equal(zero.flags, PKT_MALFORMED);
  assert.equal(zero.info, '2826 → 80 [SYN] Seq=3691127924 Win=8192 Len=0');
  assert.equal(decodeReal(patched(real.TCP_SYN, 55, [40])).flags, PKT_MALFORMED);
  // Data offset (15 × 4 = 60) beyond the IP payload.
  assert.ok(decodeReal(patched(real.TCP_SYN, 46, [0xf0])).flags & PKT_MALFORMED);
});

test('a cut TCP header keeps the ports', () => {
  const s = decodeReal({ ...real.TCP_SYN, hex: real.TCP_SYN.hex.slice(0, 2 * 40) });
  assert.equal(s.flags, PKT_TRUNCATED);
  assert.deepEqual([s.sport, s.dport], [2826, 80]);
  assert.equal(s.info, '2826 → 80 [TCP header truncated]');
  const none = decodeReal({ ...real.TCP_SYN, hex: real.TCP_SYN.hex.slice(0, 2 * 34) });
  assert.equal(none.protocol, 'IPv4'); // no TCP byte at all
  assert.equal(none.flags, PKT_TRUNCATED);
});
