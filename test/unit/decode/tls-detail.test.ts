/**
 * The TLS detail tree on hostile input: the hello and certificate parsers walk attacker-supplied
 * lengths, so every cut of a real handshake and random bytes in a certificate must decode without
 * throwing, keep every label bounded, and name only what is really there. (The tree's content is
 * compared with tshark in test/integration/dissection-tshark.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { readCapture } from '../../../electron/capture/read-capture';
import { decodeFrame } from '../../../electron/decode/decode-frame';
import { newSummary, type TreeNode } from '../../../electron/decode/packet-summary';
import { addCertificateTree } from '../../../electron/decode/x509';
import { repoRoot } from '../../support/repo-paths';

function labels(nodes: TreeNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.label);
    if (n.children) labels(n.children, out);
  }
  return out;
}

async function frames(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  await readCapture(path.join(repoRoot(), 'test/fixtures/dissection/tcp-streams.pcap'), { onRecord: (r) => { out.push(r.data.slice()); } });
  return out;
}

test('every cut of a ClientHello and of a certificate flight decodes without throwing, labels bounded', async () => {
  const all = await frames();
  const summary = newSummary();
  for (const frame of [all[3], all[4]]) { // frame 4: ClientHello; frame 5: ServerHello + the certificate record's start
    for (let cut = 0; cut <= frame.length; cut++) {
      const tree: TreeNode[] = [];
      decodeFrame(1, frame.subarray(0, cut), summary, tree);
      for (const l of labels(tree)) assert.ok(l.length <= 300, `label of ${l.length} characters at cut ${cut}`);
    }
  }
  const tree: TreeNode[] = [];
  decodeFrame(1, all[3], summary, tree);
  const text = labels(tree);
  assert.ok(text.includes('Cipher Suite: Reserved (GREASE) (0x0a0a)'));
  assert.ok(text.includes('Extension: server_name (len=21)'));
  assert.ok(text.includes('Server Name: shop.example.com'));
  assert.ok(text.includes('ALPN Next Protocol: http/1.1'));
  assert.ok(text.includes('Supported Group: x25519 (0x001d)'));
});

test('a certificate of random or damaged DER never throws and names nothing it cannot read', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 0; n < 2000; n++) {
    const bytes = new Uint8Array(Math.floor(random() * 300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    // Often a plausible start, so the parser goes deeper than the first byte.
    if (bytes.length > 4 && random() < 0.7) { bytes[0] = 0x30; bytes[1] = 0x82; bytes[4] = 0x30; }
    const parent: TreeNode = { label: 'Certificates', start: 0, length: bytes.length };
    addCertificateTree(parent, bytes, 0, bytes.length);
    for (const l of labels([parent])) assert.ok(l.length <= 300);
  }
});

test('certificate names are text: markup and control characters stay visible, long names are cut', () => {
  // SEQUENCE { SEQUENCE (tbs) { INTEGER 5, SEQUENCE (alg), Name, SEQUENCE (validity), Name } }
  const attr = (oid: number[], value: Uint8Array) => der(0x31, der(0x30, der(0x06, new Uint8Array(oid)), der(0x0c, value)));
  const cn = [0x55, 0x04, 0x03];
  const evil = new TextEncoder().encode('<img src=x onerror=alert(1)>\u202e\u0007');
  const long = new Uint8Array(1000).fill(0x41);
  const subject = der(0x30, attr(cn, evil), attr(cn, long));
  const tbs = der(0x30, der(0x02, new Uint8Array([5])), der(0x30, new Uint8Array(0)), der(0x30, attr(cn, new TextEncoder().encode('Issuer CA'))),
    der(0x30, der(0x17, new TextEncoder().encode('250101000000Z')), der(0x17, new TextEncoder().encode('350101000000Z'))), subject);
  const cert = der(0x30, tbs);
  const parent: TreeNode = { label: 'Certificates', start: 0, length: cert.length };
  addCertificateTree(parent, cert, 0, cert.length);
  const text = labels([parent]);
  assert.ok(text.includes('id-at-commonName=<img src=x onerror=alert(1)>\\u202e\\x07'), text.join('\n'));
  assert.ok(text.includes('serialNumber: 0x05'));
  assert.ok(text.includes('notBefore: 2025-01-01 00:00:00 (UTC)'));
  assert.ok(text.includes('rdnSequence: 1 item (id-at-commonName=Issuer CA)'));
  const seq = text.find((l) => l.startsWith('rdnSequence: 2 items'));
  assert.equal(seq?.length, 239);
  assert.ok(text.every((l) => l.length <= 300));
});

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const len = body.length < 128 ? [body.length] : body.length < 256 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from([tag, ...len]), body]));
}
