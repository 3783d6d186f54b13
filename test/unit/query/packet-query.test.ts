import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, FilterError } from '../../../electron/query/display-filter/index.js';
import { caseFirstTsNs } from '../../../db/case-meta.js';
import {
  countPackets, MAX_PAGE_LIMIT, packetMatches, packetPageSql, pagePackets, QueryArgumentError,
} from '../../../electron/query/packet-query.js';
import type { PacketQuery } from '../../../electron/ipc/contract.js';
import { addBulkIndexes, ALL, buildCase, T0, tsOf } from './case-fixture.js';

const db = buildCase();
const ids = (q: PacketQuery): number[] => pagePackets(db, q).rows.map((r) => r.id);

test('no arguments: the first page in id order', () => {
  const page = pagePackets(db, {});
  assert.deepEqual(page.rows.map((r) => r.id), ALL);
  assert.equal(page.hasMore, false);
});

test('forward keyset paging with after/limit and hasMore', () => {
  const first = pagePackets(db, { limit: 5 });
  assert.deepEqual(first.rows.map((r) => r.id), [1, 2, 3, 4, 5]);
  assert.equal(first.hasMore, true);
  assert.deepEqual(ids({ after: 5, limit: 5 }), [6, 7, 8, 9, 10]);
  const last = pagePackets(db, { after: 15, limit: 5 });
  assert.deepEqual(last.rows.map((r) => r.id), [16, 17, 18]);
  assert.equal(last.hasMore, false);
  const exact = pagePackets(db, { after: 13, limit: 5 });
  assert.deepEqual(exact.rows.map((r) => r.id), [14, 15, 16, 17, 18]);
  assert.equal(exact.hasMore, false, 'a page that ends exactly at the last row has nothing more');
});

test('backward keyset paging returns ascending rows', () => {
  const page = pagePackets(db, { before: 10, limit: 3 });
  assert.deepEqual(page.rows.map((r) => r.id), [7, 8, 9]);
  assert.equal(page.hasMore, true);
  const first = pagePackets(db, { before: 3, limit: 5 });
  assert.deepEqual(first.rows.map((r) => r.id), [1, 2]);
  assert.equal(first.hasMore, false);
});

test('limit 0 returns no rows but still says whether any exist', () => {
  assert.deepEqual(pagePackets(db, { limit: 0 }), { rows: [], hasMore: true });
  assert.deepEqual(pagePackets(db, { limit: 0, after: 18 }), { rows: [], hasMore: false });
});

test('filter pages through only matching packets', () => {
  const p1 = pagePackets(db, { filter: 'tcp', limit: 4 });
  assert.deepEqual(p1.rows.map((r) => r.id), [1, 2, 3, 4]);
  assert.equal(p1.hasMore, true);
  const p2 = pagePackets(db, { filter: 'tcp', after: 4, limit: 4 });
  assert.deepEqual(p2.rows.map((r) => r.id), [5, 6, 12, 14]);
  const p3 = pagePackets(db, { filter: 'tcp', after: 14, limit: 4 });
  assert.deepEqual(p3.rows.map((r) => r.id), [16, 18]);
  assert.equal(p3.hasMore, false);
  assert.deepEqual(ids({ filter: 'tcp', before: 12, limit: 2 }), [5, 6]);
  assert.deepEqual(ids({ filter: '  ' }), ALL);
  assert.deepEqual(ids({ filter: 'dns.qry.name matches "^EXAMPLE"' }), [7], 'matches works through pagePackets');
});

test('from/to are inclusive bounds on ts_ns', () => {
  assert.deepEqual(ids({ from: String(tsOf(3)), to: String(tsOf(5)) }), [3, 4, 5]);
  assert.deepEqual(ids({ from: String(tsOf(17) + 1n) }), [18]);
  assert.deepEqual(ids({ to: String(tsOf(2) - 1n) }), [1]);
  assert.deepEqual(ids({ from: String(tsOf(3)), to: String(tsOf(5)), filter: 'http' }), [4, 5]);
});

