import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaptureFormatError } from '../../../electron/capture/read-capture';
import { counting, pcapFile } from './capture-builders';
import { epoch, malformed, readAll, real, tempFile } from './capture-fixtures';

test('big-endian microsecond pcap (arkime bigendian.pcap)', async () => {
  const { summary, records } = await readAll(real('arkime__bigendian.pcap'));
  assert.equal(summary.format, 'pcap');
  assert.equal(summary.bigEndian, true);
  assert.equal(summary.compressed, false);
  assert.equal(summary.records, 2);
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.stoppedEarly, false);
  // tshark -T fields -e frame.time_epoch
  assert.deepEqual(records.map(epoch), ['1335958313.152630000', '1335958317.529201000']);
  assert.deepEqual(records.map((r) => [r.fileOffset, r.dataOffset, r.caplen, r.origLen]), [
    [24, 40, 98, 98],
    [138, 154, 98, 98],
  ]);
  // Ethernet destination MAC of the ICMP echo request, then the IPv4 ethertype at byte 12.
  assert.equal(records[0].data.length, 98);
  assert.equal(records[0].data.readUInt16BE(12), 0x0800);
  assert.deepEqual(summary.interfaces, [{ ifIndex: 0, linkType: 1, snaplen: 65535, tsUnitsPerSec: 1e6, tsOffsetSec: 0, comments: [] }]);
});

test('nanosecond pcap keeps every digit (tcpdump tcp-handshake-nano.pcap, Linux SLL)', async () => {
  const { summary, records } = await readAll(real('tcpdump__tcp-handshake-nano.pcap'));
  assert.equal(summary.format, 'pcap-nsec');
  assert.equal(summary.interfaces[0].tsUnitsPerSec, 1e9);
  assert.equal(summary.interfaces[0].linkType, 113);
  assert.deepEqual(records.map(epoch), ['1418145369.924505488', '1418145370.052027262', '1418145370.052115157']);
  assert.deepEqual(records.map((r) => r.caplen), [76, 76, 68]);
});

test('Kuznetzov modified pcap has 24-byte record headers', async () => {
  const { summary, records } = await readAll(real('rusticata__modified-format.pcap'));
  assert.equal(summary.format, 'pcap-modified');
  assert.equal(records.length, 1);
  assert.equal(epoch(records[0]), '1712763541.734807000');
  assert.equal(records[0].fileOffset, 24);
  assert.equal(records[0].dataOffset, 48);
  assert.equal(records[0].caplen, 98);
  assert.equal(records[0].dataOffset + records[0].caplen, 146); // the file's size: nothing left over
});

test('snaplen-truncated records keep caplen < origLen', async () => {
  const { summary, records } = await readAll(real('rustpcap__packet_snaplen_20.pcap'));
  assert.equal(summary.interfaces[0].snaplen, 20);
  assert.equal(records.length, 1);
  assert.equal(records[0].caplen, 20);
  assert.equal(records[0].origLen, 98);
  assert.equal(records[0].data.length, 20);
  assert.deepEqual(summary.errors, []);
});

test('link types come through: SLL2, raw IPv6, DLT_NULL', async () => {
  assert.equal((await readAll(real('zeek__linux_dlt_sll2.pcap'))).summary.interfaces[0].linkType, 276);
  assert.equal((await readAll(real('zeek__icmp6-mldv2.pcap'))).summary.interfaces[0].linkType, 229);
  assert.equal((await readAll(real('gopacket__test_loopback.pcap'))).summary.interfaces[0].linkType, 0);
});

test('version 2.1 header is read with a note', async () => {
  const { summary } = await readAll(real('suricata__nfs-bug-5140__nfsv2.pcap'));
  assert.equal(summary.records, 156);
  assert.equal(summary.bigEndian, true);
  assert.equal(summary.errors.length, 1);
  assert.equal(summary.errors[0].fatal, false);
  assert.match(summary.errors[0].message, /version 2\.1/);
});

test('empty pcap (header only) reads zero records cleanly', async () => {
  const { summary } = await readAll(real('zeek__empty.pcap'));
  assert.equal(summary.records, 0);
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.stoppedEarly, false);
});

test('an absurd captured length is fatal at that record; earlier records are kept', async () => {
  const file = tempFile(
    'absurd.pcap',
    pcapFile([
      { sec: 100, frac: 1, data: counting(60) },
      { sec: 101, frac: 2, data: counting(40) },
      { sec: 102, frac: 3, data: counting(10), caplenField: 3925868813 },
    ]),
  );
  const { summary, records } = await readAll(file);
  assert.equal(records.length, 2);
  assert.equal(summary.stoppedEarly, true);
  assert.deepEqual(summary.errors, [
    {
      offset: 24 + 16 + 60 + 16 + 40,
      fatal: true,
      message: 'record 3 at byte 156 claims 3925868813 captured bytes, more than the 262144 maximum: the file is damaged from here',
    },
  ]);
});

