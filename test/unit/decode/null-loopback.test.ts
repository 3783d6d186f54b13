import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TreeNode } from '../../../electron/decode/packet-summary';
import { patched, spliced } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('LINKTYPE_NULL (0): AF_INET6 = 30 written little-endian (macOS)', () => {
  // gopacket__test_loopback.pcap #1: ::1 → ::1 HTTP GET /pkg/github.com/gconnell/gopacket/ HTTP/1.1
  const tree: TreeNode[] = [];
  const s = decodeReal(real.HTTP_GET_LOOPBACK_IPV6, tree);
  assert.equal(s.linkType, 0);
  assert.equal(real.HTTP_GET_LOOPBACK_IPV6.hex.slice(0, 8), '1e000000');
  assert.equal(s.protocol, 'HTTP');
  assert.equal(s.src, '::1');
  const nul = layer(tree, 'Null/Loopback');
  assert.deepEqual([nul.start, nul.length], [0, 4]);
  assert.equal(field(nul, 'Family').label, 'Family: IPv6 (30)');
});

test('LINKTYPE_NULL: the family in big-endian order is detected too', () => {
  const s = decodeReal(patched(real.HTTP_GET_LOOPBACK_IPV6, 0, [0, 0, 0, 30]));
  assert.equal(s.protocol, 'HTTP');
  for (const af of [24, 28]) assert.equal(decodeReal(patched(real.HTTP_GET_LOOPBACK_IPV6, 0, [af, 0, 0, 0])).protocol, 'HTTP');
});

test('LINKTYPE_NULL: AF_INET (2) carries IPv4', () => {
  // The IPv4 packet of zeek__payload-synack.pcap #1 behind a loopback header.
  const v4 = spliced({ ...real.TCP_SYN_RAW_IP, linkType: 0 }, 0, 0, [2, 0, 0, 0]);
  const s = decodeReal(v4);
  assert.equal(s.protocol, 'TCP');
  assert.equal(s.src, '192.168.0.1');
});

test('LINKTYPE_LOOP (108): network byte order only', () => {
  const loop = decodeReal(patched({ ...real.HTTP_GET_LOOPBACK_IPV6, linkType: 108 }, 0, [0, 0, 0, 24]));
  assert.equal(loop.protocol, 'HTTP');
  // Little-endian bytes read as network order give a family we do not know.
  const wrong = decodeReal({ ...real.HTTP_GET_LOOPBACK_IPV6, linkType: 108 });
  assert.equal(wrong.protocol, 'Null');
  assert.equal(wrong.info, 'Loopback address family 503316480 (not decoded)');
});

test('LINKTYPE_NULL: unknown family is named, short header truncated', () => {
  const s = decodeReal(patched(real.HTTP_GET_LOOPBACK_IPV6, 0, [7, 0, 0, 0]));
  assert.equal(s.protocol, 'Null');
  assert.equal(s.info, 'Loopback address family 7 (not decoded)');
  const cut = decodeReal({ ...real.HTTP_GET_LOOPBACK_IPV6, hex: '1e00' });
  assert.equal(cut.flags, 1);
});
