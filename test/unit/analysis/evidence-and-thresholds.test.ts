import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCase } from '../../../db/open-case';
import { EvidenceSet } from '../../../electron/analysis/finding';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../electron/analysis/thresholds';
import { densestWindow, markHotEvents, peakPerSecond } from '../../../electron/analysis/sliding-window';
import { spreadOf } from '../../../electron/analysis/address-spread';
import { serviceLabel } from '../../../electron/analysis/service-names';

describe('EvidenceSet', () => {
  test('keeps exact totals and the first role a packet was cited under', () => {
    const e = new EvidenceSet();
    e.addAll('syn', [5, 1, 3]);
    e.add('synack', 3);
    e.add('synack', 4);
    assert.equal(e.total, 4);
    assert.deepEqual(e.capped(10), [{ packetId: 1, role: 'syn' }, { packetId: 3, role: 'syn' }, { packetId: 5, role: 'syn' }, { packetId: 4, role: 'synack' }]);
  });

  test('capping shares the cap between roles, so small roles keep all their proof', () => {
    const e = new EvidenceSet();
    e.add('http-5xx', 1_000_000);
    e.addAll('syn', Array.from({ length: 10_000 }, (_, i) => i + 1));
    e.addAll('synack', Array.from({ length: 3_000 }, (_, i) => 20_000 + i));
    const rows = e.capped(5000);
    assert.equal(rows.length, 5000);
    assert.equal(e.total, 13_001);
    const count = (role: string) => rows.filter((r) => r.role === role).length;
    assert.equal(count('http-5xx'), 1);
    assert.equal(count('synack'), 2499);
    assert.equal(count('syn'), 2500);
    // Earliest packets of a role are the ones kept.
    assert.deepEqual(rows.filter((r) => r.role === 'syn').slice(0, 3).map((r) => r.packetId), [1, 2, 3]);
  });
});

describe('thresholds', () => {
  test('defaults < case_meta < argument; unknown keys and non-numbers are ignored', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-th-'));
    const db = openCase(path.join(dir, 'c.flowcase'));
    try {
      assert.deepEqual(resolveThresholds(db), DEFAULT_THRESHOLDS);
      db.prepare("INSERT INTO case_meta (key, value) VALUES ('thresholds', ?)").run(JSON.stringify({
        synFlood: { minSynsInWindow: 50, windowSec: 'x', bogus: 1 }, evidenceCap: 10, nope: { a: 1 },
      }));
      const t = resolveThresholds(db, { synFlood: { windowSec: 3 } });
      assert.equal(t.synFlood.minSynsInWindow, 50);
      assert.equal(t.synFlood.windowSec, 3);
      assert.equal(t.evidenceCap, 10);
      assert.equal((t.synFlood as Record<string, unknown>).bogus, undefined);
      assert.equal((t as Record<string, unknown>).nope, undefined);
      assert.equal(DEFAULT_THRESHOLDS.synFlood.minSynsInWindow, 100, 'defaults are not mutated');
      db.prepare("UPDATE case_meta SET value = '{not json' WHERE key = 'thresholds'").run();
      assert.deepEqual(resolveThresholds(db), DEFAULT_THRESHOLDS);
    } finally { db.close(); fs.rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('sliding windows and address spread', () => {
  test('densest window and peak rate', () => {
    const s = 1e9;
    const times = [0, 0.1 * s, 0.2 * s, 5 * s, 5.5 * s, 5.6 * s, 5.9 * s, 20 * s];
    assert.deepEqual(densestWindow(times, s), { count: 4, first: 3, last: 6 });
    assert.equal(peakPerSecond(times), 4);
    assert.deepEqual([...markHotEvents(times, s, (n) => n >= 3)], [1, 1, 1, 1, 1, 1, 1, 0]);
    assert.deepEqual(densestWindow([], s).count, 0);
  });

  test('spread counts /8 and /16 networks (IPv6: /32 and /48)', () => {
    assert.deepEqual(spreadOf(['1.2.3.4', '1.2.9.9', '1.3.0.1', '8.8.8.8']), { sources: 4, wideNets: 2, narrowNets: 3 });
    assert.deepEqual(spreadOf(['2001:db8::1', '2001:db8:1::1', '2001:db9::1']), { sources: 3, wideNets: 2, narrowNets: 3 });
  });

  test('service labels', () => {
    assert.equal(serviceLabel(17, 53), 'DNS (53/udp)');
    assert.equal(serviceLabel(6, 443), 'HTTPS (443/tcp)');
    assert.equal(serviceLabel(17, 40000), 'port 40000/udp');
  });
});
