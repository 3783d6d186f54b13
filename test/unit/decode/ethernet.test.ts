import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('Ethernet II: MAC addresses and the layer tree (TCP_SYN)', () => {
  // chrissanders__tcp_handshake.pcapng #1: 2826 → 80 [SYN]
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TCP_SYN, tree);
  assert.equal(s.linkType, 1);
  assert.equal(s.macDst, '00:05:5d:21:99:4c');
  assert.equal(s.macSrc, '00:21:6a:5b:7d:4a');
  assert.deepEqual(s.vlans, []);
  assert.deepEqual(tree.map((n) => n.label.split(',')[0]), ['Ethernet II', 'Internet Protocol Version 4', 'Transmission Control Protocol']);
  const eth = layer(tree, 'Ethernet II');
  assert.equal(eth.label, 'Ethernet II, Src: 00:21:6a:5b:7d:4a, Dst: 00:05:5d:21:99:4c');
  assert.deepEqual([eth.start, eth.length], [0, 14]);
  assert.deepEqual([field(eth, 'Destination').start, field(eth, 'Destination').length], [0, 6]);
  assert.deepEqual([field(eth, 'Source').start, field(eth, 'Source').length], [6, 6]);
  const type = field(eth, 'Type');
  assert.equal(type.label, 'Type: IPv4 (0x0800)');
  assert.deepEqual([type.start, type.length], [12, 2]);
});

test('802.1Q/802.1ad QinQ: both tags in out.vlans, outermost first', () => {
  // arkime__twovlan.pcap #4: 10.0.0.1 → 10.0.0.2 HTTP GET / HTTP/1.1 (VLAN 201 outer, 200 inner)
  const tree: TreeNode[] = [];
  const s = decodeReal(real.HTTP_GET_QINQ, tree);
  assert.deepEqual(s.vlans, [201, 200]);
  assert.equal(s.protocol, 'HTTP');
  assert.equal(s.src, '10.0.0.1');
  const tags = tree.filter((n) => n.label.startsWith('802.1Q'));
  assert.deepEqual(tags.map((n) => [n.start, n.length]), [[14, 4], [18, 4]]);
  assert.equal(tags[1].label, '802.1Q Virtual LAN, PRI: 4, DEI: 1, ID: 200');
  assert.equal(layer(tree, 'Internet Protocol').start, 22);
});

test('single 802.1Q tag (ICMP echo on VLAN 123)', () => {
  // zeek__icmp_dot1q.pcap #5: Echo (ping) request id=0x0001, seq=0/0, ttl=255
  const s = decodeReal(real.ICMP_ECHO_REQUEST_VLAN);
  assert.deepEqual(s.vlans, [123]);
  assert.equal(s.protocol, 'ICMP');
});

test('IEEE 802.3 length field leads to LLC', () => {
  // rusticata__wireshark_samples-test.pcapng #3828: XID Basic Format; Type 1 LLC (Class I LLC)
  const s = decodeReal(real.LLC_XID);
  assert.equal(s.protocol, 'LLC');
  assert.equal(s.info, 'DSAP 0x00, SSAP 0x01, Control 0xaf');
  assert.equal(s.flags, 0);
  assert.equal(s.src, '18:16:c9:e0:a6:33');
  assert.equal(s.dst, 'ff:ff:ff:ff:ff:ff');
});

test('an ethertype with no decoder is named, not decoded', () => {
  // TCP_SYN with the type changed to LLDP (0x88cc).
  const s = decodeReal(patched(real.TCP_SYN, 12, [0x88, 0xcc]));
  assert.equal(s.protocol, 'LLDP');
  assert.equal(s.info, 'Ethertype 0x88cc (LLDP, not decoded)');
  assert.equal(s.ipVersion, 0);
  assert.equal(s.src, '00:21:6a:5b:7d:4a');
  const unknown = decodeReal(patched(real.TCP_SYN, 12, [0x12, 0x34]));
  assert.equal(unknown.protocol, 'Ethernet');
  assert.equal(unknown.info, 'Ethertype 0x1234 (not decoded)');
});

test('a type/length value between 1501 and 1535 is malformed', () => {
  const s = decodeReal(patched(real.TCP_SYN, 12, [0x05, 0xff]));
  assert.ok(s.flags & PKT_MALFORMED);
});

test('a cut Ethernet header is truncated but keeps the MACs it has', () => {
  const s = decodeReal({ ...real.TCP_SYN, hex: real.TCP_SYN.hex.slice(0, 2 * 8) });
  assert.equal(s.flags, PKT_TRUNCATED);
  assert.equal(s.protocol, 'Ethernet');
  assert.equal(s.macDst, '00:05:5d:21:99:4c');
  assert.equal(s.macSrc, '');
});
