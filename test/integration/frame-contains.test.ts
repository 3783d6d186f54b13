/**
 * `frame contains`, `tcp contains` and `udp contains` (issue 13 point 5): the packet counts of each
 * filter on real and generated captures equal tshark's (recorded in
 * test/fixtures/dissection/contains-counts.json by scripts/tshark-dissection-reference.mjs), and the
 * search is bounded: past its time budget a statement stops with a filter error that says what to
 * do, the byte searches run after the cheap tests of an `&&`, and a missing capture is named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { compileFilter } from '../../electron/query/display-filter/index';
import { containsBudget } from '../../electron/query/display-filter/frame-contains';
import { countPackets, pagePackets } from '../../electron/query/packet-query';
import { repoRoot, tempDir } from '../support/repo-paths';

const ROOT = repoRoot();
const DIR = path.join(ROOT, 'test', 'fixtures', 'dissection');
const REAL = process.env.FLOWCASE_REAL_CAPTURES ?? path.resolve(ROOT, '..', 'shared', 'captures', 'real');
const recorded = JSON.parse(fs.readFileSync(path.join(DIR, 'contains-counts.json'), 'utf8')) as { tshark: string; counts: Record<string, Record<string, number>> };
const tmp = tempDir('flowcase-contains-');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function caseOf(file: string): Promise<string> {
  const casePath = path.join(tmp, path.basename(file) + '.flowcase');
  if (!fs.existsSync(casePath)) await indexCaptures({ casePath, captures: [file] });
  return casePath;
}

for (const [capture, counts] of Object.entries(recorded.counts)) {
  const file = fs.existsSync(path.join(DIR, capture)) ? path.join(DIR, capture) : path.join(REAL, capture);
  const skip = fs.existsSync(file) ? false : `${capture} is not at ${file} (the shared captures folder beside the checkout)`;
  test(`contains on ${capture}: the same packet counts as tshark ${recorded.tshark}`, { skip }, async () => {
    const db = openCase(await caseOf(file), { readonly: true });
    try {
      const ours = Object.fromEntries(Object.keys(counts).map((filter) => [filter, countPackets(db, { filter })]));
      assert.deepEqual(ours, counts);
      assert.ok(Object.values(counts).some((n) => n > 0), 'some filter matches on this capture, so the comparison can fail');
    } finally {
      db.close();
    }
  });
}

test('a byte search past its time budget stops with a filter error naming what to do', async (t) => {
  const db = openCase(await caseOf(path.join(ROOT, 'test', 'fixtures', 'captures', 'syn-flood-443.pcap')), { readonly: true });
  t.after(() => { containsBudget.ms = 2000; db.close(); });
  assert.equal(countPackets(db, { filter: 'frame contains "GET"' }), 31); // tshark -Y 'frame contains "GET"': 31 of 10,592
  containsBudget.ms = -1;
  assert.throws(() => countPackets(db, { filter: 'frame contains "GET"' }),
    (e: Error) => e.name === 'FilterError' && /searched the bytes of \d[\d,]* packets .* and stopped: narrow the scope/.test(e.message) &&
      (e as Error & { position: number }).position === 6);
  // The budget is per statement: once the event loop turns, the next search starts afresh.
  containsBudget.ms = 2000;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(pagePackets(db, { filter: 'tcp contains 16:03', limit: 5 }).rows.length, 5);
});

test('byte searches run after the other tests of an &&, and values are strings or hex bytes', () => {
  const f = compileFilter('frame contains "GET" && tcp.port == 80', { firstTsNs: 0n });
  assert.ok(f.sql.indexOf('flowcase_contains') > f.sql.indexOf('p.ip_proto = 6'), f.sql);
  assert.deepEqual(f.params.at(-1), Buffer.from('GET'));
  assert.deepEqual(compileFilter('udp contains 0a:0B-0c.0d', { firstTsNs: 0n }).params, [Buffer.from([10, 11, 12, 13])]);
  assert.throws(() => compileFilter('frame contains GET', { firstTsNs: 0n }), /neither a quoted string nor bytes such as 0a:0b:0c at column 16/);
  assert.throws(() => compileFilter('frame contains ""', { firstTsNs: 0n }), /at least one byte/);
  assert.throws(() => compileFilter('ip contains "x"', { firstTsNs: 0n }), /ip is a protocol and can only be tested for presence/);
});

test('without its capture, a byte search says which capture it needs', async () => {
  const copy = path.join(tmp, 'moved-away.pcap');
  fs.copyFileSync(path.join(DIR, 'tcp-streams.pcap'), copy);
  const casePath = path.join(tmp, 'moved.flowcase');
  await indexCaptures({ casePath, captures: [copy] });
  fs.rmSync(copy);
  const db = openCase(casePath, { readonly: true });
  try {
    assert.throws(() => countPackets(db, { filter: 'frame contains "GET"' }), /"contains" needs the packet bytes, but moved-away\.pcap is missing \(relocate it\)/);
    assert.equal(countPackets(db, { filter: 'tcp.port == 443' }), 9); // the rest of the case works
  } finally {
    db.close();
  }
});
