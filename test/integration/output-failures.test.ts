import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliPath, repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** Issue 12, finding 7: output problems are one line with exit 2, never a stack trace or exit 70, and leave no litter. */
const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');
const oneLine = (stderr: string) => {
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.ok(stderr.trim().split('\n').length <= 2, stderr);
};

test('missing folder, a folder as -o, report into a missing folder: one line, exit 2', async () => {
  const dir = tempDir();
  const casePath = path.join(dir, 'c.flowcase');
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const cases: Array<[string[], RegExp]> = [
    [['index', capture, '-o', path.join(dir, 'missing', 'x.flowcase')], /folder .*missing does not exist/],
    [['index', capture, '-o', dir], /it is a folder/],
    [['report', casePath, '-o', '/missing/x.md'], /folder \/missing does not exist/],
    [['report', casePath, '-o', dir], /it is a folder/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.code} ${r.stderr}`);
    assert.match(r.stderr, message);
    oneLine(r.stderr);
  }
});

test('a write failure (disk full, injected) leaves no report and no temporary file', async () => {
  const dir = tempDir();
  const casePath = path.join(dir, 'c.flowcase');
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const listing = () => fs.readdirSync(dir).filter((f) => !/-(wal|shm)$/.test(f)).sort();
  const before = listing();
  const r = spawnSync(process.execPath, [cliPath(), 'report', casePath, '-o', path.join(dir, 'r.md')], { env: { ...process.env, FLOWCASE_FAIL_WRITE: 'ENOSPC' }, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /disk is full/);
  oneLine(r.stderr);
  assert.deepEqual(listing(), before, 'no report, no .partial file');
});

test('disk full while indexing (ulimit -f): one line, and the case says it is incomplete', { skip: process.platform !== 'linux' ? 'needs a shell with ulimit -f' : false }, async () => {
  const dir = tempDir();
  const casePath = path.join(dir, 'c.flowcase');
  // 1 MiB file size limit: the case's WAL outgrows it part-way through the 10,592 packets.
  const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 2048; exec "${process.execPath}" "${cliPath()}" index "${capture}" -o "${casePath}"`], { encoding: 'utf8' });
  assert.equal(r.status, 1, `partial result: ${r.stderr}`);
  assert.match(r.stderr, /disk is full|file size limit/);
  assert.match(r.stderr, /c\.flowcase is kept and says it is incomplete/);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  const info = await runCli(['info', casePath, '--json']);
  assert.equal(info.code, 0, info.stderr);
  const o = JSON.parse(info.stdout) as { status: string; packetCount: number; captures: Array<{ packetCount: number }> };
  assert.equal(o.status, 'incomplete', 'never claims to be complete');
  assert.ok(o.packetCount < 10_592);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.partial')), []);
});
