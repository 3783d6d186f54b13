/**
 * Evidence as a query: for every finding on every generated incident and every real capture, the
 * stored per-role queries (display filter + time window) select exactly the finding's evidence
 * total, all of it and nothing else, and each role's query is exact.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { countPackets } from '../../electron/query/packet-query';
import { getFinding } from '../../electron/query/findings';
import { analyseCaptures } from '../unit/analysis/analysis-case';

// dist/test/integration → repo root.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const GENERATED = path.join(ROOT, 'test', 'fixtures', 'captures');
const REAL = path.resolve(ROOT, '..', 'shared', 'captures', 'real');
const skipReal = fs.existsSync(REAL) ? false : `real captures not found at ${REAL}`;

async function checkCapture(file: string): Promise<number> {
  const c = await analyseCaptures([file]);
  try {
    for (const f of c.findings) {
      const detail = getFinding(c.db, f.id);
      const inexact = detail.evidenceQueries.filter((q) => !q.exact).map((q) => `${q.role} (${q.total})`);
      assert.deepEqual(inexact, [], `${path.basename(file)} #${f.id} ${f.title}: roles without an exact query`);
      assert.equal(detail.evidenceQueries.reduce((n, q) => n + q.total, 0), f.evidenceTotal, `${f.title}: role totals`);
      for (const q of detail.evidenceQueries) {
        assert.equal(countPackets(c.db, { filter: q.filter, from: q.from, to: q.to }), q.total, `${f.title}: role ${q.role}: ${q.filter}`);
      }
      assert.equal(countPackets(c.db, { findingId: f.id }), f.evidenceTotal, `${path.basename(file)}: ${f.title}`);
    }
    return c.findings.length;
  } finally {
    c.close();
  }
}

describe('evidence queries reproduce every finding\'s evidence exactly', () => {
  test('generated incidents', async () => {
    let findings = 0;
    for (const name of fs.readdirSync(GENERATED).filter((n) => n.endsWith('.pcap')).sort()) findings += await checkCapture(path.join(GENERATED, name));
    assert.ok(findings >= 10, `only ${findings} findings over the generated incidents`);
  });

  test('real captures', { skip: skipReal }, async () => {
    for (const name of fs.readdirSync(REAL).sort()) await checkCapture(path.join(REAL, name));
  });
});
