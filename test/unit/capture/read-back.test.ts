import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readFrameBytes } from '../../../electron/capture/read-back';
import { readAll, real, tempFile } from './capture-fixtures';

test('dataOffset and caplen read the same bytes back from plain files', async () => {
  for (const name of ['zeek__get.pcap', 'hadrielk__be_test202.pcapng', 'rusticata__modified-format.pcap', 'zeek__gap-data-missing.pcapng']) {
    const { records } = await readAll(real(name));
    assert.ok(records.length > 0);
    for (const r of records) {
      const back = await readFrameBytes(real(name), r.dataOffset, r.caplen, false);
      assert.deepEqual(Buffer.from(back), r.data, `${name} record at ${r.fileOffset}`);
    }
  }
});

test('offsets in a gzip file are offsets in the decompressed stream', async () => {
  const name = 'rusticata__wireshark_samples-test.pcapng';
  const { records } = await readAll(real(name));
  const gz = tempFile('readback.pcapng.gz', gzipSync(readFileSync(real(name))));
  for (const r of [records[0], records[1234], records[records.length - 1]]) {
    const back = await readFrameBytes(gz, r.dataOffset, r.caplen, true);
    assert.deepEqual(Buffer.from(back), r.data, `record at ${r.fileOffset}`);
  }
});

test('a file shorter than the wanted bytes is a clear error', async () => {
  const file = real('zeek__get.pcap'); // 6335 bytes
  await assert.rejects(readFrameBytes(file, 6300, 100, false), /zeek__get\.pcap: needed 100 bytes at byte 6300, but the file ends at byte 6335/);
  const gz = tempFile('short.pcap.gz', gzipSync(readFileSync(file)));
  await assert.rejects(readFrameBytes(gz, 6000, 1000, true), /needed 1000 bytes at byte 6000, but its decompressed data ends at byte 6335/);
});

test('nonsense arguments are refused before touching the file', async () => {
  await assert.rejects(readFrameBytes(real('zeek__get.pcap'), -1, 10, false), RangeError);
  await assert.rejects(readFrameBytes(real('zeek__get.pcap'), 0, 1e12, false), RangeError);
  await assert.rejects(readFrameBytes(real('zeek__get.pcap'), 1.5, 10, false), RangeError);
});

test('zero bytes is an empty result', async () => {
  assert.equal((await readFrameBytes(real('zeek__get.pcap'), 40, 0, false)).length, 0);
});
