/**
 * Migration 0006 (narrower packet rows) applied to a case saved by the schema before it: the
 * protocol text becomes a code, caplen NULL when whole, and Info is kept only for gzip captures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { loadMigrations, openCase } from '../../../db/open-case';
import { tempDir } from '../../support/repo-paths';

test('a case of schema 2 opens migrated: protocol codes, caplen, Info only where the bytes cannot be read back', () => {
  const dir = tempDir('flowcase-migrate-');
  try {
    const file = path.join(dir, 'old.flowcase');
    const old = new Database(file);
    for (const m of loadMigrations().filter((m) => m.version <= 2)) old.exec(m.sql);
    old.pragma('user_version = 2');
    old.exec(`INSERT INTO captures (id, path, name, size, mtime_ms, sha256, format, compressed, imported_at) VALUES
      (1, '/x/a.pcap', 'a.pcap', 1, 1, '', 'pcap', 0, 'x'), (2, '/x/b.pcap.gz', 'b.pcap.gz', 1, 1, '', 'pcap', 1, 'x')`);
    const ins = old.prepare(`INSERT INTO packets (id, capture_id, frame_no, if_index, ts_ns, caplen, origlen, data_offset, ip_ver,
      src_id, dst_id, sport, dport, ip_proto, tcp_flags, proto, info, flow_id, flags) VALUES (?, ?, ?, 0, ?, ?, ?, 24, 4, 1, 2, 1, 2, 6, 2, ?, ?, 7, 0)`);
    ins.run(1, 1, 1, 1000, 60, 60, 'TCP', '1 → 2 [SYN]');
    ins.run(2, 1, 2, 2000, 40, 1500, 'DNS', 'Standard query');
    ins.run(3, 2, 1, 3000, 60, 60, 'TCP', 'stored for gzip');
    old.exec('CREATE INDEX packets_by_ts ON packets(ts_ns); CREATE INDEX packets_by_flow ON packets(flow_id);');
    old.close();

    const db = openCase(file);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), loadMigrations().at(-1)!.version);
      const rows = db.prepare('SELECT p.id, r.name AS proto, p.caplen, p.origlen, p.flow_id FROM packets p JOIN protocols r ON r.id = p.proto_id ORDER BY p.id').all();
      assert.deepEqual(rows, [
        { id: 1, proto: 'TCP', caplen: null, origlen: 60, flow_id: 7 },
        { id: 2, proto: 'DNS', caplen: 40, origlen: 1500, flow_id: 7 },
        { id: 3, proto: 'TCP', caplen: null, origlen: 60, flow_id: 7 },
      ]);
      assert.deepEqual(db.prepare('SELECT packet_id, info FROM packet_info').all(), [{ packet_id: 3, info: 'stored for gzip' }]);
      const cols = (db.prepare('PRAGMA table_info(packets)').all() as Array<{ name: string }>).map((c) => c.name);
      assert.ok(!cols.includes('info') && !cols.includes('proto'));
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'packets' ORDER BY name").pluck().all();
      assert.deepEqual(indexes, ['packets_by_flow', 'packets_by_ts']);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
