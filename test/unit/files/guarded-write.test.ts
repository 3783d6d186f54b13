import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beginGuardedWrite, checkWriteTarget, GuardedWriteError, writeFileGuarded } from '../../../electron/files/guarded-write';
import { tempDir } from '../../support/repo-paths';

const refusal = (fn: () => unknown, reason: string) =>
  assert.throws(fn, (err: unknown) => err instanceof GuardedWriteError && err.reason === reason && !err.message.includes('\n'));

test('a new file is written whole through a temporary file, then renamed', () => {
  const dir = tempDir();
  const out = writeFileGuarded(path.join(dir, 'r.md'), '# report\n', { kind: 'report' });
  assert.equal(fs.readFileSync(out, 'utf8'), '# report\n');
  assert.deepEqual(fs.readdirSync(dir), ['r.md']);
});

test('refusals: protected, existing without force, wrong kind, folder, missing folder, symlink', () => {
  const dir = tempDir();
  const capture = path.join(dir, 'ev.pcap');
  fs.writeFileSync(capture, Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'));
  refusal(() => checkWriteTarget(capture, { kind: 'report', force: true, protect: [capture] }), 'protected');
  refusal(() => checkWriteTarget(capture, { kind: 'report' }), 'exists');
  refusal(() => checkWriteTarget(capture, { kind: 'report', force: true }), 'wrong-kind');
  refusal(() => checkWriteTarget(dir, { kind: 'report', force: true }), 'is-directory');
  refusal(() => checkWriteTarget(path.join(dir, 'missing', 'r.md'), { kind: 'report' }), 'no-folder');
  fs.symlinkSync(path.join(dir, 'elsewhere.md'), path.join(dir, 'link.md'));
  refusal(() => checkWriteTarget(path.join(dir, 'link.md'), { kind: 'report' }), 'permission');
  assert.equal(fs.existsSync(path.join(dir, 'elsewhere.md')), false, 'nothing created through the link');
});

test('a failed write (disk full, injected) leaves neither the target nor a temporary file', () => {
  const dir = tempDir();
  process.env.FLOWCASE_FAIL_WRITE = 'ENOSPC';
  try {
    refusal(() => writeFileGuarded(path.join(dir, 'r.md'), 'x', { kind: 'report' }), 'disk-full');
    const pending = beginGuardedWrite(path.join(dir, 'b.zip'), { kind: 'bundle' });
    fs.writeFileSync(pending.tempPath, 'PK');
    refusal(() => pending.commit(), 'disk-full');
  } finally {
    delete process.env.FLOWCASE_FAIL_WRITE;
  }
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('replacing with --force keeps the old file until the new one is complete', () => {
  const dir = tempDir();
  const target = path.join(dir, 'r.md');
  fs.writeFileSync(target, 'old');
  const pending = beginGuardedWrite(target, { kind: 'report', force: true });
  fs.writeFileSync(pending.tempPath, 'new');
  assert.equal(fs.readFileSync(target, 'utf8'), 'old');
  pending.commit();
  assert.equal(fs.readFileSync(target, 'utf8'), 'new');
  assert.deepEqual(fs.readdirSync(dir), ['r.md']);
});
