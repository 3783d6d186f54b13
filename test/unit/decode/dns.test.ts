import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched, udpPayloadOf, withTcpPayload, withUdpPayload } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

/** Offset of the DNS message in the Ethernet/IPv4/UDP fixtures used here. */
const MSG = 42;

test('query: header fields, Info and tree (A www.netbsd.org)', () => {
  // arkime__dns-wiresharkrepo.pcap #9: Standard query 0x75c0 A www.netbsd.org
  const tree: TreeNode[] = [];
  const s = decodeReal(real.DNS_QUERY_A, tree);
  assert.equal(s.protocol, 'DNS');
  assert.equal(s.info, 'Standard query 0x75c0 A www.netbsd.org');
  assert.deepEqual(s.dns, {
    id: 0x75c0, isResponse: false, opcode: 0, rcode: 0, flags: 0x0100, qname: 'www.netbsd.org', qtype: 1, questionCount: 1, answers: [],
  });
  const dns = layer(tree, 'Domain Name System (query)');
  assert.deepEqual([dns.start, dns.length], [MSG, 32]);
  assert.deepEqual([field(dns, 'Transaction ID').start, field(dns, 'Transaction ID').length], [MSG, 2]);
  assert.deepEqual([field(dns, 'Flags').start, field(dns, 'Questions').start], [MSG + 2, MSG + 4]);
  const queries = field(dns, 'Queries');
  assert.deepEqual([queries.start, queries.length], [MSG + 12, 20]);
  assert.equal(queries.children?.[0].label, 'www.netbsd.org: type A, class IN');
  assert.deepEqual(queries.children?.[0].children?.map((c) => c.label), ['Name: www.netbsd.org', 'Type: A (Host Address) (1)', 'Class: IN (0x0001)']);
  assert.deepEqual(field(dns, 'Flags').children?.map((c) => c.label).slice(0, 2),
    ['0... .... .... .... = Response: Message is a query', '.000 0... .... .... = Opcode: Standard query (0)']);
});

test('responses: A, AAAA, CNAME, PTR, MX, NS, TXT', () => {
  // #10: Standard query response 0x75c0 A www.netbsd.org A 204.152.190.12
  const a = decodeReal(real.DNS_RESPONSE_A);
  assert.equal(a.info, 'Standard query response 0x75c0 A www.netbsd.org A 204.152.190.12');
  assert.deepEqual(a.dns?.answers, [{ name: 'www.netbsd.org', type: 1, ttl: 82159, data: '204.152.190.12' }]);
  assert.equal(a.dns?.isResponse, true);
  // #12: ... AAAA www.netbsd.org AAAA 2001:4f8:4:7:2e0:81ff:fe52:9a6b
  const aaaa = decodeReal(real.DNS_RESPONSE_AAAA);
  assert.equal(aaaa.info, 'Standard query response 0xf0d4 AAAA www.netbsd.org AAAA 2001:4f8:4:7:2e0:81ff:fe52:9a6b');
  // #16: ... AAAA www.google.com CNAME www.l.google.com
  assert.deepEqual(decodeReal(real.DNS_RESPONSE_CNAME).dns?.answers, [{ name: 'www.google.com', type: 5, ttl: 633, data: 'www.l.google.com' }]);
  // #8: ... PTR 104.9.192.66.in-addr.arpa PTR 66-192-9-104.gen.twtelecom.net
  assert.equal(decodeReal(real.DNS_RESPONSE_PTR).info,
    'Standard query response 0x9bbb PTR 104.9.192.66.in-addr.arpa PTR 66-192-9-104.gen.twtelecom.net');
  // #4: six MX answers and six A records in the additional section; Info lists both, answers[] the first.
  const mx = decodeReal(real.DNS_RESPONSE_MX);
  assert.equal(mx.dns?.answers.length, 6);
  assert.deepEqual(mx.dns?.answers[1], { name: 'google.com', type: 15, ttl: 552, data: '10 smtp5.google.com' });
  assert.equal(mx.info, 'Standard query response 0xf76f MX google.com MX 40 smtp4.google.com MX 10 smtp5.google.com ' +
    'MX 10 smtp6.google.com MX 10 smtp1.google.com MX 10 smtp2.google.com MX 40 smtp3.google.com A 216.239.37.26 ' +
    'A 64.233.167.25 A 66.102.9.25 A 216.239.57.25 A 216.239.37.25 A 216.239.57.26');
  // #29: ... NS isc.org NS ns-ext.nrt1.isc.org NS ns-ext.sth1.isc.org NS ns-ext.isc.org NS ns-ext.lga1.isc.org
  assert.deepEqual(decodeReal(real.DNS_RESPONSE_NS).dns?.answers.map((r) => r.data),
    ['ns-ext.nrt1.isc.org', 'ns-ext.sth1.isc.org', 'ns-ext.isc.org', 'ns-ext.lga1.isc.org']);
  // #2: ... TXT google.com TXT (Info omits the text, the record keeps it)
  const txt = decodeReal(real.DNS_RESPONSE_TXT);
  assert.equal(txt.info, 'Standard query response 0x1032 TXT google.com TXT');
  assert.equal(txt.dns?.answers[0].data, '"v=spf1 ptr ?all"');
});

