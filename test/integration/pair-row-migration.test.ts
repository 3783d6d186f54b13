/**
 * Migrations 0011-0014 (a flow's graph summary row: the flow_pairs map of 0011-0012, then
 * flows.pair_row, then a summary keyed by an INTEGER PRIMARY KEY) on a case saved by schema 10 to 13:
 * the first writable open numbers every flow with its summary row, says so in the custody log, and
 * the graph reads the same;
 * a read-only open of the old case is refused with the reason, and the case is left as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { analyseCaptures } from '../unit/analysis/analysis-case';
import { graphPairsCurrent } from '../../db/graph-pair-summary';
import { openCase } from '../../db/open-case';
import { readCustody, verifyCustodyChain } from '../../db/custody';
import { hostGraph } from '../../electron/query/host-graph';
import { repoRoot } from '../support/repo-paths';

const SYN_FLOOD = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');

for (const from of [10, 11, 12, 13]) {
  test(`a schema-${from} case gets its flows numbered on the first writable open, with the same graph`, async () => {
    const c = await analyseCaptures([SYN_FLOOD]);
    const file = path.join(c.dir, 'case.flowcase');
    try {
      const scopes = [{}, { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' }, { filter: 'tcp.port == 443', group: 24 as const }];
      const before = scopes.map((q) => hostGraph(c.db, q));
      const flows = c.db.prepare('SELECT count(*) FROM flows').pluck().get() as number;
      assert.ok(flows > 1000, 'the flood has its thousands of flows');
      c.db.close();

      // What schema 10 left: no numbering, a summary with its coverage record; 11 and 12: the map table.
      const old = new Database(file);
      if (from === 13) old.exec('UPDATE flows SET pair_row = NULL'); // 13: the column, with a summary keyed by rowid
      else old.exec('ALTER TABLE flows DROP COLUMN pair_row');
      if (from === 11) old.exec('CREATE TABLE flow_pairs (flow_id INTEGER PRIMARY KEY, pair_row INTEGER NOT NULL) STRICT');
      if (from === 12) old.exec('CREATE TABLE flow_pairs (flow_id INTEGER PRIMARY KEY, pair_row INTEGER NOT NULL, orig_id INTEGER NOT NULL, loop_port INTEGER) STRICT');
      old.pragma(`user_version = ${from}`);
      old.close();
      const bytes = fs.readFileSync(file);
      assert.throws(() => openCase(file, { readonly: true }), /needs a schema upgrade; open it writable once/);
      assert.ok(fs.readFileSync(file).equals(bytes), 'a refused read-only open changes nothing');

      const db = openCase(file);
      try {
        assert.equal(db.pragma('user_version', { simple: true }), 14);
        assert.ok(graphPairsCurrent(db), 'the summary was rebuilt with its flow numbering');
        assert.equal(db.prepare('SELECT count(*) FROM flows WHERE pair_row IS NULL').pluck().get(), 0);
        assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'flow_pairs'").pluck().get(), 0, 'the map table is gone');
        assert.deepEqual(scopes.map((q) => hostGraph(db, q)), before);
        const last = readCustody(db).at(-1)!;
        assert.deepEqual([last.action, JSON.parse(last.details)], ['case.schema-upgraded', { fromSchema: from, toSchema: 14 }]);
        assert.equal(verifyCustodyChain(db).ok, true);
        // VACUUM keeps the summary's ids (an INTEGER PRIMARY KEY), so flows still name their rows
        // even when the ids have a gap (here: the first row removed, as a test would).
        db.exec('DELETE FROM graph_pairs WHERE id = 1');
        db.exec('VACUUM');
        assert.equal(db.prepare(`SELECT count(*) FROM flows f JOIN graph_pairs g ON g.id = f.pair_row
          WHERE NOT (g.a = f.orig_id AND g.b = f.resp_id AND g.ip_proto IS f.ip_proto AND g.port IS f.resp_port AND g.service IS f.service)`).pluck().get(), 0);
        assert.ok((db.prepare('SELECT count(*) FROM flows WHERE pair_row > 1').pluck().get() as number) > 0);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(c.dir, { recursive: true, force: true });
    }
  });
}
