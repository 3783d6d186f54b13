/**
 * Conversations and endpoints follow the scope: scoped totals add up to the scoped packet count,
 * keyset paging reaches the end on every sort column without repeats or gaps, and the quick search
 * finds addresses and ports.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { listFlows, FLOW_SORT_KEYS } from '../../electron/query/flows';
import { listHosts, HOST_SORT_KEYS } from '../../electron/query/hosts';
import { countPackets } from '../../electron/query/packet-query';
import type { ListQuery } from '../../electron/ipc/contract';
import { analyseCaptures, type AnalysedCase } from '../unit/analysis/analysis-case';

const CAPTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');

function all<R>(list: (q: ListQuery) => { rows: R[]; total: number; cursor: string | null }, q: ListQuery): { rows: R[]; total: number; pages: number } {
  const rows: R[] = [];
  let cursor: string | undefined;
  let total = 0, pages = 0;
  for (;;) {
    const page = list({ ...q, limit: 97, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    total = page.total;
    pages++;
    if (!page.cursor) break;
    cursor = page.cursor;
    assert.ok(pages < 10_000);
  }
  return { rows, total, pages };
}

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return -1;
  if (b === null || b === undefined || b === '') return 1;
  if (typeof a === 'string' && /^\d+$/.test(a) && typeof b === 'string' && /^\d+$/.test(b)) return BigInt(a) < BigInt(b) ? -1 : 1;
  return a < b ? -1 : 1;
}

describe('scoped conversations and endpoints', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseCaptures([CAPTURE]); });
  after(() => c?.close());

  test('keyset paging reaches the end on every flow sort column, in order, without repeats', () => {
    const field: Record<string, string> = { duration: 'durationSec', packets: '', bytes: '', proto: 'ipProto' };
    for (const sort of FLOW_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const { rows, total } = all((q) => listFlows(c.db, q), { sort, dir });
        assert.equal(rows.length, total, `${sort} ${dir}`);
        assert.equal(new Set(rows.map((r) => r.id)).size, total, `${sort} ${dir}: repeats`);
        const key = field[sort] ?? sort;
        if (!key) continue;
        for (let i = 1; i < rows.length; i++) {
          const o = cmp((rows[i - 1] as unknown as Record<string, unknown>)[key], (rows[i] as unknown as Record<string, unknown>)[key]);
          assert.ok(dir === 'asc' ? o <= 0 : o >= 0, `${sort} ${dir} out of order at ${i}`);
        }
      }
    }
  });

  test('hosts page to the end on every column', () => {
    for (const sort of HOST_SORT_KEYS) {
      for (const dir of ['asc', 'desc'] as const) {
        const { rows, total } = all((q) => listHosts(c.db, q), { sort, dir });
        assert.equal(rows.length, total);
        assert.equal(new Set(rows.map((r) => r.addr)).size, total);
      }
    }
  });

  test('a scoped table adds up to the scoped packets', () => {
    const scopes: ListQuery[] = [
      { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' },
      { filter: 'tcp.port == 443', findingId: c.findings[0].id },
      { findingId: c.findings[0].id },
    ];
    for (const scope of scopes) {
      const packets = countPackets(c.db, scope);
      assert.ok(packets > 0);
      const flows = all((q) => listFlows(c.db, q), scope).rows;
      assert.equal(flows.reduce((n, f) => n + f.origPkts + f.respPkts, 0), packets, JSON.stringify(scope));
      const hosts = all((q) => listHosts(c.db, q), scope).rows;
      assert.equal(hosts.reduce((n, h) => n + h.pktsSent, 0), packets, `hosts ${JSON.stringify(scope)}`);
      const unscoped = listFlows(c.db, {}).total;
      assert.ok(flows.length <= unscoped);
    }
    // A time range alone.
    const first = listFlows(c.db, { sort: 'firstTs', dir: 'asc', limit: 1 }).rows[0];
    const inRange = countPackets(c.db, { from: first.firstTs, to: first.lastTs });
    const flows = all((q) => listFlows(c.db, q), { from: first.firstTs, to: first.lastTs }).rows;
    assert.equal(flows.reduce((n, f) => n + f.origPkts + f.respPkts, 0), inRange);
  });

  test('quick search finds addresses and ports', () => {
    const any = listFlows(c.db, { limit: 1 }).rows[0];
    const byAddr = all((q) => listFlows(c.db, q), { search: any.src }).rows;
    assert.ok(byAddr.length > 0 && byAddr.every((f) => f.src.includes(any.src) || f.dst.includes(any.src)));
    const byPort = all((q) => listFlows(c.db, q), { search: String(any.dport) }).rows;
    assert.ok(byPort.every((f) => f.sport === any.dport || f.dport === any.dport || f.src.includes(String(any.dport)) || f.dst.includes(String(any.dport)) || (f.service ?? '').includes(String(any.dport))));
    const hosts = listHosts(c.db, { search: any.dst });
    assert.ok(hosts.rows.some((h) => h.addr === any.dst));
    assert.equal(listHosts(c.db, { search: 'no-such-host-anywhere' }).total, 0);
  });
});
