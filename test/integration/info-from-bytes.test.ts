/**
 * The Info column is derived from the packets' bytes when a page is shown (electron/query/packet-info.ts).
 * test/fixtures/info/baseline.json.gz holds the Protocol and Info that ingest stored for every packet
 * before that change (scripts/record-info-baseline.mjs): the derived text must equal it, packet for
 * packet, for the committed fixtures and for every capture of the shared corpus when it is present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { pagePackets } from '../../electron/query/packet-query';
import { repoRoot, sharedCaptures, SHARED_MISSING, tempDir } from '../support/repo-paths';

interface BaselineCapture { sha256: string; packets: number; rows: Array<[proto: string, info: string]> }

const baseline = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(repoRoot(), 'test/fixtures/info/baseline.json.gz'))).toString('utf8')) as
  { captures: Record<string, BaselineCapture> };

const FOLDERS: Record<string, () => string | null> = {
  fixtures: () => path.join(repoRoot(), 'test/fixtures/captures'),
  'shared-real': () => { const d = sharedCaptures(); return d && path.join(d, 'real'); },
  'shared-malformed': () => { const d = sharedCaptures(); return d && path.join(d, 'malformed'); },
};

/** Every packet's [protocol, info] as the packet list shows them, paged through the whole case. */
async function shownRows(capture: string, work: string): Promise<Array<[string, string]>> {
  const casePath = path.join(work, `${path.basename(capture)}.flowcase`);
  await indexCaptures({ casePath, captures: [capture] });
  const db = openCase(casePath, { readonly: true });
  try {
    const out: Array<[string, string]> = [];
    let after = 0;
    for (;;) {
      const page = pagePackets(db, { after, limit: 2000 });
      for (const r of page.rows) out.push([r.proto, r.info]);
      if (!page.hasMore) break;
      after = page.rows[page.rows.length - 1].id;
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * Packets whose Info changed on purpose since the baseline: a decoder added later (issue 11's link
 * decoders). Each names the frame, the row now shown, and that tshark shows the same.
 */
const CHANGED_SINCE_BASELINE: Array<{ key: string; frame: number; now: [string, string]; why: string }> = [
  { key: 'shared-malformed/tcpdump__icmp-cksum-oobr-4.pcapng', frame: 1, now: ['ICMP', 'Time-to-live exceeded (Time to live exceeded in transit)'],
    why: 'LINKTYPE_PPP is decoded now (it was "Link type 9 (not decoded)"); tshark 4.0 shows this ICMP Protocol and Info' },
];

function expectedRows(key: string, rows: Array<[string, string]>): Array<[string, string]> {
  const out = rows.slice();
  for (const c of CHANGED_SINCE_BASELINE) if (c.key === key) out[c.frame - 1] = c.now;
  return out;
}

function firstDifference(got: Array<[string, string]>, want: Array<[string, string]>): string {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (JSON.stringify(got[i]) !== JSON.stringify(want[i])) return `frame ${i + 1}: shown ${JSON.stringify(got[i])}, stored before ${JSON.stringify(want[i])}`;
  }
  return 'equal';
}

for (const [folder, dirOf] of Object.entries(FOLDERS)) {
  const dir = dirOf();
  const present = dir !== null && fs.existsSync(dir);
  test(`Info derived from bytes equals the stored Info of before, for every packet (${folder})`, { skip: present ? false : SHARED_MISSING }, async () => {
    const work = tempDir('flowcase-info-');
    try {
      const names = Object.keys(baseline.captures).filter((k) => k.startsWith(folder + '/'));
      assert.ok(names.length > 0, `the baseline lists captures of ${folder}`);
      for (const key of names) {
        const want = baseline.captures[key];
        const file = path.join(dir!, key.slice(folder.length + 1));
        assert.ok(fs.existsSync(file), `${file} is in the baseline but not on disk`);
        const got = await shownRows(file, work);
        assert.equal(got.length, want.packets, `${key}: packet count`);
        const rows = expectedRows(key, want.rows);
        assert.ok(JSON.stringify(got) === JSON.stringify(rows), `${key}: ${firstDifference(got, rows)}`);
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
}

test('a gzip capture shows the Info stored at ingest, equal to the plain file\'s derived Info', async () => {
  const work = tempDir('flowcase-info-gz-');
  try {
    const plain = path.join(repoRoot(), 'test/fixtures/captures/dns-servfail-burst.pcap');
    const gz = path.join(work, 'dns-servfail-burst.pcap.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain)));
    const want = baseline.captures['fixtures/dns-servfail-burst.pcap'].rows;
    assert.deepEqual(await shownRows(gz, work), want);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test('when the capture is missing, rows keep their columns and Info says it needs the capture', async () => {
  const work = tempDir('flowcase-info-missing-');
  try {
    const capture = path.join(work, 'moved.pcap');
    fs.copyFileSync(path.join(repoRoot(), 'test/fixtures/captures/dns-servfail-burst.pcap'), capture);
    const casePath = path.join(work, 'c.flowcase');
    await indexCaptures({ casePath, captures: [capture] });
    fs.rmSync(capture);
    const db = openCase(casePath, { readonly: true });
    try {
      const page = pagePackets(db, { limit: 5, filter: 'dns' });
      assert.equal(page.rows.length, 5);
      for (const r of page.rows) {
        assert.equal(r.proto, 'DNS');
        assert.ok(r.src && r.dst && r.length > 0);
        assert.match(r.info, /^\[Info needs the capture: moved\.pcap is missing/);
      }
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
