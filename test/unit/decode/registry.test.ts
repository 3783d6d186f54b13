import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeArp } from '../../../electron/decode/arp';
import { decodeDnsTcp, decodeDnsUdp, decodeMdns } from '../../../electron/decode/dns';
import { decodeEthernet, decodeVlanTag } from '../../../electron/decode/ethernet';
import { decodeHttp } from '../../../electron/decode/http';
import { decodeIpv4 } from '../../../electron/decode/ipv4';
import { decodeIpv6 } from '../../../electron/decode/ipv6';
import {
  etherTypeDecoders, ipProtocolDecoders, linkTypeDecoders, tcpHeuristicDecoders, tcpPortDecoders, udpPortDecoders,
} from '../../../electron/decode/registry';
import { decodeTcp } from '../../../electron/decode/tcp';
import { decodeTls, decodeTlsHeuristic } from '../../../electron/decode/tls';
import { decodeUdp } from '../../../electron/decode/udp';
import { ascii, udpPayloadOf, withTcpPayload, withUdpPayload } from './frame-builder';
import * as real from './real-packets';
import { bytesOf, decodeReal } from './real-packets';

test('the tables name the decoders', () => {
  assert.deepEqual([...linkTypeDecoders.keys()].sort((a, b) => a - b), [0, 1, 9, 50, 101, 108, 113, 228, 229, 276]);
  assert.equal(linkTypeDecoders.get(1), decodeEthernet);
  assert.equal(etherTypeDecoders.get(0x0800), decodeIpv4);
  assert.equal(etherTypeDecoders.get(0x86dd), decodeIpv6);
  assert.equal(etherTypeDecoders.get(0x0806), decodeArp);
  for (const vlan of [0x8100, 0x88a8, 0x9100]) assert.equal(etherTypeDecoders.get(vlan), decodeVlanTag);
  assert.equal(ipProtocolDecoders.get(6), decodeTcp);
  assert.equal(ipProtocolDecoders.get(17), decodeUdp);
  assert.equal(udpPortDecoders.get(53), decodeDnsUdp);
  assert.equal(udpPortDecoders.get(5353), decodeMdns);
  assert.equal(tcpPortDecoders.get(53), decodeDnsTcp);
  for (const port of [80, 8080, 8000, 3128]) assert.equal(tcpPortDecoders.get(port), decodeHttp);
  assert.equal(tcpPortDecoders.get(443), decodeTls);
  assert.deepEqual(tcpHeuristicDecoders, [decodeHttp, decodeTlsHeuristic]);
});

test('HTTP on each registered port', () => {
  for (const port of [80, 8080, 8000, 3128]) {
    const s = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET / HTTP/1.1\r\n\r\n'), { sport: 50000, dport: port }));
    assert.equal(s.protocol, 'HTTP', 'port ' + port);
  }
});

test('the lower port is tried first, then the other, then the heuristics', () => {
  const msg = udpPayloadOf(real.DNS_QUERY_A);
  assert.equal(decodeReal(withUdpPayload(real.DNS_QUERY_A, msg, { sport: 5353, dport: 53 })).protocol, 'DNS');
  assert.equal(decodeReal(withUdpPayload(real.DNS_QUERY_A, msg, { sport: 40000, dport: 5353 })).protocol, 'MDNS');
  assert.equal(decodeReal(withUdpPayload(real.DNS_QUERY_A, msg, { sport: 40000, dport: 40001 })).protocol, 'UDP');
  // HTTP bytes on 443: the TLS port decoder declines, the HTTP heuristic takes them.
  const httpOn443 = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET / HTTP/1.1\r\n\r\n'), { dport: 443 }));
  assert.equal(httpOn443.protocol, 'HTTP');
  // A TLS ClientHello on port 80: HTTP declines, the TLS heuristic takes it.
  const hello = bytesOf(real.TLS12_CLIENT_HELLO).subarray(66);
  assert.equal(decodeReal(withTcpPayload(real.TLS12_CLIENT_HELLO, hello, { dport: 80 })).protocol, 'TLSv1');
  // Application data is only TLS on a TLS port: elsewhere it stays TCP.
  const appData = bytesOf(real.TLS12_APPLICATION_DATA).subarray(66);
  assert.equal(decodeReal(withTcpPayload(real.TLS12_APPLICATION_DATA, appData, { dport: 4444 })).protocol, 'TCP');
});
