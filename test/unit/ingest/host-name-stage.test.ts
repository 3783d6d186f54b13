import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCase, type CaseDb } from '../../../db/open-case';
import { HostNameStage, MAX_NAMED_ADDRS, MAX_NAMES_PER_ADDR } from '../../../electron/ingest/host-name-stage';
import { addressBytes } from '../../../electron/ingest/address-bytes';
import { tempDir } from '../../support/repo-paths';

type Pair = [addr: string, name: string];

/**
 * What the decode worker wrote before the names were staged in the case (its map of up to
 * MAX_NAMED_ADDRS addresses with up to MAX_NAMES_PER_ADDR names each, numbered by its address
 * dictionary at the end of the job): the stage must give exactly these rows.
 */
function workerModel(batches: Pair[][], nrb: Pair[], known: Map<string, number>, nextId: number) {
  const map = new Map<string, Set<string>>();
  for (const batch of batches) {
    for (const [addr, name] of batch) {
      if (map.size < MAX_NAMED_ADDRS || map.has(addr)) {
        let names = map.get(addr);
        if (!names) { names = new Set(); map.set(addr, names); }
        if (names.size < MAX_NAMES_PER_ADDR) names.add(name);
      }
    }
  }
  const ids = new Map(known);
  const newAddrs: Array<[number, string, string | null]> = [];
  const idOf = (addr: string) => {
    let id = ids.get(addr);
    if (id === undefined) {
      id = nextId++;
      ids.set(addr, id);
      const bytes = addressBytes(addr);
      newAddrs.push([id, addr, bytes ? Buffer.from(bytes).toString('hex').toUpperCase() : null]);
    }
    return id;
  };
  const rows: Array<[number, string, string]> = [];
  const seen = new Set<string>();
  const push = (row: [number, string, string]) => { const k = row.join('\u0000'); if (!seen.has(k)) { seen.add(k); rows.push(row); } };
  for (const [addr, names] of map) for (const name of names) push([idOf(addr), name, 'dns']);
  for (const [addr, name] of nrb) push([idOf(addr), name, 'nrb']);
  // host_names is keyed (addr_id, name, source), WITHOUT ROWID since migration 0010: compared in key order.
  rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
  return { rows, newAddrs };
}

/** A case whose `addrs` already holds the packets' addresses (ids 1..n), as when the worker's batches have been written. */
function caseWith(packetAddrs: string[]): { db: CaseDb; file: string } {
  const file = path.join(tempDir('flowcase-names-'), 'case.flowcase');
  const db = openCase(file);
  const ins = db.prepare('INSERT INTO addrs (id, addr, bin) VALUES (?, ?, ?)');
  packetAddrs.forEach((addr, i) => { const b = addressBytes(addr); ins.run(i + 1, addr, b ? Buffer.from(b) : null); });
  return { db, file };
}

function runStage(db: CaseDb, batches: Pair[][], nrb: Pair[], nextAddrId: number) {
  const stage = new HostNameStage(db);
  for (const batch of batches) db.transaction(() => stage.add(batch))();
  db.transaction(() => stage.finish(nextAddrId, nrb))();
  return {
    rows: db.prepare('SELECT addr_id, name, source FROM host_names ORDER BY addr_id, name, source').raw().all() as Array<[number, string, string]>,
    newAddrs: (db.prepare('SELECT id, addr, hex(bin) FROM addrs WHERE id >= ? ORDER BY id').raw().all(nextAddrId) as Array<[number, string, string]>)
      .map(([id, addr, bin]): [number, string, string | null] => [id, addr, bin === '' ? null : bin]),
  };
}