test('the real damaged SMTP capture stops at record 19 after 18 good ones', async () => {
  const { summary, records } = await readAll(malformed('suricata__smtp-to-comma__10.7.29.101_49898-178.63.41.150_25.pcap'));
  assert.equal(records.length, 18);
  const fatal = summary.errors.filter((e) => e.fatal);
  assert.equal(fatal.length, 1);
  const last = records[17];
  assert.equal(fatal[0].offset, last.dataOffset + last.caplen);
  assert.match(fatal[0].message, /^record 19 at byte \d+ claims 3925868813 captured bytes/);
});

test('a file cut inside a record reports how many bytes are missing', async () => {
  const full = pcapFile([
    { sec: 1, frac: 0, data: counting(30) },
    { sec: 2, frac: 0, data: counting(30) },
  ]);
  const { summary, records } = await readAll(tempFile('cut.pcap', full.subarray(0, full.length - 7)));
  assert.equal(records.length, 1);
  assert.equal(summary.stoppedEarly, true);
  assert.deepEqual(summary.errors, [
    { offset: 70, fatal: true, message: 'file ends in the middle of record 2 at byte 70 (needs 7 more bytes)' },
  ]);
});

test('sub-second fields out of range are carried into the seconds with one note', async () => {
  const file = tempFile(
    'bad-usec.pcap',
    pcapFile([
      { sec: 1418145369, frac: 999999, data: counting(4) },
      { sec: 1418145369, frac: 1000000, data: counting(4) },
      { sec: 1418145369, frac: 2 ** 31, data: counting(4) },
    ]),
  );
  const { summary, records } = await readAll(file);
  assert.deepEqual(records.map(epoch), ['1418145369.999999000', '1418145370.000000000', '1418147516.483648000']);
  assert.equal(summary.errors.length, 1);
  assert.equal(summary.errors[0].fatal, false);
  assert.equal(summary.stoppedEarly, false);
});

test('nanosecond files carry at 1e9, big-endian too', async () => {
  const file = tempFile(
    'bad-nsec.pcap',
    pcapFile([{ sec: 10, frac: 1_500_000_000, data: counting(4) }], { le: false, magic: 0xa1b23c4d }),
  );
  const { summary, records } = await readAll(file);
  assert.equal(summary.bigEndian, true);
  assert.equal(summary.format, 'pcap-nsec');
  assert.equal(epoch(records[0]), '11.500000000');
});

test('timestamps past 2038 stay positive (unsigned seconds)', async () => {
  const { records } = await readAll(malformed('tcpdump__time_2038_overflow.pcap'));
  assert.equal(epoch(records[0]), '2147483648.000000000'); // tshark
});

test('major version other than 2 is rejected, naming the version', async () => {
  const file = tempFile('v1.pcap', pcapFile([{ sec: 1, frac: 0, data: counting(4) }], { major: 1, minor: 4 }));
  await assert.rejects(readAll(file), (e: unknown) => {
    assert.ok(e instanceof CaptureFormatError);
    assert.match(e.message, /^v1\.pcap: unsupported pcap version 1\.4/);
    return true;
  });
});

test('link-type upper bits are masked; reserved bits get a note; FCS length is kept', async () => {
  const reserved = await readAll(tempFile('reserved.pcap', pcapFile([], { linkField: 0x00300001 })));
  assert.equal(reserved.summary.interfaces[0].linkType, 1);
  assert.equal(reserved.summary.errors.length, 1);
  assert.match(reserved.summary.errors[0].message, /0x00300001 has reserved bits set; using link type 1 \(ETHERNET\)/);

  // P bit (0x04000000) set with 2 sixteen-bit words of FCS in the top nibble.
  const fcs = await readAll(tempFile('fcs.pcap', pcapFile([], { linkField: 0x24000069 })));
  assert.equal(fcs.summary.interfaces[0].linkType, 105);
  assert.equal(fcs.summary.interfaces[0].fcsLen, 4);
  assert.deepEqual(fcs.summary.errors, []);
});

test('files older than 2.3 with the two length fields in the old order are straightened', async () => {
  // Pre-2.3 writers put the wire length first: on disk the fields read "60, 20" for a 20-byte capture.
  const file = tempFile('old.pcap', pcapFile([{ sec: 1, frac: 0, data: counting(20), caplenField: 60, origLen: 20 }], { minor: 2 }));
  const { records } = await readAll(file);
  assert.equal(records.length, 1);
  assert.equal(records[0].caplen, 20);
  assert.equal(records[0].origLen, 60);
});
