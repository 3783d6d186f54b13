import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PKT_MALFORMED, PKT_TRUNCATED, TCP_ACK, TCP_RST, TCP_SYN } from '../../../electron/decode/packet-summary.js';
import { packetColor, packetRowFrom, type PacketDbRow } from '../../../electron/query/packet-row.js';

const base: PacketDbRow = {
  id: 1, sec: 1_700_000_000, nsec: 500_000_000, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, proto: 'TCP',
  origlen: 60, info: '', tcp_flags: 0, ip_proto: 6, flags: 0, flow_id: 7, dns_rcode: null, annotation_count: 0, annotation_tags: null,
  capture_id: 1, if_index: 0, caplen: null, data_offset: 24,
};
const color = (over: Partial<PacketDbRow>): string => packetColor({ ...base, ...over });

test('color rules, broken packets first', () => {
  assert.equal(color({ flags: PKT_MALFORMED, tcp_flags: TCP_RST }), 'malformed');
  assert.equal(color({ flags: PKT_TRUNCATED }), 'malformed');
  assert.equal(color({ tcp_flags: TCP_RST | TCP_ACK }), 'rst');
  assert.equal(color({ tcp_flags: TCP_SYN }), 'syn');
  assert.equal(color({ tcp_flags: TCP_SYN | TCP_ACK }), '');
  assert.equal(color({ ip_proto: 17, tcp_flags: null }), '');
  for (const type of [3, 4, 5, 11, 12]) assert.equal(color({ ip_proto: 1, sport: type, tcp_flags: null }), 'icmp-error', `ICMP ${type}`);
  for (const type of [0, 8, 13]) assert.equal(color({ ip_proto: 1, sport: type, tcp_flags: null }), '', `ICMP ${type}`);
  for (const type of [1, 2, 3, 4]) assert.equal(color({ ip_proto: 58, sport: type, tcp_flags: null }), 'icmp-error', `ICMPv6 ${type}`);
  for (const type of [128, 135]) assert.equal(color({ ip_proto: 58, sport: type, tcp_flags: null }), '', `ICMPv6 ${type}`);
  assert.equal(color({ proto: 'DNS', ip_proto: 17, dns_rcode: 3 }), 'dns-error');
  assert.equal(color({ proto: 'MDNS', ip_proto: 17, dns_rcode: 2 }), 'dns-error');
  assert.equal(color({ proto: 'DNS', ip_proto: 17, dns_rcode: 0 }), '');
  assert.equal(color({ proto: 'DNS', ip_proto: 17, dns_rcode: null }), '');
});

test('packetRowFrom maps columns and computes rel from the split time', () => {
  const row = packetRowFrom({ ...base, annotation_count: 2, annotation_tags: '["malicious","todo"]' }, 1_699_999_999_750_000_000n);
  assert.deepEqual(row, {
    id: 1, rel: 0.75, ts: [1_700_000_000, 500_000_000], src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2,
    proto: 'TCP', length: 60, info: '', tcpFlags: 0, ipProto: 6, flags: 0, flowId: 7, color: '', annotated: true, annotationCount: 2, annotationTags: ['malicious', 'todo'],
  });
});
