import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('ARP request on VLAN 123', () => {
  // zeek__icmp_dot1q.pcap #3: Cisco_de:57:c1 → Broadcast ARP Who has 192.168.123.1? Tell 192.168.123.2
  const tree: TreeNode[] = [];
  const s = decodeReal(real.ARP_REQUEST_VLAN, tree);
  assert.equal(s.protocol, 'ARP');
  assert.equal(s.info, 'Who has 192.168.123.1? Tell 192.168.123.2');
  // Source/Destination are the Ethernet addresses, as in Wireshark.
  assert.equal(s.src, '00:18:73:de:57:c1');
  assert.equal(s.dst, 'ff:ff:ff:ff:ff:ff');
  assert.equal(s.ipVersion, 0);
  assert.deepEqual(s.arp, { op: 1, senderMac: '00:18:73:de:57:c1', senderIp: '192.168.123.2', targetMac: '00:00:00:00:00:00', targetIp: '192.168.123.1' });
  const arp = layer(tree, 'Address Resolution Protocol (request)');
  assert.deepEqual([arp.start, arp.length], [18, 28]);
  assert.deepEqual([field(arp, 'Opcode').start, field(arp, 'Opcode').length], [24, 2]);
  assert.deepEqual([field(arp, 'Sender MAC').start, field(arp, 'Sender IP').start], [26, 32]);
  assert.deepEqual([field(arp, 'Target MAC').start, field(arp, 'Target IP').start], [36, 42]);
});

test('ARP reply and gratuitous forms', () => {
  // zeek__icmp_dot1q.pcap #4: 192.168.123.1 is at 00:19:06:ea:b8:c1
  const reply = decodeReal(real.ARP_REPLY_VLAN);
  assert.equal(reply.info, '192.168.123.1 is at 00:19:06:ea:b8:c1');
  assert.equal(reply.arp?.op, 2);
  // zeek__icmp_dot1q.pcap #1: Gratuitous ARP for 192.168.123.1 (Reply)
  assert.equal(decodeReal(real.ARP_GRATUITOUS_REPLY_VLAN).info, 'Gratuitous ARP for 192.168.123.1 (Reply)');
  // rusticata__wireshark_samples-test.pcapng #102: ARP Announcement for 192.168.152.110
  assert.equal(decodeReal(real.ARP_ANNOUNCEMENT).info, 'ARP Announcement for 192.168.152.110');
});

test('ARP probe (sender 0.0.0.0) is labelled', () => {
  // ARP_REQUEST_VLAN with the sender IP zeroed (offset 18 + 14).
  const s = decodeReal(patched(real.ARP_REQUEST_VLAN, 32, [0, 0, 0, 0]));
  assert.equal(s.info, 'Who has 192.168.123.1? (ARP Probe)');
});

test('ARP with other hardware or protocol sizes is named, not formatted', () => {
  const s = decodeReal(patched(real.ARP_REQUEST_VLAN, 22, [8]));
  assert.equal(s.arp, null);
  assert.equal(s.info, 'ARP request (hardware type 1, protocol 0x0800)');
});

test('ARP cut short is truncated', () => {
  const s = decodeReal({ ...real.ARP_REQUEST_SLL2, hex: real.ARP_REQUEST_SLL2.hex.slice(0, 2 * 40) });
  assert.equal(s.flags, PKT_TRUNCATED);
  assert.equal(s.protocol, 'ARP');
  assert.equal(s.info, 'ARP request (truncated)');
});
