import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeHead, detectMagic } from '../../../electron/capture/detect-format';

const bytes = (hex: string) => Buffer.from(hex.replace(/ /g, ''), 'hex');

test('pcap magics in both byte orders, with µs, ns and the modified variant', () => {
  assert.deepEqual(detectMagic(bytes('d4 c3 b2 a1')), { kind: 'pcap', bigEndian: false, nanosecond: false, modified: false });
  assert.deepEqual(detectMagic(bytes('a1 b2 c3 d4')), { kind: 'pcap', bigEndian: true, nanosecond: false, modified: false });
  assert.deepEqual(detectMagic(bytes('4d 3c b2 a1')), { kind: 'pcap', bigEndian: false, nanosecond: true, modified: false });
  assert.deepEqual(detectMagic(bytes('a1 b2 3c 4d')), { kind: 'pcap', bigEndian: true, nanosecond: true, modified: false });
  assert.deepEqual(detectMagic(bytes('34 cd b2 a1')), { kind: 'pcap', bigEndian: false, nanosecond: false, modified: true });
  assert.deepEqual(detectMagic(bytes('a1 b2 cd 34')), { kind: 'pcap', bigEndian: true, nanosecond: false, modified: true });
});

test('pcapng, gzip and anything else', () => {
  assert.equal(detectMagic(bytes('0a 0d 0d 0a')).kind, 'pcapng');
  assert.equal(detectMagic(bytes('1f 8b 08 00')).kind, 'gzip');
  assert.equal(detectMagic(bytes('89 50 4e 47')).kind, 'unknown');
  assert.equal(detectMagic(bytes('0a 0d 0d')).kind, 'unknown');
  assert.equal(detectMagic(bytes('')).kind, 'unknown');
});

test('describeHead names common non-capture files', () => {
  assert.equal(describeHead(bytes('89 50 4e 47 0d 0a 1a 0a 00 00')), '89 50 4e 47 0d 0a 1a 0a (a PNG image)');
  assert.equal(describeHead(Buffer.from('hello world\n')), '68 65 6c 6c 6f 20 77 6f (text)');
  assert.equal(describeHead(bytes('00 01 02 03')), '00 01 02 03');
});
