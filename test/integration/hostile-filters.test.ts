import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { compileMatchPattern } from '../../electron/query/display-filter/compile-sql';
import { tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';
import { writePcap } from '../support/pcap-writer';
import { dnsMessage, udpFrame } from '../support/packet-builder';

/** Issue 12, finding 6 and the filter part of 7: attacker text cannot stall a filter; filter errors are short. */
const EVIL_NAME = 'a'.repeat(40) + 'b.com';
const dir = tempDir();
const capture = path.join(dir, 'redos.pcap');
const casePath = path.join(dir, 'redos.flowcase');
writePcap(capture, [
  { tsUs: 1_700_000_000_000_000, data: udpFrame({ src: '10.0.0.5', dst: '10.0.0.53', sport: 5353, dport: 53, payload: dnsMessage({ id: 7, qname: EVIL_NAME, qtype: 1 }) }) },
  { tsUs: 1_700_000_000_001_000, data: udpFrame({ src: '10.0.0.5', dst: '10.0.0.53', sport: 5354, dport: 53, payload: dnsMessage({ id: 8, qname: 'aaaa', qtype: 1 }) }) },
]);
const ready = indexCaptures({ casePath, captures: [capture] });
const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/);

test('matches runs in linear time: ^(a+)+$ against 40 a\'s and b.com returns at once', () => {
  const started = Date.now();
  assert.equal(compileMatchPattern('^(a+)+$').test('a'.repeat(5000) + 'b.com'), false);
  assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  assert.equal(compileMatchPattern('^(a+)+$').test('AAAA'), true, 'case-insensitive by default, as Wireshark');
  assert.equal(compileMatchPattern('(?-i)^a+$').test('AAAA'), false);
});

test('the ReDoS filter on the hostile DNS name finishes in well under a second of matching', async () => {
  await ready;
  const r = await runCli(['packets', casePath, '--filter', 'dns.qry.name matches "^(a+)+$"', '--json'], { timeoutMs: 20_000 });
  assert.equal(r.signal, null, 'not killed by the timeout');
  assert.equal(r.code, 0, r.stderr);
  const ids = r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id);
  assert.deepEqual(ids, [2], 'only the all-a name matches');
  assert.ok(r.ms < 10_000, `${r.ms} ms`);
});

test('filter errors at any length: one line, exit 2, the echo cut to a readable length', async () => {
  await ready;
  const cases: Array<[string, RegExp]> = [
    ['dns.qry.name matches "(a)\\\\1"', /not a valid regular expression .*RE2 syntax/],
    ['ip.addr == 10.0.0.1 && '.repeat(800), /invalid filter|filter is longer/],
    ['x'.repeat(20_000), /longer than 16384 characters|invalid filter/],
    [`dns.qry.name matches "${'a'.repeat(2000)}"`, /limit is 1024/],
  ];
  for (const [filter, message] of cases) {
    const r = await runCli(['packets', casePath, '--filter', filter]);
    assert.equal(r.code, 2, `${filter.slice(0, 40)}: ${r.code} ${r.stderr.slice(0, 300)}`);
    assert.match(r.stderr, message);
    noStack(r.stderr);
    assert.ok(r.stderr.length < 700, `stderr is ${r.stderr.length} characters`);
    assert.ok(r.stderr.split('\n').filter(Boolean).length <= 3, r.stderr);
  }
});
