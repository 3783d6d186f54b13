import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PcapngWriter, splitOptionText, MAX_OPTION_BYTES } from '../../../electron/export/pcapng-writer';
import { readCapture } from '../../../electron/capture/read-capture';
import type { CaptureInterface, CaptureRecord } from '../../../electron/capture/capture-record';
import { tempDir } from '../../support/repo-paths';

async function readBack(bytes: Buffer) {
  const file = path.join(tempDir('flowcase-pcapng-'), 'w.pcapng');
  fs.writeFileSync(file, bytes);
  const records: Array<CaptureRecord & { data: Buffer }> = [];
  const interfaces: CaptureInterface[] = [];
  const summary = await readCapture(file, { onRecord: (r) => records.push({ ...r, data: Buffer.from(r.data) }), onInterface: (i) => interfaces.push(i) });
  return { summary, records, interfaces };
}

test('written blocks read back with our pcapng reader: interfaces, ns timestamps, bytes, comments', async () => {
  const chunks: Buffer[] = [];
  const w = new PcapngWriter((c) => chunks.push(c));
  w.writeSectionHeader({ application: 'Flowcase test', comments: ['section note'] });
  const eth = w.addInterface({ linkType: 1, snaplen: 65535, name: 'eth0', description: 'uplink' });
  const raw = w.addInterface({ linkType: 101, snaplen: 128 });
  const ts = 1_700_000_000_123_456_789n; // beyond 2^53 ns: must survive exactly
  w.writePacket({ interfaceId: eth, tsNs: ts, data: Buffer.from('0102030405', 'hex'), origLen: 60, comments: ['first <b>', 'second \u202E rtl'] });
  w.writePacket({ interfaceId: raw, tsNs: ts + 1n, data: Buffer.alloc(8, 0xab), origLen: 8 });
  const bytes = Buffer.concat(chunks);
  assert.equal(bytes.length % 4, 0);
  assert.equal(w.bytes, bytes.length);
  const { summary, records, interfaces } = await readBack(bytes);
  assert.deepEqual(summary.errors, []);
  assert.deepEqual(summary.sectionComments, ['section note']);
  assert.deepEqual(interfaces.map((i) => [i.ifIndex, i.linkType, i.snaplen, i.name, i.description, i.tsUnitsPerSec]), [[0, 1, 65535, 'eth0', 'uplink', 1e9], [1, 101, 128, undefined, undefined, 1e9]]);
  assert.equal(records.length, 2);
  assert.deepEqual([records[0].tsSec, records[0].tsNsec], [1_700_000_000, 123_456_789]);
  assert.deepEqual([records[1].tsSec, records[1].tsNsec], [1_700_000_000, 123_456_790]);
  assert.equal(records[0].data.toString('hex'), '0102030405');
  assert.equal(records[0].origLen, 60);
  assert.deepEqual(records[0].comments, ['first <b>', 'second \u202E rtl']);
  assert.equal(records[1].comments, undefined);
  assert.equal(records[1].linkType, 101);
});

test('a comment longer than one option is split into marked parts, nothing lost', async () => {
  const note = 'é'.repeat(40_000); // 80,000 UTF-8 bytes
  const parts = splitOptionText(note);
  assert.ok(parts.length >= 2);
  for (const p of parts) assert.ok(p.length <= MAX_OPTION_BYTES);
  const texts = parts.map((p) => p.toString('utf8'));
  assert.match(texts[0], /^\[part 1\/2\] é/);
  assert.equal(texts.map((t) => t.replace(/^\[part \d+\/\d+\] /, '')).join(''), note);
  const chunks: Buffer[] = [];
  const w = new PcapngWriter((c) => chunks.push(c));
  w.addInterface({ linkType: 1, snaplen: 65535 });
  w.writePacket({ interfaceId: 0, tsNs: 1n, data: Buffer.alloc(1), origLen: 1, comments: [note] });
  const { records } = await readBack(Buffer.concat(chunks));
  assert.equal(records[0].comments!.length, parts.length);
});

test('packets must name an added interface', () => {
  const w = new PcapngWriter(() => undefined);
  assert.throws(() => w.writePacket({ interfaceId: 0, tsNs: 0n, data: Buffer.alloc(0), origLen: 0 }), /interface 0 was not added/);
});
