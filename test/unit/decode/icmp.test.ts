import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_TRUNCATED, type TreeNode } from '../../../electron/decode/packet-summary';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('ICMP port unreachable quoting a DNS response: quoted flow and query name', () => {
  // zeek__icmp-destunreach-udp.pcap #1: 192.168.1.102 → 192.168.1.1 ICMP Destination unreachable (Port unreachable)
  const tree: TreeNode[] = [];
  const s = decodeReal(real.ICMP_PORT_UNREACHABLE_DNS, tree);
  assert.equal(s.protocol, 'ICMP');
  assert.equal(s.info, 'Destination unreachable (Port unreachable)');
  // src/dst/ipProto describe the outer packet; ports stay -1 for ICMP.
  assert.deepEqual([s.src, s.dst, s.ipProto, s.sport, s.dport], ['192.168.1.102', '192.168.1.1', 1, -1, -1]);
  assert.deepEqual(s.icmp, {
    version: 4, type: 3, code: 3, isError: true, echoId: -1, echoSeq: -1,
    quoted: { ipVersion: 4, src: '192.168.1.1', dst: '192.168.1.102', ipProto: 17, sport: 53, dport: 59207, dnsQname: 'secure.ed4.net' },
  });
  const icmp = layer(tree, 'Internet Control Message Protocol');
  assert.deepEqual([icmp.start, icmp.length], [34, 156]); // IP total length 176; the 4-byte trailer is not ICMP
  assert.deepEqual([field(icmp, 'Type').start, field(icmp, 'Code').start], [34, 35]);
  assert.equal(field(icmp, 'Code').label, 'Code: 3 (Port unreachable)');
  // As tshark shows it: the quoted IP and UDP headers under ICMP, the quoted DNS message as a layer after it.
  const quoted = field(icmp, 'Internet Protocol Version 4, Src: 192.168.1.1, Dst: 192.168.1.102');
  assert.equal(quoted.start, 42);
  assert.equal(field(quoted, 'Protocol').label, 'Protocol: UDP (17)');
  const udp = field(icmp, 'User Datagram Protocol, Src Port: 53, Dst Port: 59207');
  assert.deepEqual([field(udp, 'Source Port').start, field(udp, 'Destination Port').start], [62, 64]);
  const dns = layer(tree, 'Domain Name System (response)');
  assert.equal(dns.start, 70);
  const question = field(field(dns, 'Queries'), 'secure.ed4.net: type A, class IN');
  assert.deepEqual(question.children?.map((c) => c.label), ['Name: secure.ed4.net', 'Type: A (Host Address) (1)', 'Class: IN (0x0001)']);
  // The quoted message names the layer only: the packet stays ICMP.
  assert.equal(s.dns, null);
});

test('ICMP port unreachable after a late SERVFAIL (DNS port-unreachable scenario)', () => {
  // suricata__flow-drop-iponly-02__input.pcap #7: 192.168.10.31 → 192.168.10.10 ICMP Destination unreachable (Port unreachable)
  const s = decodeReal(real.ICMP_PORT_UNREACHABLE_SERVFAIL);
  assert.deepEqual([s.src, s.dst], ['192.168.10.31', '192.168.10.10']);
  assert.equal(s.icmp?.isError, true);
  assert.deepEqual(s.icmp?.quoted, {
    ipVersion: 4, src: '192.168.10.10', dst: '192.168.10.31', ipProto: 17, sport: 53, dport: 58186, dnsQname: 'download.windowsupdate.com',
  });
});

test('ICMP quote of a non-DNS datagram has ports but no query name', () => {
  // zeek__conn-size.pcap #16: 192.150.186.169 → 192.150.186.15 ICMP Destination unreachable (Port unreachable)
  const s = decodeReal(real.ICMP_PORT_UNREACHABLE_CONN);
  assert.deepEqual(s.icmp?.quoted, { ipVersion: 4, src: '192.150.186.15', dst: '192.150.186.169', ipProto: 17, sport: 61415, dport: 111 });
});

test('a quote cut before the DNS name still gives the flow', () => {
  // zeek__icmp-destunreach-udp.pcap #1 cut 4 bytes into the quoted DNS header (wire length unknown).
  const cut = { ...real.ICMP_PORT_UNREACHABLE_DNS, hex: real.ICMP_PORT_UNREACHABLE_DNS.hex.slice(0, 2 * 74), origLen: -1 };
  const s = decodeReal(cut);
  assert.ok(s.flags & PKT_TRUNCATED);
  assert.equal(s.icmp?.quoted?.dport, 59207);
  assert.equal(s.icmp?.quoted?.dnsQname, undefined);
  // Cut inside the quoted IP header: no quote at all.
  const shorter = decodeReal({ ...cut, hex: cut.hex.slice(0, 2 * 50) });
  assert.equal(shorter.icmp?.quoted, undefined);
  assert.equal(shorter.icmp?.type, 3);
});

test('ICMP echo request and reply', () => {
  // zeek__icmp_dot1q.pcap #5: Echo (ping) request  id=0x0001, seq=0/0, ttl=255
  const req = decodeReal(real.ICMP_ECHO_REQUEST_VLAN);
  assert.equal(req.info, 'Echo (ping) request  id=0x0001, seq=0/0, ttl=255');
  assert.deepEqual([req.icmp?.type, req.icmp?.echoId, req.icmp?.echoSeq, req.icmp?.isError], [8, 1, 0, false]);
  // zeek__icmp_dot1q.pcap #9: Echo (ping) reply    id=0x0001, seq=1/256, ttl=255 (request in 8)
  const rep = decodeReal(real.ICMP_ECHO_REPLY_VLAN);
  assert.equal(rep.info, 'Echo (ping) reply    id=0x0001, seq=1/256, ttl=255');
  assert.equal(rep.icmp?.echoSeq, 1);
  // arkime__bigendian.pcap #1: Echo (ping) request  id=0x43a8, seq=0/0, ttl=255
  assert.equal(decodeReal(real.ICMP_ECHO_BIGENDIAN_PCAP).info, 'Echo (ping) request  id=0x43a8, seq=0/0, ttl=255');
});
