import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('UDP header, Info and tree (NFS call)', () => {
  // suricata__nfs-bug-5140__nfsv2.pcap #7: 139.25.22.2 → 139.25.22.102 NFS V2 NULL Call
  const tree: TreeNode[] = [];
  const s = decodeReal(real.UDP_NFS, tree);
  assert.equal(s.protocol, 'UDP');
  assert.deepEqual([s.sport, s.dport], [3292, 2049]);
  assert.equal(s.payloadLen, 40);
  assert.equal(s.info, '3292 → 2049 Len=40');
  const udp = layer(tree, 'User Datagram Protocol');
  assert.equal(udp.label, 'User Datagram Protocol, Src Port: 3292, Dst Port: 2049');
  assert.deepEqual([udp.start, udp.length], [34, 8]);
  assert.deepEqual([field(udp, 'Length').start, field(udp, 'Length').length], [38, 2]);
  const data = layer(tree, 'Data');
  assert.deepEqual([data.start, data.length], [42, 40]);
});

test('UDP length larger than the IP payload is malformed', () => {
  // UDP_NFS with UDP length 200 (IP payload is 48 bytes).
  const s = decodeReal(patched(real.UDP_NFS, 38, [0, 200]));
  assert.equal(s.flags, PKT_MALFORMED);
  assert.equal(s.info, '3292 → 2049 Bad length value 200 > IP payload length 48');
  const small = decodeReal(patched(real.UDP_NFS, 38, [0, 4]));
  assert.equal(small.flags, PKT_MALFORMED);
  assert.equal(small.info, '3292 → 2049 Bogus UDP length (4, must be at least 8)');
});

test('UDP cut by the capture is truncated, ports kept when present', () => {
  const s = decodeReal({ ...real.UDP_NFS, hex: real.UDP_NFS.hex.slice(0, 2 * 38) });
  assert.ok(s.flags & PKT_TRUNCATED);
  assert.deepEqual([s.sport, s.dport], [3292, 2049]);
});
