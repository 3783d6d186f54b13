import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCase, loadMigrations } from '../../../db/open-case';
import { appendCustody, canonicalJson, entryHash, GENESIS_HASH, readCustody, verifyCustodyChain } from '../../../db/custody';
import { tempDir } from '../../support/repo-paths';

function newCase(): { file: string; db: ReturnType<typeof openCase> } {
  const file = path.join(tempDir('flowcase-custody-'), 'c.flowcase');
  return { file, db: openCase(file) };
}

/** A second, raw connection with the append-only triggers dropped: what a tamperer could do. */
function tamper(file: string, fn: (raw: Database.Database) => void): void {
  const raw = new Database(file);
  raw.exec('DROP TRIGGER custody_append_only_update; DROP TRIGGER custody_append_only_delete;');
  try { fn(raw); } finally { raw.close(); }
}

test('a new case starts its log with case.created, and entries chain by SHA-256', () => {
  const { file, db } = newCase();
  appendCustody(db, 'capture.imported', { name: 'a.pcap', size: 10, sha256: 'ab'.repeat(32) }, { analyst: 'alice' });
  appendCustody(db, 'annotation.added', { id: 1, text: 'look' }, { analyst: 'bob' });
  const log = readCustody(db);
  assert.deepEqual(log.map((e) => [e.seq, e.action]), [[1, 'case.created'], [2, 'capture.imported'], [3, 'annotation.added']]);
  assert.equal(JSON.parse(log[0].details).path, path.resolve(file));
  assert.equal(log[1].analyst, 'alice');
  assert.match(log[1].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(log[1].details, '{"name":"a.pcap","sha256":"' + 'ab'.repeat(32) + '","size":10}', 'details are canonical JSON');
  // The documented formula, recomputed independently.
  let prev = GENESIS_HASH;
  for (const e of log) {
    assert.equal(e.hash, entryHash(prev, e));
    prev = e.hash;
  }
  assert.deepEqual(verifyCustodyChain(db), { ok: true, entries: 3, head: log[2].hash });
  db.close();
});

test('canonical JSON sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } }), '{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
});

test('triggers reject UPDATE and DELETE on the log', () => {
  const { db } = newCase();
  assert.throws(() => db.prepare("UPDATE custody SET analyst = 'mallory' WHERE seq = 1").run(), /append-only: entries cannot be changed/);
  assert.throws(() => db.prepare('DELETE FROM custody WHERE seq = 1').run(), /append-only: entries cannot be deleted/);
  assert.throws(() => db.prepare('DELETE FROM custody').run(), /append-only/);
  assert.equal(readCustody(db).length, 1);
  db.close();
});

test('a flipped byte in any field of any entry is found, at that entry', () => {
  const columns = ['at', 'analyst', 'host', 'app_version', 'action', 'details', 'hash'] as const;
  for (const target of [1, 3, 5]) {
    for (const column of columns) {
      const { file, db } = newCase();
      for (let i = 0; i < 4; i++) appendCustody(db, 'annotation.added', { id: i, text: `note ${i}` });
      db.close();
      tamper(file, (raw) => {
        const value = raw.prepare(`SELECT ${column} AS v FROM custody WHERE seq = ?`).pluck().get(target) as string;
        // Flip one bit of one character in the middle of the stored text.
        const i = Math.floor(value.length / 2);
        const flipped = value.slice(0, i) + String.fromCharCode(value.charCodeAt(i) ^ 1) + value.slice(i + 1);
        raw.prepare(`UPDATE custody SET ${column} = ? WHERE seq = ?`).run(flipped, target);
      });
      const again = openCase(file, { readonly: true });
      const check = verifyCustodyChain(again);
      again.close();
      assert.equal(check.ok, false, `${column} of entry ${target}`);
      assert.equal(check.brokenAt, target, `${column} of entry ${target}: ${check.problem}`);
      assert.match(check.problem!, /altered/);
    }
  }
});

test('a deleted entry, and a forged entry with a recomputed hash, are found', () => {
  {
    const { file, db } = newCase();
    for (let i = 0; i < 4; i++) appendCustody(db, 'x', { i });
    db.close();
    tamper(file, (raw) => raw.prepare('DELETE FROM custody WHERE seq = 3').run());
    const again = openCase(file, { readonly: true });
    const check = verifyCustodyChain(again);
    again.close();
    assert.equal(check.brokenAt, 4);
    assert.match(check.problem!, /entry 3 is missing/);
  }
  {
    // Forging entry 2 with a recomputed hash still breaks entry 3, which chains from the old hash.
    const { file, db } = newCase();
    for (let i = 0; i < 3; i++) appendCustody(db, 'x', { i });
    db.close();
    tamper(file, (raw) => {
      const e2 = readCustody(raw as never).find((e) => e.seq === 2)!;
      const prev = readCustody(raw as never).find((e) => e.seq === 1)!.hash;
      const forged = { ...e2, details: '{"i":99}' };
      raw.prepare('UPDATE custody SET details = ?, hash = ? WHERE seq = 2').run(forged.details, entryHash(prev, forged));
    });
    const again = openCase(file, { readonly: true });
    const check = verifyCustodyChain(again);
    again.close();
    assert.equal(check.brokenAt, 3);
  }
});

test('a case written by schema 2 is upgraded: annotations and capture comments carried over, custody started', () => {
  const file = path.join(tempDir('flowcase-custody-'), 'old.flowcase');
  const raw = new Database(file);
  for (const m of loadMigrations().filter((x) => x.version <= 2)) raw.exec(m.sql);
  raw.pragma('user_version = 2');
  raw.exec(`INSERT INTO captures (id, path, name, size, mtime_ms, sha256, format, status, imported_at) VALUES (1, '/x/a.pcapng', 'a.pcapng', 1, 0, 'aa', 'pcapng', 'complete', '2025-01-01T00:00:00Z');
    INSERT INTO packets (id, capture_id, frame_no, if_index, ts_ns, caplen, origlen, data_offset, ip_ver, proto, info, flags) VALUES (1, 1, 1, 0, 1, 60, 60, 0, 0, 'ETH', '', 0);
    INSERT INTO capture_comments (capture_id, scope, packet_id, text) VALUES (1, 'packet', 1, 'from the capture'), (1, 'section', NULL, 'section note');
    INSERT INTO annotations (packet_id, text, tags, author, created_at, updated_at) VALUES (1, 'old note', '["todo"]', 'carol', 't', 't');`);
  raw.close();
  const db = openCase(file);
  const rows = db.prepare('SELECT target_kind, target_ref, text, source, author FROM annotations ORDER BY id').all();
  assert.deepEqual(rows, [
    { target_kind: 'packet', target_ref: '1', text: 'old note', source: 'analyst', author: 'carol' },
    { target_kind: 'packet', target_ref: '1', text: 'from the capture', source: 'capture-comment', author: 'capture file a.pcapng' },
    { target_kind: 'case', target_ref: '', text: 'section note', source: 'capture-comment', author: 'capture file a.pcapng' },
  ]);
  assert.equal((db.prepare('SELECT count(*) FROM annotation_versions').pluck().get()), 3);
  const log = readCustody(db);
  assert.deepEqual(log.map((e) => e.action), ['custody.started']);
  assert.equal(JSON.parse(log[0].details).fromSchema, 2);
  db.close();
});
