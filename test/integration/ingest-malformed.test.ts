import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sharedCaptures, SHARED_MISSING, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

const shared = sharedCaptures();
const work = tempDir();

/** Index one file with the real CLI under a small heap; return the result and what the case recorded. */
async function indexFile(file: string) {
  const out = path.join(work, path.basename(file) + '.flowcase');
  const r = await runCli(['index', file, '-o', out, '--force'], { timeoutMs: 60_000, maxOldSpaceMb: 200 });
  let packets = -1;
  let errors: Array<{ offset: number; message: string; fatal: number }> = [];
  if (fs.existsSync(out)) {
    const db = new Database(out, { readonly: true });
    packets = (db.prepare('SELECT count(*) AS n FROM packets').get() as { n: number }).n;
    errors = db.prepare('SELECT offset, message, fatal FROM read_errors').all() as typeof errors;
    db.close();
  }
  return { ...r, packets, errors };
}

function assertClean(name: string, r: Awaited<ReturnType<typeof indexFile>>): void {
  assert.notEqual(r.signal, 'SIGKILL', `${name}: hung (killed after the timeout)`);
  assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${name}: exit ${r.code}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/, `${name}: crashed:\n${r.stderr}`);
  if (r.code !== 0) {
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('flowcase:'));
    assert.ok(lines.length >= 1, `${name}: a failure must say why on stderr`);
    assert.ok(lines.every((l) => l.length < 400), `${name}: error lines must be short and clear`);
  }
  for (const e of r.errors) assert.ok(Number.isInteger(e.offset) && e.offset >= 0, `${name}: error offset ${e.offset}`);
}

test('every malformed capture in ../shared goes through `flowcase index` without crash or hang', { skip: shared ? false : SHARED_MISSING, timeout: 600_000 }, async () => {
  const dir = path.join(shared!, 'malformed');
  const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
  assert.ok(files.length >= 60, `expected the malformed corpus, found ${files.length} files`);
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const r = await indexFile(path.join(dir, f));
      assertClean(f, r);
      if (r.code === 1) assert.ok(r.errors.some((e) => e.fatal === 1), `${f}: exit 1 must come with a recorded read error`);
    }
  };
  await Promise.all([worker(), worker()]);
});

test('a damaged tail keeps everything before it, with the byte offset (smtp capture: 18 good packets)', { skip: shared ? false : SHARED_MISSING }, async () => {
  const r = await indexFile(path.join(shared!, 'malformed', 'suricata__smtp-to-comma__10.7.29.101_49898-178.63.41.150_25.pcap'));
  assert.equal(r.code, 1);
  assert.equal(r.packets, 18);
  const fatal = r.errors.find((e) => e.fatal === 1)!;
  assert.ok(fatal.offset > 0);
  assert.match(r.stderr, new RegExp(`byte ${fatal.offset}`));
});

/** Crafted bad inputs, each a file a user might point Flowcase at by mistake or receive damaged. */
function pcapHeader(snaplen = 65535, linkType = 1): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(4, 6);
  b.writeUInt32LE(snaplen, 16); b.writeUInt32LE(linkType, 20);
  return b;
}
function pcapRecord(len: number, caplen = len, sec = 1_700_000_000): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(sec, 0); h.writeUInt32LE(0, 4); h.writeUInt32LE(caplen, 8); h.writeUInt32LE(len, 12);
  const body = Buffer.alloc(Math.min(len, caplen), 0x41);
  return Buffer.concat([h, body]);
}

test('crafted bad inputs: PNG, empty, text, absurd caplen, broken pcapng block, cut mid-record', async () => {
  const cases: Array<{ name: string; bytes: Buffer; code: number; packets?: number; message: RegExp }> = [
    { name: 'image.png', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), code: 2, message: /not a pcap or pcapng/i },
    { name: 'empty.pcap', bytes: Buffer.alloc(0), code: 2, message: /empty|not a pcap/i },
    { name: 'notes.txt', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'), code: 2, message: /not a pcap or pcapng/i },
    { name: 'absurd-caplen.pcap', bytes: Buffer.concat([pcapHeader(), pcapRecord(60), pcapRecord(60), pcapRecord(300_000, 300_000).subarray(0, 16)]), code: 1, packets: 2, message: /byte 176/ },
    { name: 'cut-mid-record.pcap', bytes: Buffer.concat([pcapHeader(), pcapRecord(60), pcapRecord(60), pcapRecord(60)]).subarray(0, 24 + 76 * 2 + 30), code: 1, packets: 2, message: /byte 176/ },
  ];
  // pcapng: SHB + IDB + one EPB, then a block whose total length is not a multiple of 4.
  const shb = Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000', 'hex');
  const idb = Buffer.from('01000000140000000100000000000400' + '14000000', 'hex');
  const epbBody = Buffer.alloc(60, 0x42);
  const epb = Buffer.alloc(32 + 60);
  epb.writeUInt32LE(6, 0); epb.writeUInt32LE(92, 4); epb.writeUInt32LE(0, 8); epb.writeUInt32LE(0, 12); epb.writeUInt32LE(1, 16);
  epb.writeUInt32LE(60, 20); epb.writeUInt32LE(60, 24); epbBody.copy(epb, 28); epb.writeUInt32LE(92, 88);
  const bad = Buffer.alloc(16); bad.writeUInt32LE(6, 0); bad.writeUInt32LE(0x7fff_fff3, 4);
  cases.push({ name: 'bad-block-length.pcapng', bytes: Buffer.concat([shb, idb, epb, bad]), code: 1, packets: 1, message: new RegExp(`byte ${shb.length + idb.length + epb.length}`) });

  for (const c of cases) {
    const file = path.join(work, c.name);
    fs.writeFileSync(file, c.bytes);
    const before = fs.readFileSync(file);
    const r = await indexFile(file);
    assertClean(c.name, r);
    assert.equal(r.code, c.code, `${c.name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, c.message, `${c.name}: ${r.stderr}`);
    if (c.packets !== undefined) assert.equal(r.packets, c.packets, c.name);
    assert.ok(fs.readFileSync(file).equals(before), `${c.name}: the source capture must not be modified`);
  }
});
