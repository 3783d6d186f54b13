import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaptureFormatError } from '../../../electron/capture/read-capture';
import { Bytes, block, counting, epb, idb, optionValue, shb, spb } from './capture-builders';
import { epoch, malformed, readAll, real, tempFile } from './capture-fixtures';

test('multi-section file with both byte orders: interface indexes unique across sections (hadrielk be_test202)', async () => {
  const { summary, records, interfacesSeen } = await readAll(real('hadrielk__be_test202.pcapng'));
  assert.equal(summary.format, 'pcapng');
  assert.equal(summary.bigEndian, true); // the first section's order
  assert.equal(summary.records, 8);
  assert.deepEqual(summary.errors, []);
  assert.deepEqual(summary.sectionComments, ['test202 SHB-0', 'test202 SHB-1', 'test202 SHB-2']);
  assert.deepEqual(
    summary.interfaces.map((i) => [i.ifIndex, i.linkType, i.snaplen, i.name]),
    [
      [0, 1, 96, 'eth0'],
      [1, 0, 0, 'null1'],
      [2, 1, 128, 'silly ethernet interface 2'],
      [3, 1, 96, 'eth0'],
      [4, 0, 0, 'null1'],
    ],
  );
  assert.deepEqual(interfacesSeen, summary.interfaces);
  // tshark shows section-local interface ids (0,0,1 | 0,0,0,0 | 1); ours keep counting across sections.
  assert.deepEqual(records.map((r) => r.ifIndex), [0, 0, 1, 2, 2, 2, 2, 4]);
  assert.deepEqual(records.map((r) => r.linkType), [1, 1, 0, 1, 1, 1, 1, 0]);
  assert.deepEqual(records.map((r) => [r.caplen, r.origLen]), [
    [96, 314], [96, 342], [168, 168], [128, 314], [128, 342], [128, 314], [128, 342], [168, 168],
  ]);
  // Frames 5 and 8 are simple packet blocks: no timestamp in the format.
  assert.deepEqual(records.map(epoch), [
    '1340954905.298858000', '1340954905.298858000', '1340954905.301858000', '0.000000000',
    '1340954905.298858000', '0.000000000', '1340954905.298858000', '1340954905.301858000',
  ]);
  assert.deepEqual(records.map((r) => r.fileOffset), [448, 600, 728, 1108, 1252, 1824, 1968, 2708]);
  assert.ok(summary.names.some((n) => n.addr === 'fc01:dead::beef' && n.name === 'example.com'));
  assert.ok(summary.names.some((n) => n.addr === '10.1.2.3' && n.name === 'example.org'));
});

test('two interfaces with different if_tsresol (zeek pcapng-multi-interface)', async () => {
  const { summary, records } = await readAll(real('zeek__pcapng-multi-interface.pcapng'));
  assert.deepEqual(summary.interfaces.map((i) => i.tsUnitsPerSec), [1e9, 1e6]);
  assert.deepEqual(records.map((r) => r.ifIndex), [0, 0, 1, 1, 1, 1]);
  // tshark -T fields -e frame.time_epoch
  assert.deepEqual(records.map(epoch), [
    '1767663089.500330493',
    '1767663089.514291940',
    '1767663437.111897000',
    '1767663437.126460000',
    '1767663437.128303000',
    '1767663437.140942000',
  ]);
});

test('NRB records and simple packet blocks (hadrielk be_test016)', async () => {
  const { summary, records } = await readAll(real('hadrielk__be_test016.pcapng'));
  assert.equal(summary.bigEndian, true);
  assert.equal(summary.records, 4);
  assert.equal(summary.names.length, 10);
  assert.deepEqual(summary.names.slice(0, 3), [
    { addr: '192.168.1.2', name: 'example.com' },
    { addr: '192.168.3.4', name: 'example.net' },
    { addr: '10.1.2.3', name: 'example.org' },
  ]);
  // SPB: snaplen 0 means unlimited, so caplen is the original length (tshark: 314/314).
  assert.equal(records[0].caplen, 314);
  assert.equal(records[0].origLen, 314);
  assert.equal(records[0].dataOffset, records[0].fileOffset + 12);
  assert.equal(records[0].data.readUInt32BE(0), 0xffffffff); // broadcast DHCP discover
});

test('EPB and IDB comments (gopacket epb.pcapng, hadrielk le_test009)', async () => {
  const epbFile = await readAll(real('gopacket__epb.pcapng'));
  assert.equal(epbFile.records.length, 1);
  assert.deepEqual(epbFile.records[0].comments, ['this is a comment', 'foobar']);
  assert.equal(epbFile.records[0].ifIndex, 1);
  assert.equal(epoch(epbFile.records[0]), '1734755450.619187329');
  assert.deepEqual(epbFile.summary.interfaces.map((i) => i.name), ['dummy-0', 'ens33']);
  assert.deepEqual(epbFile.summary.interfaces[1].comments, ['ifIndex: 2, netNsInode: 4026531840, netNsPath: /proc/self/ns/net']);

  const t9 = await readAll(real('hadrielk__le_test009.pcapng'));
  assert.deepEqual(t9.records.map((r) => r.comments), [['test009-1'], ['test009-2']]);
  assert.deepEqual(t9.summary.sectionComments, ['test009']);
  assert.deepEqual(t9.records.map(epoch), ['1340954905.298858000', '1340954905.299858000']);
});

