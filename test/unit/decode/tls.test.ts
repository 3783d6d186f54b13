import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PKT_MALFORMED, type TreeNode } from '../../../electron/decode/packet-summary';
import { patched } from './frame-builder';
import * as real from './real-packets';
import { decodeReal, field, layer } from './real-packets';

test('TLS 1.3 ClientHello: SNI, supported_versions, record version as protocol', () => {
  // arkime__tls13.pcap #4: TLSv1 Client Hello (draft-18 era client over IPv6)
  const tree: TreeNode[] = [];
  const s = decodeReal(real.TLS13_CLIENT_HELLO_IPV6, tree);
  assert.equal(s.protocol, 'TLSv1'); // Wireshark names a ClientHello by its record-layer version
  assert.equal(s.info, 'Client Hello (SNI=blog.cloudflare.com)');
  assert.deepEqual(s.tls, { handshake: 'client_hello', version: 'TLS 1.3', sni: 'blog.cloudflare.com' });
  const tls = layer(tree, 'Transport Layer Security');
  assert.deepEqual([tls.start, tls.length], [74, 517]);
  const record = field(tls, 'TLSv1 Record Layer');
  assert.deepEqual([field(record, 'Content Type').start, field(record, 'Version').start, field(record, 'Length').start], [74, 75, 77]);
  const hello = field(record, 'Handshake Protocol: Client Hello');
  assert.deepEqual([hello.start, hello.length], [79, 512]);
  // As tshark shows it: each extension by name, its data under it.
  const sni = field(field(hello, 'Extension: server_name'), 'Server Name');
  assert.equal(sni.label, 'Server Name: blog.cloudflare.com');
  assert.deepEqual([sni.start, sni.length], [180, 19]);
  const suites = field(hello, 'Cipher Suites (');
  assert.equal(suites.children?.[0].label.startsWith('Cipher Suite: '), true);
  assert.ok(suites.children?.some((c) => c.label === 'Cipher Suite: TLS_AES_128_GCM_SHA256 (0x1301)'));
  const versions = field(hello, 'Extension: supported_versions');
  assert.ok(versions.children?.some((c) => c.label === 'Supported Version: TLS 1.3 (draft 18) (0x7f12)'), JSON.stringify(versions.children));
});

test('TLS 1.3 ServerHello: the selected version names the protocol', () => {
  // zeek__openjdk-25.0.2-zeek.org.pcap #4 and #6
  const ch = decodeReal(real.TLS13_CLIENT_HELLO_SLL2);
  assert.equal(ch.protocol, 'TLSv1.2');
  assert.deepEqual(ch.tls, { handshake: 'client_hello', version: 'TLS 1.3', sni: 'zeek.org' });
  const sh = decodeReal(real.TLS13_SERVER_HELLO_SLL2);
  assert.equal(sh.protocol, 'TLSv1.3');
  assert.deepEqual(sh.tls, { handshake: 'server_hello', version: 'TLS 1.3' });
  assert.match(sh.info, /^Server Hello, Change Cipher Spec, Application Data/);
  // arkime__tls13.pcap #6: a draft-18 ServerHello (version 0x7f12, no session id)
  const draft = decodeReal(real.TLS13_SERVER_HELLO_DRAFT);
  assert.equal(draft.protocol, 'TLSv1.3');
  assert.equal(draft.tls?.version, 'TLS 1.3');
  assert.equal(draft.flags, 0);
});

test('TLS 1.2 handshake and record types', () => {
  // zeek__tls1.2.pcap #4: TLSv1 Client Hello (no SNI)
  const ch = decodeReal(real.TLS12_CLIENT_HELLO);
  assert.equal(ch.protocol, 'TLSv1');
  assert.equal(ch.info, 'Client Hello');
  assert.deepEqual(ch.tls, { handshake: 'client_hello', version: 'TLS 1.2' });
  // #5: Server Hello followed by the start of the Certificate message
  const sh = decodeReal(real.TLS12_SERVER_HELLO);
  assert.equal(sh.protocol, 'TLSv1.2');
  assert.equal(sh.info, 'Server Hello, Certificate');
  // #10: Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message
  assert.equal(decodeReal(real.TLS12_CKE_CCS_FINISHED).info, 'Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message');
  // #13: Application Data; #20: Encrypted Alert
  const app = decodeReal(real.TLS12_APPLICATION_DATA);
  assert.equal(app.info, 'Application Data');
  assert.equal(app.tls?.handshake, 'application_data');
  assert.equal(decodeReal(real.TLS12_ENCRYPTED_ALERT).info, 'Encrypted Alert');
});

test('heuristic: a TLS handshake on a non-TLS port (IRC STARTTLS on 6667)', () => {
  // zeek__irc-starttls.pcap #8: tshark says IRC; the payload is a ClientHello
  const s = decodeReal(real.TLS_CLIENT_HELLO_IRC_PORT);
  assert.equal(s.dport, 6667);
  assert.equal(s.protocol, 'TLSv1');
  assert.equal(s.info, 'Client Hello');
});

test('plaintext alert is described', () => {
  // TLS12_ENCRYPTED_ALERT rewritten as a 2-byte alert record: fatal handshake_failure.
  const b = Buffer.from(real.TLS12_ENCRYPTED_ALERT.hex, 'hex');
  const tls = 66;
  b.writeUInt16BE(2, tls + 3);
  b[tls + 5] = 2; b[tls + 6] = 40;
  const frame = b.subarray(0, tls + 7);
  frame.writeUInt16BE(frame.length - 14, 16);
  const s = decodeReal({ linkType: 1, origLen: frame.length, hex: frame.toString('hex') });
  assert.equal(s.info, 'Alert (Level: Fatal, Description: Handshake Failure)');
});

test('a ClientHello whose extensions overrun the message is malformed but keeps what it read', () => {
  // TLS13_CLIENT_HELLO_IPV6 with a huge extensions length: walk record header, handshake header,
  // version, random, session id, cipher suites and compression methods to find the field.
  const b = Buffer.from(real.TLS13_CLIENT_HELLO_IPV6.hex, 'hex');
  let p = 74 + 5 + 4 + 2 + 32;
  p += 1 + b[p];
  p += 2 + b.readUInt16BE(p);
  p += 1 + b[p];
  const bad = patched(real.TLS13_CLIENT_HELLO_IPV6, p, [0xff, 0xf0]);
  const s = decodeReal(bad);
  assert.ok(s.flags & PKT_MALFORMED);
  assert.equal(s.protocol, 'TLSv1');
  assert.equal(s.tls?.handshake, 'client_hello');
});