test('findingId restricts to the finding evidence', () => {
  assert.deepEqual(ids({ findingId: 1 }), [1, 2, 6]);
  assert.deepEqual(ids({ findingId: 1, filter: 'tcp.flags.syn' }), [1, 2]);
  assert.deepEqual(ids({ findingId: 99 }), []);
});

test('countPackets counts matches and ignores paging', () => {
  assert.equal(countPackets(db, {}), 18);
  assert.equal(countPackets(db, { filter: 'tcp', after: 10, limit: 1 }), 10);
  assert.equal(countPackets(db, { findingId: 1, from: String(tsOf(2)) }), 2);
  assert.equal(countPackets(db, { filter: 'ip.addr == 10.0.0.0/8' }), 13);
});

test('packetMatches tells whether one packet passes the query', () => {
  assert.equal(packetMatches(db, 4, { filter: 'http' }), true);
  assert.equal(packetMatches(db, 7, { filter: 'http' }), false);
  assert.equal(packetMatches(db, 99, {}), false);
  assert.throws(() => packetMatches(db, -1, {}), QueryArgumentError);
});

test('rows carry display columns, exact time and annotation state', () => {
  const [row] = pagePackets(db, { after: 3, limit: 1 }).rows;
  assert.deepEqual(row, {
    id: 4, rel: 1.5, ts: [1_700_000_001, 623_456_789], src: '10.0.0.1', dst: '192.168.1.10', sport: 51000, dport: 80,
    proto: 'HTTP', length: 60, info: 'info 4', tcpFlags: 0x18, ipProto: 6, flags: 0, flowId: null, color: '', annotated: true, annotationCount: 1, annotationTags: [],
  });
  const arp = pagePackets(db, { after: 12, limit: 1 }).rows[0];
  assert.deepEqual([arp.src, arp.dst, arp.sport, arp.ipProto, arp.annotated], ['aa:bb:cc:dd:ee:ff', 'ff:ff:ff:ff:ff:ff', null, null, false]);
  assert.equal(pagePackets(db, { limit: 1 }).rows[0].rel, 0);
});

test('rows are colored by the service', () => {
  const colors = Object.fromEntries(pagePackets(db, {}).rows.map((r) => [r.id, r.color]));
  assert.deepEqual(colors, {
    1: 'syn', 2: '', 3: '', 4: '', 5: '', 6: 'rst', 7: '', 8: 'dns-error', 9: 'icmp-error', 10: '', 11: 'icmp-error',
    12: '', 13: '', 14: 'malformed', 15: '', 16: '', 17: '', 18: 'malformed',
  });
});

test('first_ts_ns falls back to the earliest packet while the case is still indexing', () => {
  const indexing = buildCase({ noFirstTs: true });
  assert.equal(caseFirstTsNs(indexing), T0);
  assert.equal(pagePackets(indexing, { after: 1, limit: 1 }).rows[0].rel, 0.5);
  indexing.close();
});

test('timestamps above 2^53 ns keep every nanosecond', () => {
  const big = buildCase();
  const ts = 9_007_199_254_740_993n; // 2^53 + 1: not representable as a double
  big.prepare("UPDATE case_meta SET value = ? WHERE key = 'first_ts_ns'").run(String(ts - 1_000_000_001n));
  big.prepare('UPDATE packets SET ts_ns = ? WHERE id = 1').run(ts);
  const row = pagePackets(big, { limit: 1 }).rows[0];
  assert.deepEqual(row.ts, [9_007_199, 254_740_993]);
  assert.equal(row.rel, 1.000000001);
  big.close();
});

