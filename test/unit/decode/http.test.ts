import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TreeNode } from '../../../electron/decode/packet-summary';
import { ascii, patched, withTcpPayload } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, layer } from './real-packets';

test('request line, Host and User-Agent (zeek get.pcap)', () => {
  // zeek__get.pcap #4: 141.142.228.5 → 192.150.187.43 HTTP GET /download/CHANGES.bro-aux.txt HTTP/1.1
  const tree: TreeNode[] = [];
  const s = decodeReal(real.HTTP_GET, tree);
  assert.equal(s.protocol, 'HTTP');
  assert.equal(s.info, 'GET /download/CHANGES.bro-aux.txt HTTP/1.1');
  assert.deepEqual(s.http, {
    kind: 'request', method: 'GET', uri: '/download/CHANGES.bro-aux.txt', version: 'HTTP/1.1',
    userAgent: 'Wget/1.14 (darwin12.2.0)', host: 'bro.org',
  });
  assert.deepEqual([s.sport, s.dport, s.payloadLen], [59856, 80, 136]);
  const http = layer(tree, 'Hypertext Transfer Protocol');
  assert.deepEqual([http.start, http.length], [66, 136]);
  assert.deepEqual(http.children?.map((c) => [c.label, c.start, c.length]), [
    ['GET /download/CHANGES.bro-aux.txt HTTP/1.1', 66, 42],
    ['User-Agent: Wget/1.14 (darwin12.2.0)', 110, 36],
    ['Accept: */*', 148, 11],
    ['Host: bro.org', 161, 13],
    ['Connection: Keep-Alive', 176, 22],
  ]);
});

test('status lines', () => {
  // zeek__get.pcap #6: HTTP/1.1 200 OK (first segment of the response)
  const ok = decodeReal(real.HTTP_200);
  assert.equal(ok.info, 'HTTP/1.1 200 OK');
  assert.deepEqual(ok.http, { kind: 'response', version: 'HTTP/1.1', status: 200, reason: 'OK' });
  // gopacket__test_loopback.pcap #15 (port 8080, IPv6 over loopback): HTTP/1.1 304 Not Modified
  const notModified = decodeReal(real.HTTP_304_LOOPBACK_IPV6);
  assert.equal(notModified.info, 'HTTP/1.1 304 Not Modified');
  assert.equal(notModified.http?.status, 304);
  const gw = decodeReal(withTcpPayload(real.HTTP_200, ascii('HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\n\r\n')));
  assert.equal(gw.info, 'HTTP/1.1 504 Gateway Timeout');
  assert.deepEqual(gw.http, { kind: 'response', version: 'HTTP/1.1', status: 504, reason: 'Gateway Timeout' });
});

test('HTTP/1.0 over IPv6 and a request with no Host (raw IP link)', () => {
  // arkime__v6-http.pcap #49: GET / HTTP/1.0
  const v6 = decodeReal(real.HTTP_GET_IPV6);
  assert.equal(v6.info, 'GET / HTTP/1.0');
  assert.equal(v6.http?.host, 'cl-1985.ham-01.de.sixxs.net');
  // zeek__payload-synack.pcap #2: GET //index.php?page=../../../etc/passwd HTTP/1.1
  const raw = decodeReal(real.HTTP_GET_RAW_IP);
  assert.equal(raw.http?.uri, '//index.php?page=../../../etc/passwd');
  assert.equal(raw.http?.host, undefined);
  assert.equal(raw.http?.userAgent, 'czxt2s');
});

test('heuristic: an HTTP request on a non-HTTP port (port 22)', () => {
  // zeek__get-to-ssh-server.pcap #4: tshark calls it SSH by port; the payload is "GET / HTTP/1.1"
  const s = decodeReal(real.HTTP_GET_SSH_PORT);
  assert.equal(s.dport, 22);
  assert.equal(s.protocol, 'HTTP');
  assert.equal(s.info, 'GET / HTTP/1.1');
});

test('SSDP (HTTP over UDP 1900)', () => {
  // rusticata__wireshark_samples-test.pcapng #152: SSDP NOTIFY * HTTP/1.1
  const s = decodeReal(real.UDP_SSDP);
  assert.equal(s.protocol, 'SSDP');
  assert.equal(s.info, 'NOTIFY * HTTP/1.1');
  assert.equal(s.http?.host, '239.255.255.250:1900');
});

test('non-HTTP bytes on port 80 stay TCP', () => {
  // HTTP_200 with "HTTP/" changed to "XTTP/": a body segment, not a header.
  const s = decodeReal(patched(real.HTTP_200, 66, [0x58]));
  assert.equal(s.protocol, 'TCP');
  assert.equal(s.http, null);
  assert.match(s.info, /^80 → 59856 \[ACK\] /);
  // Unknown method.
  assert.equal(decodeReal(withTcpPayload(real.HTTP_GET, ascii('FROB / HTTP/1.1\r\n\r\n'))).protocol, 'TCP');
});

test('attacker-controlled text: controls escaped, lengths capped, scan bounded', () => {
  const evil = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET /a\x1b[31m\x7fb HTTP/1.1\r\nHost: x\x00y\r\nUser-Agent: \xe2\x80\xaeevil\r\n\r\n')));
  assert.equal(evil.http?.uri, '/a\\x1b[31m\\x7fb');
  assert.equal(evil.http?.host, 'x\\x00y');
  assert.equal(evil.http?.userAgent, '\\u202eevil'); // bidi override made visible
  const longUri = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET /' + 'a'.repeat(2000) + ' HTTP/1.1\r\n\r\n')));
  assert.equal(longUri.http?.uri?.length, 513); // 512 characters and '…'
  assert.equal(longUri.http?.version, 'HTTP/1.1');
  // A Host header beyond the first 4 KiB is not looked at.
  const late = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET / HTTP/1.1\r\nX-Pad: ' + 'p'.repeat(4200) + '\r\nHost: late\r\n\r\n')));
  assert.equal(late.protocol, 'HTTP');
  assert.equal(late.http?.host, undefined);
  // UTF-8 in a header is kept.
  assert.equal(decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET / HTTP/1.1\r\nUser-Agent: caf\xc3\xa9\r\n\r\n'))).http?.userAgent, 'café');
});

test('a request line split across segments is still named', () => {
  const s = decodeReal(withTcpPayload(real.HTTP_GET, ascii('GET /very/long/pa')));
  assert.equal(s.protocol, 'HTTP');
  assert.equal(s.info, 'GET /very/long/pa');
  assert.equal(s.http?.version, '');
});
