/**
 * Migrations 0011-0012 (flow_pairs) on a case saved by schema 10 or 11: the first writable open maps
 * every flow to its graph summary row and originator, says so in the custody log, and the graph reads
 * the same;
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

for (const from of [10, 11]) {
  test(`a schema-${from} case gets its flow map on the first writable open, with the same graph`, async () => {
    const c = await analyseCaptures([SYN_FLOOD]);
    const file = path.join(c.dir, 'case.flowcase');
    try {
      const scopes = [{}, { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' }, { filter: 'tcp.port == 443', group: 24 as const }];
      const before = scopes.map((q) => hostGraph(c.db, q));
      const flows = c.db.prepare('SELECT count(*) FROM flows').pluck().get() as number;
      assert.ok(flows > 1000, 'the flood has its thousands of flows');
      c.db.close();

      // What schema 10 left: no flow map, a summary with its coverage record; 11: the map without originators.
      const old = new Database(file);
      old.exec('DROP TABLE flow_pairs');
      if (from === 11) old.exec('CREATE TABLE flow_pairs (flow_id INTEGER PRIMARY KEY, pair_row INTEGER NOT NULL) STRICT');
      old.pragma(`user_version = ${from}`);
      old.close();
      const bytes = fs.readFileSync(file);
      assert.throws(() => openCase(file, { readonly: true }), /needs a schema upgrade; open it writable once/);
      assert.ok(fs.readFileSync(file).equals(bytes), 'a refused read-only open changes nothing');

      const db = openCase(file);
      try {
        assert.equal(db.pragma('user_version', { simple: true }), 12);
        assert.ok(graphPairsCurrent(db), 'the summary was rebuilt with its flow map');
        assert.equal(db.prepare('SELECT count(*) FROM flows f LEFT JOIN flow_pairs fp ON fp.flow_id = f.id WHERE fp.pair_row IS NULL OR fp.orig_id != f.orig_id').pluck().get(), 0);
        assert.deepEqual(scopes.map((q) => hostGraph(db, q)), before);
        const last = readCustody(db).at(-1)!;
        assert.deepEqual([last.action, JSON.parse(last.details)], ['case.schema-upgraded', { fromSchema: from, toSchema: 12 }]);
        assert.equal(verifyCustodyChain(db).ok, true);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(c.dir, { recursive: true, force: true });
    }
  });
}