test('126 interfaces and packets on interface 48 (zeek gap-data-missing)', async () => {
  const { summary, records } = await readAll(real('zeek__gap-data-missing.pcapng'));
  assert.equal(summary.interfaces.length, 126);
  assert.equal(records.length, 18);
  assert.ok(records.every((r) => r.ifIndex === 48));
  assert.equal(epoch(records[0]), '1725966494.956327000');
  assert.equal(summary.names.length, 83);
});

test('binary timestamp resolution 2^-8 (gopacket test902) and seconds past 2106', async () => {
  const t902 = await readAll(malformed('gopacket__le_test902.pcapng'));
  assert.equal(t902.summary.interfaces[0].tsUnitsPerSec, 256);
  assert.equal(epoch(t902.records[0]), '1519128000.195312500'); // tshark
  const late = await readAll(malformed('tcpdump__time_2106_overflow.pcapng'));
  assert.equal(epoch(late.records[0]), '4294967296.000000000'); // tshark
});

test('big-endian pcapng with a .pcap name (scapy pfcp.pcap)', async () => {
  const { summary } = await readAll(real('scapy__pfcp.pcap'));
  assert.equal(summary.format, 'pcapng');
  assert.equal(summary.bigEndian, true);
  assert.equal(summary.records, 200);
  assert.equal(summary.interfaces[0].linkType, 101);
});

test('a later section with version 2.0 stops reading there (gopacket test901)', async () => {
  const { summary, records } = await readAll(malformed('gopacket__le_test901.pcapng'));
  assert.equal(records.length, 1);
  assert.equal(summary.stoppedEarly, true);
  assert.deepEqual(summary.errors, [
    {
      offset: 480,
      fatal: true,
      message: 'section header block 4 at byte 480 has pcapng version 2.0; only version 1.x can be read, so reading stopped here',
    },
  ]);
});

test('a first section with an unknown version is not a readable capture', async () => {
  await assert.rejects(readAll(malformed('libpcap__pcapng-invalid-vers-1.pcapng')), (e: unknown) => {
    assert.ok(e instanceof CaptureFormatError);
    assert.match(e.message, /pcapng version 0\.1/);
    return true;
  });
});

const LE = true;

test('interface options: name, description, tsresol, tsoffset, fcslen, comment', async () => {
  const file = tempFile(
    'options.pcapng',
    Buffer.concat([
      shb(LE, [{ code: 1, value: 'section one' }]),
      idb(LE, 1, 262144, [
        { code: 2, value: 'eth9' },
        { code: 3, value: 'uplink\0' },
        { code: 9, value: optionValue(LE, 3, 1) },
        { code: 14, value: optionValue(LE, 1_000_000_000n, 8) },
        { code: 13, value: optionValue(LE, 4, 1) },
        { code: 1, value: 'first' },
        { code: 1, value: 'second' },
      ]),
      epb(LE, 0, 5_123n, counting(14), { origLen: 1514, options: [{ code: 1, value: 'look here' }, { code: 2, value: new Uint8Array(4) }] }),
    ]),
  );
  const { summary, records } = await readAll(file);
  assert.deepEqual(summary.errors, []);
  assert.deepEqual(summary.sectionComments, ['section one']);
  assert.deepEqual(summary.interfaces, [
    {
      ifIndex: 0, linkType: 1, snaplen: 262144, name: 'eth9', description: 'uplink',
      tsUnitsPerSec: 1000, tsOffsetSec: 1_000_000_000, fcsLen: 4, comments: ['first', 'second'],
    },
  ]);
  assert.equal(records.length, 1);
  assert.equal(epoch(records[0]), '1000000005.123000000');
  assert.deepEqual(records[0].comments, ['look here']);
  assert.equal(records[0].caplen, 14);
  assert.equal(records[0].origLen, 1514);
  assert.deepEqual([...records[0].data], [...counting(14)]);
});

test('a corrupted block length is fatal at that block; earlier packets are kept', async () => {
  const head = Buffer.concat([shb(LE), idb(LE, 1, 0), epb(LE, 0, 1n, counting(20))]);
  const bad = epb(LE, 0, 2n, counting(20));
  bad.writeUInt32LE(0x7fff0001, 4); // not a multiple of 4, and absurdly large
  const file = tempFile('badlen.pcapng', Buffer.concat([head, bad, epb(LE, 0, 3n, counting(20))]));
  const { summary, records } = await readAll(file);
  assert.equal(records.length, 1);
  assert.equal(summary.stoppedEarly, true);
  assert.equal(summary.errors.length, 1);
  assert.equal(summary.errors[0].offset, head.length);
  assert.equal(summary.errors[0].fatal, true);
  assert.match(summary.errors[0].message, new RegExp(`^block 4 at byte ${head.length} \\(type 0x6\\) has length 2147418113`));
});

