/**
 * Records the Protocol and Info columns that ingest stored per packet before Info was derived from
 * the capture bytes at page time (issue 11), so the derived Info can be checked against it:
 * test/unit/query/info-baseline.test.ts. Run once, from a build of the code that still stored Info:
 *
 *   npm run build:node && node scripts/record-info-baseline.mjs
 *
 * Writes test/fixtures/info/baseline.json.gz: per capture (keyed by the folder it came from and its
 * name) the file's SHA-256, the packet count, and every packet's [protocol, info] in frame order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { indexCaptures } = require(path.join(root, 'dist/electron/ingest/index-captures.js'));
const { openCase } = require(path.join(root, 'dist/db/open-case.js'));

const SOURCES = [
  ['fixtures', path.join(root, 'test/fixtures/captures')],
  ['shared-real', path.join(root, '../shared/captures/real')],
  ['shared-malformed', path.join(root, '../shared/captures/malformed')],
];

const out = { recordedAt: new Date().toISOString(), note: 'Protocol and Info as stored by ingest before issue 11', captures: {} };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'info-baseline-'));
try {
  for (const [label, dir] of SOURCES) {
    if (!fs.existsSync(dir)) { console.error(`skip ${dir}: absent`); continue; }
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!fs.statSync(file).isFile() || name.endsWith('.md') || name.endsWith('.tsv')) continue;
      const casePath = path.join(tmp, `${label}-${name}.flowcase`);
      let result;
      try { result = await indexCaptures({ casePath, captures: [file], detect: false }); } catch (err) { console.error(`${name}: ${err.message}`); continue; }
      const db = openCase(casePath, { readonly: true });
      const rows = db.prepare('SELECT proto, info FROM packets ORDER BY id').raw().all();
      db.close();
      out.captures[`${label}/${name}`] = { sha256: result.captures[0].sha256, packets: rows.length, rows };
      console.error(`${label}/${name}: ${rows.length} packets`);
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const target = path.join(root, 'test/fixtures/info/baseline.json.gz');
fs.writeFileSync(target, zlib.gzipSync(JSON.stringify(out), { level: 9 }));
console.error(`wrote ${target}: ${fs.statSync(target).size} bytes`);