test('invalid numeric arguments throw QueryArgumentError with a clear message', () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ limit: -1 }, /^limit must be a non-negative integer, got -1$/],
    [{ limit: 1.5 }, /limit must be a non-negative integer, got 1\.5/],
    [{ limit: '5' }, /limit must be a non-negative integer, got "5"/],
    [{ limit: Number.NaN }, /got NaN/],
    [{ after: 2 ** 60 }, /after must be a non-negative integer/],
    [{ before: -3 }, /before must be a non-negative integer/],
    [{ findingId: 'x' }, /findingId must be a non-negative integer/],
    [{ from: '12a' }, /^from must be nanoseconds since the epoch as a string of digits, got "12a"$/],
    [{ to: 123 }, /to must be nanoseconds since the epoch as a string of digits, got 123/],
    [{ from: '-5' }, /from must be nanoseconds/],
    [{ to: '99999999999999999999' }, /to must be nanoseconds/],
    [{ filter: 42 }, /filter must be a string, got 42/],
    [{ filter: 'x'.repeat(20_000) }, /filter is longer than/],
    [{ after: 1, before: 5 }, /either after or before/],
    [null, /must be an object/],
  ];
  for (const [q, message] of bad) {
    assert.throws(() => pagePackets(db, q as PacketQuery), (e: unknown) => e instanceof QueryArgumentError && message.test(e.message) && e.code === 'bad-argument', JSON.stringify(q));
  }
  assert.throws(() => countPackets(db, { findingId: -1 }), QueryArgumentError);
});

test('limit is capped at MAX_PAGE_LIMIT and null means absent', () => {
  assert.equal(packetPageSql(db, { limit: 1_000_000 }).limit, MAX_PAGE_LIMIT);
  assert.equal(packetPageSql(db, {}).limit, 200);
  assert.deepEqual(ids({ after: null, filter: null, limit: 2 } as unknown as PacketQuery), [1, 2]);
});

test('a bad filter surfaces as FilterError', () => {
  assert.throws(() => pagePackets(db, { filter: 'tcp.port == ' }), (e: unknown) => e instanceof FilterError && e.position === 12);
  assert.throws(() => countPackets(db, { filter: 'ip.addr == "foo"' }), FilterError);
});

function plan(q: PacketQuery, indexed = db): string {
  const { sql, params } = packetPageSql(indexed, q);
  return (indexed.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
}

test('query plans use the bulk indexes for address and time filters', () => {
  addBulkIndexes(db);
  // Counting gathers an address's packets through its flows and packets_by_flow...
  const countPlan = (filter: string) => {
    const f = compileFilter(filter, { firstTsNs: T0 });
    return (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM packets AS p WHERE ${f.sql}`).all(...f.params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
  };
  const addr = countPlan('ip.addr == 10.0.0.1');
  assert.match(addr, /USING (COVERING )?INDEX packets_by_flow/);
  assert.match(addr, /flows_by_orig/);
  assert.match(addr, /flows_by_resp/);
  assert.match(addr, /addrs_by_bin/);
  assert.match(countPlan('ip.src == 10.0.0.0/8'), /INDEX packets_by_flow/);
  assert.match(countPlan('ipv6.dst == 2001:db8::1'), /INDEX packets_by_flow/);
  // ...while a page walks ids in order and stops at its LIMIT, testing flow membership per row.
  assert.match(plan({ filter: 'ip.addr == 10.0.0.1' }), /SEARCH p USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  assert.doesNotMatch(plan({ filter: 'ip.addr == 10.0.0.1' }), /packets_by_flow/);
  assert.match(plan({ filter: 'frame.time_relative >= 1 && frame.time_relative <= 2' }), /INDEX packets_by_ts/);
  assert.match(plan({ from: String(tsOf(3)), to: String(tsOf(5)) }), /INDEX packets_by_ts/);
  // Results are unchanged by the indexes.
  assert.deepEqual(ids({ filter: 'ip.addr == 10.0.0.1' }), [1, 2, 3, 4, 5, 6, 16, 18]);
  assert.deepEqual(ids({ filter: 'ip.addr == 10.0.0.1', before: 16, limit: 2 }), [5, 6]);
});
