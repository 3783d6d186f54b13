import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** Issue 12, findings 1–3: no command may write over a capture, a case or a foreign file. */
const fixture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap');
const other = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'udp-normal.pcap');
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.partial'));

test('finding 1: index -o <the capture> --force refuses before touching the capture', async () => {
  const dir = tempDir();
  const ev = path.join(dir, 'ev.pcap');
  fs.copyFileSync(fixture, ev);
  const before = sha(ev);
  const r = await runCli(['index', ev, '-o', ev, '--force']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /refusing to write over .*ev\.pcap: it is one of the captures/);
  noStack(r.stderr);
  assert.equal(sha(ev), before, 'the capture is byte-identical');
  // The same file through a hard link is still the capture.
  const link = path.join(dir, 'link.flowcase');
  fs.linkSync(ev, link);
  assert.equal((await runCli(['index', ev, '-o', link, '--force'])).code, 2);
  assert.equal(sha(ev), before);
});

test('finding 1: --force replaces only a case, never a text file or another capture', async () => {
  const dir = tempDir();
  const notes = path.join(dir, 'notes.flowcase');
  fs.writeFileSync(notes, 'my notes\n');
  const r1 = await runCli(['index', fixture, '-o', notes, '--force', '--no-detect']);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /refusing to replace .*notes\.flowcase: it is a text file, not a Flowcase case/);
  assert.equal(fs.readFileSync(notes, 'utf8'), 'my notes\n');

  const otherCapture = path.join(dir, 'other.pcap');
  fs.copyFileSync(other, otherCapture);
  const r2 = await runCli(['index', fixture, '-o', otherCapture, '--force', '--no-detect']);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /it is a packet capture/);
  assert.equal(sha(otherCapture), sha(other));

  // A case is replaced by a case.
  const casePath = path.join(dir, 'c.flowcase');
  assert.equal((await runCli(['index', other, '-o', casePath, '--no-detect'])).code, 0);
  const again = await runCli(['index', fixture, '-o', casePath, '--force', '--no-detect']);
  assert.equal(again.code, 0, again.stderr);
  const info = JSON.parse((await runCli(['info', casePath, '--json'])).stdout) as { captures: Array<{ name: string }> };
  assert.deepEqual(info.captures.map((c) => c.name), ['icmp-ping-normal.pcap']);
  assert.equal((fs.statSync(casePath).mode & 0o777), 0o600, 'a new case is private to its owner');
});

test('finding 2: report -o refuses the case itself and the case\'s captures, even with --force', async () => {
  const dir = tempDir();
  const ev = path.join(dir, 'source.pcap');
  fs.copyFileSync(fixture, ev);
  const casePath = path.join(dir, 'case.flowcase');
  assert.equal((await runCli(['index', ev, '-o', casePath, '--no-detect'])).code, 0);
  const caseSha = sha(casePath), evSha = sha(ev);
  for (const target of [casePath, ev]) {
    for (const extra of [[], ['--force']]) {
      const r = await runCli(['report', casePath, '-o', target, ...extra]);
      assert.equal(r.code, 2, `${target} ${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /refusing to write over .*: it is evidence of this case/);
      noStack(r.stderr);
    }
  }
  assert.equal(sha(casePath), caseSha);
  assert.equal(sha(ev), evSha);
  // An existing report needs --force; a non-report file is never replaced.
  const md = path.join(dir, 'r.md');
  assert.equal((await runCli(['report', casePath, '-o', md])).code, 0);
  const exists = await runCli(['report', casePath, '-o', md]);
  assert.equal(exists.code, 2);
  assert.match(exists.stderr, /already exists .*--force/);
  assert.equal((await runCli(['report', casePath, '-o', md, '--force'])).code, 0);
  const other = path.join(dir, 'other.md');
  fs.copyFileSync(fixture, other);
  assert.equal((await runCli(['report', casePath, '-o', other, '--force'])).code, 2, 'a capture named .md is still a capture');
  assert.deepEqual(leftovers(dir), []);
});

test('finding 3: --append on a foreign SQLite file refuses and leaves it byte-identical', async () => {
  const dir = tempDir();
  const foreign = path.join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')");
  db.close();
  const before = sha(foreign);
  const header = fs.readFileSync(foreign).subarray(18, 20).toString('hex');
  for (const flag of ['--append', '--force']) {
    const r = await runCli(['index', fixture, '-o', foreign, flag, '--no-detect']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /SQLite (file|database) .*not a Flowcase case/);
    noStack(r.stderr);
  }
  assert.equal(sha(foreign), before, 'byte-identical');
  assert.equal(fs.readFileSync(foreign).subarray(18, 20).toString('hex'), header, 'journal mode bytes unchanged');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['foreign.db'], 'no -wal or -shm left beside it');
});
