import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';
import { openCase } from '../../db/open-case';
import type { FindingExport } from '../../electron/query/findings';

/** The flowcase command as a user drives it, on the generated incident capture (no ../shared needed). */
const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');
const work = tempDir();
const casePath = path.join(work, 'flood.flowcase');

test('index prints a summary with the hash and the findings, and exits 0', async () => {
  const r = await runCli(['index', capture, '-o', casePath]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /10,592 packets from 1 capture/);
  assert.match(r.stdout, /sha256 [0-9a-f]{64}/);
  assert.match(r.stdout, /\[CRITICAL\] #1 SYN flood \(DoS\) on 192\.0\.2\.1:443/);
  assert.match(r.stderr, /progress: done/, 'plain progress lines when stderr is not a terminal');
});

test('an existing case is not overwritten without --force or --append', async () => {
  const r = await runCli(['index', capture, '-o', casePath]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /already exists: use --append .* or --force/);
});

function jsonLines(text: string): unknown[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

function withDbCount(file: string, table: 'packets' | 'flows'): number {
  const db = openCase(file, { readonly: true });
  try { return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number; } finally { db.close(); }
}

/** Epoch seconds with 9 decimals from epoch ns text (the display filter's frame.time_epoch). */
function nsToEpoch(ns: string): string {
  const n = BigInt(ns);
  return `${n / 1_000_000_000n}.${String(n % 1_000_000_000n).padStart(9, '0')}`;
}

test('info, packets, flows, hosts and findings read the case', async () => {
  const info = await runCli(['info', casePath]);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /integrity: ok/);
  assert.match(info.stdout, /Top talkers:/);

  const syn = await runCli(['packets', casePath, '--filter', 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.src == 203.0.113.0', '--limit', '5', '--json']);
  assert.equal(syn.code, 0, syn.stderr);
  const rows = jsonLines(syn.stdout) as Array<{ src: string; dst: string; dport: number; tcpFlags: number }>;
  assert.equal(rows.length, 5);
  for (const row of rows) assert.deepEqual([row.src, row.dst, row.dport, row.tcpFlags], ['203.0.113.0', '192.0.2.1', 443, 2]);

  const table = await runCli(['packets', casePath, '--limit', '3']);
  assert.match(table.stdout.split('\n')[0], /^No\.\s+Time\s+Source\s+Destination\s+Protocol\s+Length\s+Info/);

  // --json streams JSON lines: every row unless --limit, no cap.
  const flowCount = withDbCount(casePath, 'flows');
  const flows = jsonLines((await runCli(['flows', casePath, '--json'])).stdout) as Array<{ connState: string; origBytes: number; respBytes: number }>;
  assert.equal(flows.length, flowCount);
  assert.ok(flowCount > 2000, 'more flows than the old cap');
  assert.ok(flows.some((f) => f.connState === 'SF'));
  for (let i = 1; i < flows.length; i++) assert.ok(flows[i - 1].origBytes + flows[i - 1].respBytes >= flows[i].origBytes + flows[i].respBytes, 'largest first');
  assert.equal(jsonLines((await runCli(['flows', casePath, '--json', '--limit', '7'])).stdout).length, 7);

  const hosts = jsonLines((await runCli(['hosts', casePath, '--json'])).stdout) as Array<{ addr: string }>;
  assert.equal(hosts.length, 33);

  const all = await runCli(['packets', casePath, '--json']);
  assert.equal(jsonLines(all.stdout).length, withDbCount(casePath, 'packets'), 'every packet without --limit');
  const many = await runCli(['packets', casePath, '--limit', '5000']);
  assert.equal(many.stdout.split('\n').filter((l) => /^\d+\s/.test(l)).length, 5000, 'no cap on --limit');

  const findings = JSON.parse((await runCli(['findings', casePath, '--json'])).stdout) as Array<FindingExport>;
  assert.deepEqual(findings.map((f) => [f.kind, f.severity]), [['syn-flood', 'critical']]);
  const f = findings[0];
  for (const key of ['metrics', 'scope', 'targets', 'sources', 'affected', 'explanation', 'recommendations', 'mitre', 'evidence', 'window', 'evidenceQueries'] as const) {
    assert.ok(f[key] !== undefined, `findings --json carries ${key}`);
  }
  assert.ok(Object.keys(f.metrics).length > 0);
  assert.ok(f.affected.length > 0 && f.affected.every((a) => typeof a.addr === 'string' && typeof a.count === 'number'), 'affected clients with address and count');
  assert.ok(f.mitre.some((m) => /^T\d{4}/.test(m.id)));
  assert.ok(f.evidence.byRole.syn > 0 && f.evidence.total >= f.evidence.byRole.syn);
  assert.ok(f.window.durationSec > 0 && f.window.from === f.startTs);
  // Each role's display filter reproduces its packets: counted with the filter over its window.
  for (const q of f.evidenceQueries.filter((x) => x.exact)) {
    const n = jsonLines((await runCli(['packets', casePath, '--json', '--filter', `(${q.filter}) && frame.time_epoch >= ${nsToEpoch(q.from)} && frame.time_epoch <= ${nsToEpoch(q.to)}`])).stdout).length;
    assert.equal(n, q.total, `role ${q.role}: ${q.filter}`);
  }
});

test('report writes a draft incident report from the case', async () => {
  const md = path.join(work, 'report.md');
  const r = await runCli(['report', casePath, '-o', md]);
  assert.equal(r.code, 0, r.stderr);
  const text = fs.readFileSync(md, 'utf8');
  for (const heading of ['## Incident summary', '## 1\\. Type of attack', '## 2\\. How the attack caused', 'three-way handshake', 'SYN cookies']) {
    assert.ok(text.includes(heading.replace(/\\\\/g, '\\')), `report lacks ${heading}`);
  }
  const html = path.join(work, 'report.html');
  assert.equal((await runCli(['report', casePath, '-o', html])).code, 0);
  const page = fs.readFileSync(html, 'utf8');
  assert.match(page, /^<!DOCTYPE html>/i);
  // With no stored report the HTML is the same export as the PDF: figures inline, packets linked.
  assert.match(page, /<svg[\s\S]*Figure 2/, 'the host-graph figure is embedded');
  assert.match(page, /handshake/i);
  assert.match(page, /href="flowcase:\/\/packet\/\d+\?case=[0-9a-f]{32}"/, 'cited packets link back to the app');
});

test('report: PDF export, finalise refused while a placeholder is open, a finalised version exported', async () => {
  const pdf = path.join(work, 'report.pdf');
  const r = await runCli(['report', casePath, '-o', pdf]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  const again = await runCli(['report', casePath, '-o', pdf]);
  assert.equal(again.code, 2, 'an existing file is not overwritten without --force');
  assert.equal((await runCli(['report', casePath, '-o', pdf, '--force', '--paper', 'letter'])).code, 0);
  const fin = await runCli(['report', casePath, '--finalise']);
  assert.equal(fin.code, 1);
  assert.match(fin.stderr, /^flowcase: cannot finalise: 1 placeholder still to fill: "Incident summary": \[Analyst: /);
  const none = await runCli(['report', casePath, '--version', 'finalised']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no finalised version yet/);
  assert.equal((await runCli(['report', casePath, '-o', path.join(work, 'r.txt')])).code, 0);
  assert.match(fs.readFileSync(path.join(work, 'r.txt'), 'utf8'), /^> Case status: [^\n]*\n(?:>[^\n]*\n)*\n# Incident report/, 'other names get Markdown (the status quote, then the report)');
});

test('bad usage and bad input exit 2 with one clear line', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /Usage:/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['index'], /index needs at least one capture file/],
    [['index', path.join(work, 'nope.pcap')], /cannot read .*nope\.pcap: no such file/],
    [['packets', casePath, '--limit', 'ten'], /--limit takes a whole number/],
    [['packets', casePath, '--bogus'], /unknown option --bogus/],
    [['info', path.join(work, 'missing.flowcase')], /case file not found/],
    [['info', capture], /cannot open .* as a Flowcase case/],
    [['packets', casePath, '--filter', 'tcp.port == '], /invalid filter: expected a value after "==" at column 13/],
    [['packets', casePath, '--filter', 'ip.addr == "x\') OR 1=1 --"'], /invalid filter/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack traces for user errors');
  }
});

test('a missing source capture is reported by info, and the case keeps working', async () => {
  const copy = path.join(work, 'moved.pcap');
  fs.copyFileSync(capture, copy);
  const movedCase = path.join(work, 'moved.flowcase');
  assert.equal((await runCli(['index', copy, '-o', movedCase, '--no-detect'])).code, 0);
  fs.rmSync(copy);
  const r = await runCli(['info', movedCase]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /integrity: missing/);
  assert.match(r.stdout, /capture missing/);
  const p = await runCli(['packets', movedCase, '--limit', '1', '--json']);
  const rows = jsonLines(p.stdout) as Array<{ info: string; src: string }>;
  assert.equal(rows.length, 1, 'indexed packets stay readable without the source');
  assert.match(rows[0].info, /Info needs the capture/);
});
