import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CaptureFormatError, readCapture } from '../../../electron/capture/read-capture';
import { capturesDir } from './capture-fixtures';

const dir = path.join(capturesDir, 'malformed');
const files = readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'MANIFEST.tsv');

test('the malformed corpus is present', () => {
  assert.ok(files.length >= 60, `only ${files.length} files in ${dir}`);
});

test('every malformed capture resolves or throws CaptureFormatError, with numeric error offsets', async () => {
  let resolved = 0;
  let refused = 0;
  for (const name of files) {
    const file = path.join(dir, name);
    const size = statSync(file).size;
    let delivered = 0;
    try {
      const summary = await readCapture(file, {
        onRecord(r) {
          delivered++;
          assert.equal(r.data.length, r.caplen, name);
          assert.ok(r.dataOffset >= r.fileOffset && r.dataOffset + r.caplen <= size, `${name}: record outside the file`);
          assert.ok(Number.isFinite(r.tsSec) && Number.isInteger(r.tsNsec) && r.tsNsec >= 0 && r.tsNsec < 1e9, `${name}: timestamp`);
        },
      });
      resolved++;
      assert.equal(summary.records, delivered, name);
      for (const e of summary.errors) {
        assert.equal(typeof e.offset, 'number', name);
        assert.ok(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= size, `${name}: offset ${e.offset}`);
        assert.ok(e.message.length > 10, name);
      }
      assert.ok(summary.errors.filter((e) => e.fatal).length <= 1, `${name}: at most one fatal error`);
      if (summary.errors.some((e) => e.fatal)) assert.equal(summary.stoppedEarly, true, name);
    } catch (e) {
      assert.ok(e instanceof CaptureFormatError, `${name}: threw ${String(e)}`);
      refused++;
    }
  }
  assert.equal(resolved + refused, files.length);
  assert.ok(resolved > refused);
});

test('known damage in the corpus is reported where libpcap and Wireshark report it', async () => {
  const read = async (name: string) => {
    let n = 0;
    const summary = await readCapture(path.join(dir, name), { onRecord: () => void n++ });
    return { n, fatal: summary.errors.filter((e) => e.fatal) };
  };
  // capinfos: "An error occurred after reading 6 packets … File has 4325376-byte packet"
  const der = await read('suricata__bug-1450-04__tls_DER-incomplete-header.pcap');
  assert.equal(der.n, 6);
  assert.match(der.fatal[0].message, /^record 7 at byte 5035 claims 4325376 captured bytes/);
  // capinfos: cut short after 2696 packets, one trailing byte of a record header.
  const mime = await read('suricata__http-mime-truncated__input.pcap');
  assert.equal(mime.n, 2696);
  assert.deepEqual(mime.fatal.map((e) => e.offset), [2715459]);
  // gopacket: readers stop after 1 packet when the middle section is version 2.0.
  assert.equal((await read('gopacket__le_test901.pcapng')).n, 1);
  await assert.rejects(readCapture(path.join(dir, 'libpcap__pcap-invalid-version-1.pcap'), { onRecord() {} }), /unsupported pcap version 1\.4/);
});
