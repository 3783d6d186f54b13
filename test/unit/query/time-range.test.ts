/**
 * Where ids follow time the case has no ts index and time ranges become id ranges
 * (electron/query/time-range.ts); where they do not, the ts index is built and used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../../electron/ingest/index-captures';
import { openCase, type CaseDb } from '../../../db/open-case';
import { countPackets, pagePackets } from '../../../electron/query/packet-query';
import { packetIdRange } from '../../../db/time-range';
import { repoRoot, tempDir } from '../../support/repo-paths';

const FIXTURE = path.join(repoRoot(), 'test/fixtures/captures/dns-servfail-burst.pcap');

function hasTsIndex(db: CaseDb): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'packets_by_ts'").get() !== undefined;
}

/** The reference answer: every packet in [from, to] by a plain scan. */
function idsBetween(db: CaseDb, from: bigint, to: bigint): number[] {
  return db.prepare('SELECT id FROM packets NOT INDEXED WHERE ts_ns BETWEEN ? AND ? ORDER BY id').pluck().all(from, to) as number[];
}

test('one capture in time order: no ts index, and time ranges page exactly as a scan finds them', async () => {
  const dir = tempDir('flowcase-tsorder-');
  try {
    const casePath = path.join(dir, 'c.flowcase');
    await indexCaptures({ casePath, captures: [FIXTURE] });
    const db = openCase(casePath, { readonly: true });
    try {
      assert.equal(hasTsIndex(db), false);
      const ts = db.prepare('SELECT ts_ns FROM packets ORDER BY id').safeIntegers(true).pluck().all() as bigint[];
      for (const [a, b] of [[10, 40], [0, ts.length - 1], [57, 57], [100, 119]]) {
        const from = ts[a], to = ts[b];
        const want = idsBetween(db, from, to);
        const got = pagePackets(db, { from: String(from), to: String(to), limit: 2000 }).rows.map((r) => r.id);
        assert.deepEqual(got, want, `[${a}, ${b}]`);
        assert.equal(countPackets(db, { from: String(from), to: String(to) }), want.length);
        const range = packetIdRange(db, from, to)!;
        assert.ok(range.first <= want[0] && range.last >= want[want.length - 1]);
      }
      // Between two packets, before the first, after the last: empty or exact.
      assert.deepEqual(pagePackets(db, { from: String(ts[0] - 10n), to: String(ts[0] - 1n) }).rows, []);
      assert.deepEqual(pagePackets(db, { from: String(ts[ts.length - 1] + 1n) }).rows, []);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('captures out of time order: the ts index is built and ranges stay exact', async () => {
  const dir = tempDir('flowcase-tsorder-');
  try {
    const casePath = path.join(dir, 'c.flowcase');
    const copy = path.join(dir, 'again.pcap');
    fs.copyFileSync(FIXTURE, copy);
    await indexCaptures({ casePath, captures: [FIXTURE, copy], allowDuplicate: true });
    const db = openCase(casePath, { readonly: true });
    try {
      assert.equal(hasTsIndex(db), true);
      assert.equal(packetIdRange(db, 0n, 1n), null);
      const ts = db.prepare('SELECT ts_ns FROM packets ORDER BY id').safeIntegers(true).pluck().all() as bigint[];
      const want = idsBetween(db, ts[20], ts[30]);
      assert.ok(want.length > 11, 'both captures hold the range');
      assert.deepEqual(pagePackets(db, { from: String(ts[20]), to: String(ts[30]), limit: 2000 }).rows.map((r) => r.id), want);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
