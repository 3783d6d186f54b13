import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('Linux SLL2 (276): ICMP echo', () => {
  // zeek__linux_dlt_sll2.pcap #1: 192.0.2.1 → 192.0.2.1 ICMP Echo (ping) request id=0x0008, seq=1/256, ttl=64
  const tree: TreeNode[] = [];
  const s = decodeReal(real.ICMP_ECHO_SLL2, tree);
  assert.equal(s.linkType, 276);
  assert.equal(s.protocol, 'ICMP');
  assert.equal(s.info, 'Echo (ping) request  id=0x0008, seq=1/256, ttl=64');
  const sll = layer(tree, 'Linux cooked capture v2');
  assert.deepEqual([sll.start, sll.length], [0, 20]);
  assert.deepEqual([field(sll, 'Protocol').start, field(sll, 'Protocol').length], [0, 2]);
  assert.deepEqual([field(sll, 'Interface index').start, field(sll, 'Interface index').length], [4, 4]);
  assert.equal(layer(tree, 'Internet Protocol').start, 20);
});

test('Linux SLL2: ARP and RARP keep the cooked source address as Source', () => {
  // zeek__linux_dlt_sll2.pcap #5: 8e:36:06:44:ac:af → ARP Who has 192.0.2.2? Tell 192.0.2.1
  const arp = decodeReal(real.ARP_REQUEST_SLL2);
  assert.equal(arp.protocol, 'ARP');
  assert.equal(arp.src, '8e:36:06:44:ac:af');
  assert.equal(arp.dst, '');
  assert.equal(arp.info, 'Who has 192.0.2.2? Tell 192.0.2.1');
  // zeek__linux_dlt_sll2.pcap #6: RARP Who is 00:00:00:00:00:00? Tell 8e:36:06:44:ac:af
  const rarp = decodeReal(real.RARP_REQUEST_SLL2);
  assert.equal(rarp.protocol, 'RARP');
  assert.equal(rarp.info, 'Who is 00:00:00:00:00:00? Tell 8e:36:06:44:ac:af');
});

test('Linux SLL2: TLS over IPv4', () => {
  // zeek__openjdk-25.0.2-zeek.org.pcap #4: 192.168.64.6 → 192.0.78.150 TLSv1.2 Client Hello
  const s = decodeReal(real.TLS13_CLIENT_HELLO_SLL2);
  assert.equal(s.protocol, 'TLSv1.2');
  assert.equal(s.tls?.sni, 'zeek.org');
});

test('Linux SLL2: short header is truncated', () => {
  const s = decodeReal({ ...real.ICMP_ECHO_SLL2, hex: real.ICMP_ECHO_SLL2.hex.slice(0, 2 * 19) });
  assert.equal(s.flags, PKT_TRUNCATED);
  assert.equal(s.protocol, 'SLL2');
});