test('names from DNS answers: the rows, ids and order the worker\'s map gave, with the packets\' addresses keeping their ids', () => {
  const packetAddrs = ['10.0.0.1', '10.0.0.53', '192.0.2.7', '2001:db8::7'];
  const { db, file } = caseWith(packetAddrs);
  try {
    const batches: Pair[][] = [
      [['192.0.2.7', 'www.example.com'], ['198.51.100.9', 'cdn.example.net'], ['192.0.2.7', 'www.example.com']],
      [['2001:db8::99', 'v6.example.org'], ['198.51.100.9', 'img.example.net'], ['192.0.2.7', 'alias.example.com']],
      [], // a batch without DNS answers
      [['203.0.113.5', 'late.example'], ['2001:db8::7', 'host7.example']],
    ];
    const nrb: Pair[] = [['10.0.0.1', 'gateway.lan'], ['192.0.2.200', 'printer.lan'], ['198.51.100.9', 'cdn-local'], ['192.0.2.200', 'printer.lan']];
    const known = new Map(packetAddrs.map((a, i) => [a, i + 1]));
    const expected = workerModel(batches, nrb, known, packetAddrs.length + 1);
    const got = runStage(db, batches, nrb, packetAddrs.length + 1);
    assert.deepEqual(got, expected);
    // Spelled out: answer-only addresses numbered after the packets' in order of first answer, then NRB-only ones.
    assert.deepEqual(got.newAddrs.map(([id, addr]) => [id, addr]), [[5, '198.51.100.9'], [6, '2001:db8::99'], [7, '203.0.113.5'], [8, '192.0.2.200']]);
    assert.deepEqual(got.rows.slice(0, 4), [[1, 'gateway.lan', 'nrb'], [3, 'alias.example.com', 'dns'], [3, 'www.example.com', 'dns'], [4, 'host7.example', 'dns']]);
  } finally {
    db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('the caps: the first MAX_NAMED_ADDRS addresses named keep their names (later ones only if already kept), MAX_NAMES_PER_ADDR names each', () => {
  const packetAddrs = ['10.9.0.1', '10.9.0.2'];
  const { db, file } = caseWith(packetAddrs);
  try {
    const v4 = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const batches: Pair[][] = [];
    let batch: Pair[] = [];
    const emit = (pair: Pair) => { batch.push(pair); if (batch.length === 4096) { batches.push(batch); batch = []; } };
    // Twenty names for the first address (only the first 16 are kept), interleaved with the flood.
    for (let i = 0; i < MAX_NAMED_ADDRS + 500; i++) {
      emit([v4(1000 + i), `n${i}.example`]);
      if (i % 2500 === 0) emit([v4(1000), `extra${i}.example`]);
    }
    emit([v4(1000 + MAX_NAMED_ADDRS - 1), 'last-kept.example']); // kept: its address is in
    emit([v4(1000 + MAX_NAMED_ADDRS), 'over-the-cap.example']); // dropped: its address came too late
    emit(['10.9.0.2', 'packet-host.example']); // a packet address named after the cap: dropped as before
    batches.push(batch);
    const known = new Map(packetAddrs.map((a, i) => [a, i + 1]));
    const expected = workerModel(batches, [['10.9.0.1', 'nrb-name']], known, 3);
    const got = runStage(db, batches, [['10.9.0.1', 'nrb-name']], 3);
    assert.equal(got.rows.length, expected.rows.length);
    assert.deepEqual(got, expected);
    const firstNames = got.rows.filter(([id]) => id === 3).length;
    assert.equal(firstNames, MAX_NAMES_PER_ADDR);
    assert.ok(got.rows.some(([, name]) => name === 'last-kept.example'));
    assert.ok(!got.rows.some(([, name]) => name === 'over-the-cap.example' || name === 'packet-host.example'));
    assert.equal(got.newAddrs.length, MAX_NAMED_ADDRS);
  } finally {
    db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('the caps apply as names arrive: a flood of random answers stages at most MAX_NAMED_ADDRS addresses and MAX_NAMES_PER_ADDR names each', () => {
  const { db, file } = caseWith([]);
  try {
    const stage = new HostNameStage(db);
    const flood: Pair[] = [];
    for (let i = 0; i < MAX_NAMED_ADDRS + 2_000; i++) flood.push([`2001:db8::${i.toString(16)}`, `random${i}.example`]);
    for (let i = 0; i < 40; i++) flood.push(['2001:db8::0', `alias${i}.example`]);
    db.transaction(() => stage.add(flood))();
    assert.equal(db.prepare('SELECT count(*) FROM temp.named_addrs').pluck().get(), MAX_NAMED_ADDRS);
    assert.equal(db.prepare('SELECT count(*) FROM temp.dns_names_seen').pluck().get(), MAX_NAMED_ADDRS - 1 + MAX_NAMES_PER_ADDR);
    db.transaction(() => stage.finish(1, []))();
    assert.equal(db.prepare('SELECT count(*) FROM host_names').pluck().get(), MAX_NAMED_ADDRS - 1 + MAX_NAMES_PER_ADDR);
    assert.equal(db.prepare('SELECT count(*) FROM temp.dns_names_seen').pluck().get(), 0, 'the staging is emptied at the end');
  } finally {
    db.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