test('a trailer length that differs from the header length is fatal', async () => {
  const head = Buffer.concat([shb(LE), idb(LE, 1, 0)]);
  const body = new Bytes(LE).u32(0).u32(0).u32(1).u32(4).u32(4).raw(counting(4)).build();
  const file = tempFile('trailer.pcapng', Buffer.concat([head, block(LE, 6, body, undefined, 40)]));
  const { summary, records } = await readAll(file);
  assert.equal(records.length, 0);
  assert.deepEqual(summary.errors, [
    { offset: head.length, fatal: true, message: `block 3 at byte ${head.length} gives its length as 36 at the start but 40 at the end: the file is damaged from here` },
  ]);
});

test('an option running past its block is a note; the packet is still delivered', async () => {
  const overrun = new Bytes(LE).u16(1).u16(200).raw(Buffer.from('trunc')).pad4().build();
  const file = tempFile(
    'overrun.pcapng',
    Buffer.concat([shb(LE), idb(LE, 1, 0), epb(LE, 0, 7n, counting(8), { rawOptions: overrun }), epb(LE, 0, 8n, counting(8))]),
  );
  const { summary, records } = await readAll(file);
  assert.equal(records.length, 2);
  assert.equal(records[0].comments, undefined);
  assert.equal(summary.stoppedEarly, false);
  assert.equal(summary.errors.length, 1);
  assert.equal(summary.errors[0].fatal, false);
  assert.match(summary.errors[0].message, /runs past the end of the block/);
});

test('a packet block claiming more bytes than it holds, or an unknown interface, is skipped with a note', async () => {
  const file = tempFile(
    'claims.pcapng',
    Buffer.concat([
      shb(LE),
      idb(LE, 1, 0),
      epb(LE, 0, 1n, counting(8), { caplenField: 5000 }),
      epb(LE, 3, 2n, counting(8)),
      epb(LE, 0, 3n, counting(8)),
    ]),
  );
  const { summary, records } = await readAll(file);
  assert.equal(records.length, 1);
  assert.equal(epoch(records[0]), '0.000003000');
  assert.deepEqual(summary.errors.map((e) => e.fatal), [false, false]);
  assert.match(summary.errors[0].message, /claims 5000 captured bytes but holds only 8/);
  assert.match(summary.errors[1].message, /names interface 3, but its section defines 1/);
});

test('SPB caplen is limited by the interface snaplen; interfaces reset per section', async () => {
  const BE = false;
  const file = tempFile(
    'spb.pcapng',
    Buffer.concat([
      shb(LE),
      idb(LE, 101, 16),
      spb(LE, 100, counting(16)),
      shb(BE),
      idb(BE, 1, 0),
      idb(BE, 228, 0),
      spb(BE, 60, counting(60)),
      epb(BE, 1, 1_000_000n, counting(20)),
    ]),
  );
  const { summary, records } = await readAll(file);
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.bigEndian, false);
  assert.deepEqual(records.map((r) => [r.ifIndex, r.linkType, r.caplen, r.origLen]), [
    [0, 101, 16, 100],
    [1, 1, 60, 60],
    [2, 228, 20, 20],
  ]);
  assert.equal(epoch(records[2]), '1.000000000');
});

test('custom and unknown blocks are skipped (hadrielk le_test017)', async () => {
  const { summary } = await readAll(malformed('hadrielk__le_test017.pcapng'));
  assert.equal(summary.records, 0);
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.stoppedEarly, false);
});

test('the obsolete Packet Block (16-bit interface id) is read like an EPB', async () => {
  const comment = new Bytes(LE).u16(1).u16(3).raw(Buffer.from('old')).pad4().u16(0).u16(0).build();
  const body = new Bytes(LE).u16(1).u16(0).u32(0).u32(2_500_000).u32(6).u32(64).raw(counting(6)).pad4().raw(comment).build();
  const file = tempFile('pb.pcapng', Buffer.concat([shb(LE), idb(LE, 1, 0), idb(LE, 105, 0), block(LE, 2, body)]));
  const { summary, records } = await readAll(file);
  assert.deepEqual(summary.errors, []);
  assert.equal(records.length, 1);
  assert.deepEqual(
    { ...records[0], data: [...records[0].data] },
    {
      ifIndex: 1, linkType: 105, tsSec: 2, tsNsec: 500000000, caplen: 6, origLen: 64,
      fileOffset: 28 + 20 + 20, dataOffset: 28 + 20 + 20 + 28, data: [0, 1, 2, 3, 4, 5], comments: ['old'],
    },
  );
});