test('error responses name the rcode', () => {
  // arkime__dns-wiresharkrepo.pcap #22: Standard query response 0x266d No such name AAAA www.example.notginh
  const nx = decodeReal(real.DNS_RESPONSE_NXDOMAIN);
  assert.equal(nx.info, 'Standard query response 0x266d No such name AAAA www.example.notginh');
  assert.equal(nx.dns?.rcode, 3);
  // suricata__flow-drop-iponly-02__input.pcap #4: Standard query response 0xc5a5 Server failure A download.windowsupdate.com
  const sf = decodeReal(real.DNS_SERVFAIL);
  assert.equal(sf.info, 'Standard query response 0xc5a5 Server failure A download.windowsupdate.com');
  assert.equal(sf.dns?.rcode, 2);
  // chrissanders__dns_query_nonexistent.pcapng #1 and arkime #28 (SRV)
  assert.equal(decodeReal(real.DNS_QUERY_NONEXISTENT).info, 'Standard query 0xf23f A 12498283719301382971974.net');
  assert.equal(decodeReal(real.DNS_QUERY_SRV).dns?.qname, '_ldap._tcp.Default-First-Site-Name._sites.dc._msdcs.utelsystems.local');
});

test('mDNS on 5353 is MDNS, with Wireshark\'s question and cache-flush notes', () => {
  // arkime__v6-http.pcap #6 and #7
  const q = decodeReal(real.MDNS_QUERY_IPV6);
  assert.equal(q.protocol, 'MDNS');
  assert.equal(q.info, 'Standard query 0x0000 ANY 1.e.6.0.8.9.e.c.7.d.9.3.9.9.9.0.0.0.0.0.d.2.0.1.8.f.6.0.1.0.0.2.ip6.arpa, "QM" question ' +
    'ANY linux.local, "QM" question AAAA 2001:6f8:102d:0:999:39d7:ce98:6e1 PTR linux.local');
  assert.equal(q.dns?.questionCount, 2);
  const r = decodeReal(real.MDNS_RESPONSE_IPV6);
  assert.equal(r.info, 'Standard query response 0x0000 HINFO, cache flush I686 LINUX AAAA, cache flush 2001:6f8:102d:0:a9d2:1782:1995:b63b ' +
    'AAAA, cache flush 2001:6f8:102d:0:2d0:9ff:fee3:e8de AAAA, cache flush 2001:6f8:102d:0:1033:c4c:7e57:b19e');
  assert.equal(r.dns?.answers[0].data, '"I686" "LINUX"');
});

test('compression pointer loops terminate and mark the message malformed', () => {
  // DNS_RESPONSE_A: the answer name (message offset 32) is c00c; point it at itself.
  const self = decodeReal(patched(real.DNS_RESPONSE_A, MSG + 32, [0xc0, 32]));
  assert.equal(self.flags, PKT_MALFORMED);
  assert.equal(self.dns?.qname, 'www.netbsd.org'); // what came before the fault is kept
  assert.deepEqual(self.dns?.answers, []);
  assert.equal(self.info, 'Standard query response 0x75c0 A www.netbsd.org [malformed]');
  // A two-pointer cycle: question → answer (forward) and answer → question.
  const cycle = decodeReal(patched(patched(real.DNS_RESPONSE_A, MSG + 12, [0xc0, 32]), MSG + 32, [0xc0, 12]));
  assert.ok(cycle.flags & PKT_MALFORMED);
  assert.equal(cycle.dns?.id, 0x75c0);
  // Forward pointer past the message end.
  assert.ok(decodeReal(patched(real.DNS_RESPONSE_A, MSG + 32, [0xff, 0xff])).flags & PKT_MALFORMED);
});

test('a chain of backward pointers is followed (zeek max-compression-depth)', () => {
  // zeek__max-compression-depth.pcap #1: Standard query response 0x1234 A a A 127.0.0.1 ... A 127.0.0.7
  const s = decodeReal(real.DNS_MAX_COMPRESSION_DEPTH);
  assert.equal(s.flags, 0);
  assert.equal(s.dns?.answers.length, 7);
  assert.deepEqual(s.dns?.answers.map((r) => r.name), ['a', 'a', 'a', 'a', 'a', 'a', 'a']);
  assert.equal(s.dns?.answers[6].data, '127.0.0.7');
});

