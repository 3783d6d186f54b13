import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFinding, listFindings } from '../../../electron/query/findings';
import { ApiFailure } from '../../../electron/ipc/api-failure';
import { buildArpNormal, buildArpSpoof, buildDnsPortUnreachable, buildVerticalScan } from '../../support/make-fixtures';
import { writePcap } from '../../support/pcap-writer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseCaptures, AnalysedCase } from './analysis-case';

describe('findings queries', () => {
  let c: AnalysedCase;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-fq-'));
    const caps = [['arp.pcap', buildArpSpoof()], ['dns.pcap', buildDnsPortUnreachable()], ['scan.pcap', buildVerticalScan({ ports: 100 })], ['arp-normal.pcap', buildArpNormal()]] as const;
    for (const [name, frames] of caps) writePcap(path.join(dir, name), frames);
    c = await analyseCaptures(caps.map(([name]) => path.join(dir, name)));
  });
  after(() => { c.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('list is ordered by severity, then by start time, with ids 1..n in that order', () => {
    const list = listFindings(c.db);
    assert.ok(list.length >= 4);
    const rank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1], b = list[i];
      assert.ok(rank[a.severity] > rank[b.severity] || (a.severity === b.severity && BigInt(a.startTs) <= BigInt(b.startTs)), `${a.title} before ${b.title}`);
    }
    assert.deepEqual(list.map((f) => f.id), list.map((_, i) => i + 1));
    assert.match(list[0].startTs, /^\d+$/);
  });

  test('get returns the full finding with its evidence, unknown ids are not-found', () => {
    const f = getFinding(c.db, 1);
    assert.equal(f.evidencePacketIds.length, Math.min(5000, f.evidenceTotal));
    assert.ok(f.explanation.length > 50);
    assert.ok(Array.isArray(f.recommendations) && f.recommendations.length > 0);
    assert.throws(() => getFinding(c.db, 9999), (e: unknown) => e instanceof ApiFailure && e.api.code === 'not-found');
    assert.throws(() => getFinding(c.db, 1.5), (e: unknown) => e instanceof ApiFailure && e.api.code === 'not-found');
  });
});
