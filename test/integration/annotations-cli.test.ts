import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openCase } from '../../db/open-case';
import { verifyCustodyChain } from '../../db/custody';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** The annotate / annotations commands, several writers at once, kill -9, and `index --force`. */
const work = tempDir('flowcase-annotate-');
const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap');
const casePath = path.join(work, 'ping.flowcase');
/** `packets --json` prints one JSON object per line. */
const jsonLines = (text: string): unknown[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
const env = { ...process.env, FLOWCASE_ANALYST: 'Dana Scully' };
const loop = path.join(repoRoot(), 'dist', 'test', 'support', 'annotate-loop.js');

function cli(args: string[]) {
  return runCli(args, { env });
}

test('annotate adds, edits, deletes and restores; annotations lists and filters', async () => {
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const add = await cli(['annotate', casePath, '--packet', '3', '--tag', 'malicious', '--tag', 'evidence', '--note', 'first echo <b>bold</b>', '--include-in-report']);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /^annotation 1 added on packet 3 by Dana Scully \[malicious, evidence\] \(version 1; custody entry #\d+\)/);
  assert.equal((await cli(['annotate', casePath, '--host', '192.0.2.50', '--tag', 'benign'])).code, 0);
  assert.equal((await cli(['annotate', casePath, '--range', '2024-03-12T09:00:01Z..2024-03-12T09:00:02.5Z', '--note', 'window'])).code, 0);
  assert.equal((await cli(['annotate', casePath, '--case', '--note', 'case opened for the ping test'])).code, 0);
  const edit = await cli(['annotate', casePath, '--edit', '1', '--note', 'first echo, edited']);
  assert.match(edit.stdout, /annotation 1 edited .* \(version 2;/);
  assert.equal((await cli(['annotate', casePath, '--delete', '4'])).code, 0);

  const list = JSON.parse((await cli(['annotations', casePath, '--json'])).stdout) as Array<{ id: number; text: string; author: string; includeInReport: boolean; target: { kind: string } }>;
  assert.deepEqual(list.map((a) => [a.id, a.target.kind]), [[1, 'packet'], [2, 'host'], [3, 'range']]);
  assert.equal(list[0].author, 'Dana Scully');
  assert.equal(list[0].includeInReport, true);
  const filtered = JSON.parse((await cli(['annotations', casePath, '--filter', 'annotation.tag == "malicious"', '--json'])).stdout) as Array<{ id: number }>;
  assert.deepEqual(filtered.map((a) => a.id), [1]);
  const withDeleted = await cli(['annotations', casePath, '--deleted']);
  assert.match(withDeleted.stdout, /\(deleted\)/);
  const restore = await cli(['annotate', casePath, '--restore', '4']);
  assert.match(restore.stdout, /annotation 4 restored/);
  const pk = jsonLines((await cli(['packets', casePath, '--filter', 'frame.comment contains "edited"', '--json'])).stdout) as Array<{ id: number }>;
  assert.deepEqual(pk.map((r) => r.id), [3]);
});

test('annotate refuses bad input with one line and exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['annotate', casePath, '--packet', '99999', '--note', 'x'], /packet 99999 is not in this case/],
    [['annotate', casePath, '--packet', '1'], /needs a note or at least one tag/],
    [['annotate', casePath, '--packet', '1', '--flow', '1', '--note', 'x'], /exactly one target/],
    [['annotate', casePath, '--range', 'yesterday..today', '--note', 'x'], /is not a time/],
    [['annotate', casePath, '--packet', '1', '--note', 'z'.repeat(70_000)], /note is too long \(70,000 characters; the limit is 65,536\)/],
    [['annotate', casePath, '--edit', '77', '--note', 'x'], /annotation 77 is not in this case/],
    [['annotations', casePath, '--filter', 'annotation.tag =='], /invalid filter/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ').slice(0, 80)}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('index --force refuses to discard annotations; --append keeps them; --discard-annotations replaces', async () => {
  const refused = await runCli(['index', capture, '-o', casePath, '--force', '--no-detect']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /holds 4 analyst annotation\(s\) and \d+ custody entries beyond the import: --force would discard them\. Use --append .* or --force --discard-annotations/);
  assert.ok(fs.existsSync(casePath));
  const appended = await runCli(['index', capture, '-o', casePath, '--append', '--allow-duplicate', '--no-detect']);
  assert.equal(appended.code, 0, appended.stderr);
  const list = JSON.parse((await cli(['annotations', casePath, '--json'])).stdout) as unknown[];
  assert.equal(list.length, 4);
  const copy = path.join(work, 'replace.flowcase');
  fs.copyFileSync(casePath, copy);
  const replaced = await runCli(['index', capture, '-o', copy, '--force', '--discard-annotations', '--no-detect']);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.equal((JSON.parse((await cli(['annotations', copy, '--json'])).stdout) as unknown[]).length, 0);
});

function runLoop(file: string, count: number, label: string, onCommit?: (committed: number[], kill: () => void) => void) {
  return new Promise<{ code: number | null; signal: string | null; committed: number[] }>((resolve) => {
    const child = spawn(process.execPath, [loop, file, String(count), label], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const committed: number[] = [];
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^committed (\d+)$/.exec(line);
        if (m) {
          committed.push(Number(m[1]));
          onCommit?.(committed, () => child.kill('SIGKILL'));
        }
      }
    });
    child.on('close', (code, signal) => {
      if (code) process.stderr.write(stderr);
      resolve({ code, signal, committed });
    });
  });
}

test('two processes annotating the same case at once both land, and the chain stays intact', async () => {
  const file = path.join(work, 'concurrent.flowcase');
  fs.copyFileSync(casePath, file);
  const [a, b] = await Promise.all([runLoop(file, 40, 'writer-a'), runLoop(file, 40, 'writer-b')]);
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  const db = openCase(file, { readonly: true });
  try {
    const ids = new Set((db.prepare("SELECT id FROM annotations WHERE text LIKE 'writer-%'").pluck().all() as number[]));
    assert.equal(ids.size, 80);
    for (const id of [...a.committed, ...b.committed]) assert.ok(ids.has(id), `annotation ${id} was reported committed`);
    const added = db.prepare("SELECT count(*) FROM custody WHERE action = 'annotation.added' AND details LIKE '%writer-%'").pluck().get();
    assert.equal(added, 80);
    assert.equal(verifyCustodyChain(db).ok, true);
  } finally {
    db.close();
  }
});

test('kill -9 in the middle of annotating loses no committed annotation and never breaks the chain', async () => {
  for (const killAfter of [1, 7, 23]) {
    const file = path.join(work, `killed-${killAfter}.flowcase`);
    fs.copyFileSync(casePath, file);
    // The child keeps writing while the kill is delivered: it dies at an arbitrary point of a write.
    const r = await runLoop(file, 100_000, 'victim', (committed, kill) => { if (committed.length === killAfter) kill(); });
    assert.equal(r.signal, 'SIGKILL');
    const db = openCase(file);
    try {
      const ids = new Set(db.prepare("SELECT id FROM annotations WHERE text LIKE 'victim%'").pluck().all() as number[]);
      for (const id of r.committed) assert.ok(ids.has(id), `committed annotation ${id} survived`);
      assert.ok(ids.size >= r.committed.length);
      const versions = db.prepare("SELECT count(*) FROM annotation_versions v JOIN annotations a ON a.id = v.annotation_id WHERE a.text LIKE 'victim%'").pluck().get();
      const entries = db.prepare("SELECT count(*) FROM custody WHERE action = 'annotation.added' AND details LIKE '%victim%'").pluck().get();
      assert.equal(versions, ids.size, 'every annotation has its history row');
      assert.equal(entries, ids.size, 'every annotation has its custody entry');
      assert.equal(verifyCustodyChain(db).ok, true);
    } finally {
      db.close();
    }
  }
});
