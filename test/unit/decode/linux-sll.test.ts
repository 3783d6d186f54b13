import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('Linux SLL v1 (113): source address and the ethertype that follows', () => {
  // tcpdump__tcp-handshake-nano.pcap #1: 131.155.215.69 → 137.116.81.94 TCP 46656 → 80 [SYN] ... MSS=1360 SACK_PERM TSval=1131021154 TSecr=0 WS=128
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TCP_SYN_SLL, tree);
  assert.equal(s.linkType, 113);
  assert.equal(s.protocol, 'TCP');
  assert.equal(s.src, '131.155.215.69');
  // This capture's pseudo-header has address length 0 (packet type 4, "sent by us").
  assert.equal(s.macSrc, '');
  assert.equal(s.macDst, '');
  assert.equal(s.info, '46656 → 80 [SYN] Seq=797190859 Win=27200 Len=0 MSS=1360 SACK_PERM TSval=1131021154 TSecr=0 WS=128');
  const sll = layer(tree, 'Linux cooked capture v1');
  assert.deepEqual([sll.start, sll.length], [0, 16]);
  assert.deepEqual([field(sll, 'Protocol').start, field(sll, 'Protocol').length], [14, 2]);
  assert.equal(field(sll, 'Protocol').label, 'Protocol: IPv4 (0x0800)');
  assert.equal(field(sll, 'Packet type').label, 'Packet type: Sent by us (4)');
  assert.equal(layer(tree, 'Internet Protocol').start, 16);
});

test('Linux SLL v1: a 6-byte link-layer address becomes the Source MAC', () => {
  const s = decodeReal(patched(real.TCP_SYN_SLL, 4, [0, 6, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02]));
  assert.equal(s.macSrc, '02:42:ac:11:00:02');
  assert.equal(s.src, '131.155.215.69'); // the IP layer still names the column
});

test('Linux SLL v1: short header is truncated; an oversized address length is malformed', () => {
  const cut = decodeReal({ ...real.TCP_SYN_SLL, hex: real.TCP_SYN_SLL.hex.slice(0, 2 * 15) });
  assert.equal(cut.flags, PKT_TRUNCATED);
  assert.equal(cut.protocol, 'SLL');
  const oversized = decodeReal(patched(real.TCP_SYN_SLL, 4, [0, 200]));
  assert.ok(oversized.flags & PKT_MALFORMED);
  assert.equal(oversized.protocol, 'TCP'); // the rest still decodes
});

test('Linux SLL v1: a protocol value below 0x0600 is named', () => {
  const s = decodeReal(patched(real.TCP_SYN_SLL, 14, [0x00, 0x04]));
  assert.equal(s.protocol, 'LLC');
  assert.equal(s.info, '802.2 LLC frame (not decoded)');
});