/** A query message with the given question name bytes (header copied from DNS_QUERY_A). */
function queryWithName(name: number[]): import('./real-packets').RealPacket {
  const header = Array.from(udpPayloadOf(real.DNS_QUERY_A).subarray(0, 12));
  return withUdpPayload(real.DNS_QUERY_A, new Uint8Array([...header, ...name, 0, 1, 0, 1]));
}

test('label sanity: reserved label types and names over 255 octets are malformed', () => {
  const ext = decodeReal(queryWithName([0x41, 0x61, 0]));
  assert.equal(ext.flags, PKT_MALFORMED);
  const long: number[] = [];
  for (let i = 0; i < 5; i++) long.push(63, ...new Array<number>(63).fill(0x61));
  long.push(0);
  const tooLong = decodeReal(queryWithName(long));
  assert.equal(tooLong.flags, PKT_MALFORMED);
  assert.ok(tooLong.dns !== null && tooLong.dns.qname.length <= 255);
  // 4 × 63-byte labels = 257 octets with length bytes and root: over the limit too.
  const limit: number[] = [];
  for (let i = 0; i < 3; i++) limit.push(63, ...new Array<number>(63).fill(0x62));
  limit.push(61, ...new Array<number>(61).fill(0x62), 0); // 3×64 + 62 + 1 = 255: allowed
  assert.equal(decodeReal(queryWithName(limit)).flags, 0);
});

test('names are kept as sent but control characters and label dots are escaped', () => {
  const s = decodeReal(queryWithName([3, 0x61, 0x07, 0x62, 3, 0x63, 0x2e, 0x64, 0]));
  assert.equal(s.dns?.qname, 'a\\x07b.c\\.d');
  assert.equal(s.info, 'Standard query 0x75c0 A a\\x07b.c\\.d');
  assert.equal(decodeReal(queryWithName([0])).dns?.qname, '<Root>');
});

test('a truncated response keeps the records decoded before the cut', () => {
  // DNS_RESPONSE_MX cut in the middle of the third MX answer (snaplen: the wire had it all).
  const cut = { ...real.DNS_RESPONSE_MX, hex: real.DNS_RESPONSE_MX.hex.slice(0, 2 * 120) };
  const s = decodeReal(cut);
  assert.ok(s.flags & PKT_TRUNCATED);
  assert.equal(s.dns?.qname, 'google.com');
  assert.equal(s.dns?.answers.length, 2);
  assert.match(s.info, /^Standard query response 0xf76f MX google.com MX 40 smtp4.google.com MX 10 smtp5.google.com \[truncated\]$/);
});

test('counts claiming more records than the datagram holds: malformed, decoded part kept', () => {
  const s = decodeReal(patched(real.DNS_RESPONSE_A, MSG + 6, [0, 5]));
  assert.equal(s.flags, PKT_MALFORMED);
  assert.equal(s.dns?.answers.length, 1);
});

test('tcpdump dns-badlabel: malformed, never throws', () => {
  // tcpdump__dns-badlabel.pcap #1: Unknown operation (15) response 0xc980 Unknown error (15) Unused <Name too long>[Malformed Packet]
  const s = decodeReal(real.DNS_BAD_LABEL);
  assert.ok(s.flags & PKT_MALFORMED);
  assert.match(s.info, /^Unknown operation \(15\) response 0xc980 Unknown error \(15\)/);
});

test('DNS over TCP: 2-byte length prefix (RFC 1035 §4.2.2)', () => {
  const msg = udpPayloadOf(real.DNS_QUERY_A);
  const framed = new Uint8Array(2 + msg.length);
  framed[1] = msg.length;
  framed.set(msg, 2);
  const tree: TreeNode[] = [];
  const s = decodeReal(withTcpPayload(real.TCP_ACK_TIMESTAMPS, framed, { sport: 40000, dport: 53 }), tree);
  assert.equal(s.protocol, 'DNS');
  assert.equal(s.info, 'Standard query 0x75c0 A www.netbsd.org');
  const prefix = layer(tree, 'DNS over TCP');
  assert.deepEqual([prefix.start, prefix.length], [66, 2]);
  assert.equal(layer(tree, 'Domain Name System').start, 68);
});

test('a DNS header shorter than 12 bytes', () => {
  const s = decodeReal(withUdpPayload(real.DNS_QUERY_A, new Uint8Array([0x75, 0xc0, 1, 0])));
  assert.equal(s.protocol, 'DNS');
  assert.equal(s.flags, PKT_MALFORMED);
  assert.equal(s.info, 'DNS header truncated (4 of 12 bytes)');
});
