import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CaptureFormatError, readCapture } from '../../../electron/capture/read-capture';
import { readAll, real, tempFile, type ReadResult } from './capture-fixtures';

/** Records as comparable rows: everything but the view, plus a digest of its bytes. */
function rows(r: ReadResult): string[] {
  return r.records.map((x) => {
    const { data, ...rest } = x;
    return `${JSON.stringify(rest)} ${createHash('sha1').update(data).digest('hex')}`;
  });
}

async function rejectsAsFormatError(file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(readAll(file), (e: unknown) => {
    assert.ok(e instanceof CaptureFormatError, `expected CaptureFormatError, got ${String(e)}`);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
}

for (const name of ['zeek__get.pcap', 'hadrielk__be_test202.pcapng', 'tcpdump__tcp-handshake-nano.pcap']) {
  test(`gzip of ${name} gives the same records, offsets and summary as the plain file`, async () => {
    const plain = await readAll(real(name));
    const gz = await readAll(tempFile(`${name}.gz`, gzipSync(readFileSync(real(name)))));
    assert.ok(plain.records.length > 0);
    assert.deepEqual(rows(gz), rows(plain));
    assert.equal(gz.summary.compressed, true);
    assert.deepEqual({ ...gz.summary, compressed: false }, plain.summary);
  });
}

test('small and odd chunk sizes give the same records as the default', async () => {
  for (const [name, sizes] of [
    ['rusticata__wireshark_samples-test.pcapng', [97, 4093]],
    ['gopacket__cip.pcap', [4093]],
    ['hadrielk__be_test202.pcapng', [16, 33]],
  ] as const) {
    const expected = rows(await readAll(real(name)));
    for (const chunkSize of sizes) {
      assert.deepEqual(rows(await readAll(real(name), { chunkSize })), expected, `${name} with chunkSize ${chunkSize}`);
    }
  }
});

test('gzip input with small chunks and trailing zero padding reads completely', async () => {
  const name = 'rusticata__wireshark_samples-test.pcapng';
  const file = tempFile('padded.pcapng.gz', Buffer.concat([gzipSync(readFileSync(real(name))), Buffer.alloc(1000)]));
  const got = await readAll(file, { chunkSize: 1000 });
  assert.equal(got.summary.records, 5898);
  assert.deepEqual(got.summary.errors, []);
  assert.deepEqual(rows(got), rows(await readAll(real(name))));
});

test('onChunk reports file bytes read, rising to the file size (compressed size for gzip)', async () => {
  const name = 'gopacket__cip.pcap';
  const seen: number[] = [];
  await readCapture(real(name), { onRecord() {}, onChunk: (n) => void seen.push(n) }, { chunkSize: 256 * 1024 });
  assert.ok(seen.length >= 13, `only ${seen.length} chunks`);
  assert.deepEqual([...seen].sort((a, b) => a - b), seen);
  assert.equal(seen.at(-1), statSync(real(name)).size);

  const gzFile = tempFile('cip.pcap.gz', gzipSync(readFileSync(real(name))));
  const gzSeen: number[] = [];
  await readCapture(gzFile, { onRecord() {}, onChunk: (n) => void gzSeen.push(n) }, { chunkSize: 64 * 1024 });
  assert.ok(gzSeen.length > 1);
  assert.equal(gzSeen.at(-1), statSync(gzFile).size);
  assert.ok(gzSeen.every((n) => n <= statSync(gzFile).size));
});

test('a promise from onChunk is awaited before more records arrive (backpressure)', async () => {
  let pending = false;
  let recordsWhilePending = 0;
  let records = 0;
  const summary = await readCapture(
    real('zeek__nmap-vsn.pcap'),
    {
      onRecord() {
        records++;
        if (pending) recordsWhilePending++;
      },
      onChunk: async () => {
        pending = true;
        await new Promise((r) => setTimeout(r, 2));
        pending = false;
      },
    },
    { chunkSize: 4096 },
  );
  assert.equal(records, 547);
  assert.equal(summary.records, 547);
  assert.equal(recordsWhilePending, 0);
});

test('returning false from onChunk cancels: stoppedEarly, no error, fewer records', async () => {
  let chunks = 0;
  const summary = await readCapture(
    real('gopacket__cip.pcap'),
    { onRecord() {}, onChunk: () => ++chunks < 2 },
    { chunkSize: 64 * 1024 },
  );
  assert.equal(chunks, 2);
  assert.equal(summary.stoppedEarly, true);
  assert.deepEqual(summary.errors, []);
  assert.ok(summary.records > 0 && summary.records < 26068, `${summary.records} records`);

  const asyncCancel = await readCapture(
    tempFile('cancel.pcap.gz', gzipSync(readFileSync(real('gopacket__cip.pcap')))),
    { onRecord() {}, onChunk: async () => false },
    { chunkSize: 64 * 1024 },
  );
  assert.equal(asyncCancel.stoppedEarly, true);
  assert.ok(asyncCancel.records < 26068);
});

test('files that are not captures are refused with one clear line', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  await rejectsAsFormatError(tempFile('picture.pcap', png), /^picture\.pcap: not a pcap or pcapng capture: it starts with 89 50 4e 47 0d 0a 1a 0a \(a PNG image\)$/);
  await rejectsAsFormatError(tempFile('empty.pcap', Buffer.alloc(0)), /^empty\.pcap: the file is empty \(0 bytes\), not a pcap or pcapng capture$/);
  await rejectsAsFormatError(tempFile('notes.pcapng', Buffer.from('these are my notes\n')), /starts with 74 68 65 73 65 20 61 72 \(text\)$/);
  await rejectsAsFormatError(tempFile('three.pcap', Buffer.from([0xd4, 0xc3, 0xb2])), /only 3 bytes long/);
  await rejectsAsFormatError(tempFile('short-header.pcap', readFileSync(real('zeek__get.pcap')).subarray(0, 20)), /only 20 bytes long, shorter than the 24-byte pcap file header/);
  await rejectsAsFormatError(tempFile('text.gz', gzipSync(Buffer.from('hello, this is text'))), /its gzip-compressed content starts with 68 65 6c 6c 6f 2c 20 74 \(text\)/);
  await rejectsAsFormatError(tempFile('broken.gz', Buffer.from('1f8b0800000000000003ffffffffffffff', 'hex')), /gzip-compressed, but the compressed data is damaged/);
});

test('a missing file rejects with the operating system error', async () => {
  await assert.rejects(readAll(real('no-such-file.pcap')), /ENOENT/);
});

test('a gzip file cut short keeps the records before the cut and says the stream is damaged', async () => {
  const plain = await readAll(real('gopacket__cip.pcap'));
  const gz = gzipSync(readFileSync(real('gopacket__cip.pcap')));
  const cut = await readAll(tempFile('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length / 2))));
  assert.ok(cut.records.length > 1000 && cut.records.length < 26068);
  assert.deepEqual(rows(cut), rows(plain).slice(0, cut.records.length));
  assert.equal(cut.summary.stoppedEarly, true);
  const fatal = cut.summary.errors.filter((e) => e.fatal);
  assert.equal(fatal.length, 1);
  const last = cut.records.at(-1)!;
  assert.equal(fatal[0].offset, last.dataOffset + last.caplen);
  assert.match(fatal[0].message, /gzip stream is damaged or cut short/);
});

/** Ends of the header (first entry) and of every later record or block. */
function boundaries(bytes: Buffer, pcapng: boolean): number[] {
  const out: number[] = [];
  if (pcapng) {
    for (let p = 0; p < bytes.length; p += bytes.readUInt32LE(p + 4)) out.push(p + bytes.readUInt32LE(p + 4));
  } else {
    out.push(24);
    for (let p = 24; p < bytes.length; p += 16 + bytes.readUInt32BE(p + 8)) out.push(p + 16 + bytes.readUInt32BE(p + 8));
  }
  return out;
}

for (const [name, pcapng] of [
  ['arkime__bigendian.pcap', false],
  ['chrissanders__tcp_handshake.pcapng', true],
] as const) {
  test(`${name} cut at every byte: format error for a short header, else a fatal error with the cut record's offset`, async () => {
    const bytes = readFileSync(real(name));
    const full = await readAll(real(name));
    const ends = boundaries(bytes, pcapng);
    assert.equal(ends.at(-1), bytes.length);
    const recordEnd = (fileOffset: number) => ends.find((e) => e > fileOffset)!;
    for (let k = 0; k < bytes.length; k++) {
      const file = tempFile(`cut-${k}-${name}`, bytes.subarray(0, k));
      if (k < ends[0]) {
        await assert.rejects(readAll(file), CaptureFormatError, `cut at ${k}`);
        continue;
      }
      const got = await readAll(file);
      const complete = full.records.filter((r) => recordEnd(r.fileOffset) <= k);
      assert.deepEqual(rows(got), rows({ ...full, records: complete }), `cut at ${k}`);
      if (ends.includes(k)) {
        assert.deepEqual(got.summary.errors, [], `cut at ${k}`);
        assert.equal(got.summary.stoppedEarly, false);
      } else {
        const cutAt = Math.max(...ends.filter((e) => e <= k));
        assert.equal(got.summary.errors.length, 1, `cut at ${k}`);
        assert.equal(got.summary.errors[0].fatal, true);
        assert.equal(got.summary.errors[0].offset, cutAt, `cut at ${k}`);
        const headerBytes = pcapng ? 12 : 16;
        const missing = k - cutAt < headerBytes ? `at least ${headerBytes - (k - cutAt)}` : `${ends.find((e) => e > k)! - k}`;
        assert.match(got.summary.errors[0].message, new RegExp(`^file ends in the middle of (record|block) \\d+ at byte ${cutAt} \\(needs ${missing} more bytes\\)$`), `cut at ${k}`);
        assert.equal(got.summary.stoppedEarly, true);
      }
    }
  });
}
