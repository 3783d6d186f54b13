import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** `flowcase log` and `flowcase verify` on a real import (a small generated capture, no ../shared needed). */
const work = tempDir('flowcase-custody-cli-');
const capture = path.join(work, 'ping.pcap');
fs.copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap'), capture);
const casePath = path.join(work, 'ping.flowcase');

interface LogJson { entries: Array<{ seq: number; action: string; analyst: string; host: string; appVersion: string; details: Record<string, unknown>; hash: string }>; chain: { ok: boolean; head: string } }

test('an import is logged: case created, capture imported with its SHA-256, indexing finished', async () => {
  const idx = await runCli(['index', capture, '-o', casePath, '--no-detect']);
  assert.equal(idx.code, 0, idx.stderr);
  const r = await runCli(['log', casePath, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout) as LogJson;
  assert.deepEqual(log.entries.map((e) => e.action), ['case.created', 'capture.imported', 'indexing.finished']);
  const imported = log.entries[1].details;
  assert.equal(imported.name, 'ping.pcap');
  assert.equal(imported.path, capture);
  assert.equal(imported.size, fs.statSync(capture).size);
  assert.match(String(imported.sha256), /^[0-9a-f]{64}$/);
  for (const e of log.entries) {
    assert.ok(e.analyst && e.host && e.appVersion === '0.1.0', JSON.stringify(e));
  }
  assert.equal(log.chain.ok, true);
  const text = await runCli(['log', casePath]);
  assert.match(text.stdout, /#2 .* capture\.imported/);
  assert.match(text.stdout, /3 entries; chain intact; head [0-9a-f]{64}/);
});

test('verify: 0 when intact, and records the check in the log', async () => {
  const r = await runCli(['verify', casePath]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^OK: custody chain intact/);
  const log = JSON.parse((await runCli(['log', casePath, '--json'])).stdout) as LogJson;
  assert.equal(log.entries.at(-1)!.action, 'integrity.checked');
  assert.equal(log.entries.at(-1)!.details.ok, true);
});

test('verify: 1 with one line per problem for a changed capture and a broken chain', async () => {
  const copy = path.join(work, 'tampered.flowcase');
  fs.copyFileSync(casePath, copy);
  const raw = new Database(copy);
  raw.exec('DROP TRIGGER custody_append_only_update');
  raw.prepare("UPDATE custody SET analyst = 'mallory' WHERE seq = 2").run();
  raw.close();
  const bytes = fs.readFileSync(capture);
  bytes[bytes.length - 1] ^= 0xff;
  fs.writeFileSync(capture, bytes);
  try {
    const r = await runCli(['verify', copy]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^PROBLEM: custody log broken at entry 2: it was altered/);
    assert.match(lines[1], /^PROBLEM: capture 1 \(ping\.pcap\) changed: SHA-256 [0-9a-f]{64} differs/);
    assert.equal(lines.length, 2);
    const log = await runCli(['log', copy]);
    assert.equal(log.code, 1);
    assert.match(log.stdout, /chain BROKEN at entry 2/);
  } finally {
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(capture, bytes);
  }
});

test('verify and log: 2 for a missing file or a file that is not a case', async () => {
  const missing = await runCli(['verify', path.join(work, 'nope.flowcase')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /case file not found/);
  const notCase = path.join(work, 'junk.flowcase');
  fs.writeFileSync(notCase, 'this is not sqlite');
  const junk = await runCli(['log', notCase]);
  assert.equal(junk.code, 2);
  assert.match(junk.stderr, /cannot open .* as a Flowcase case/);
  assert.equal((await runCli(['verify'])).code, 2);
});
