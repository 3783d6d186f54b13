import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createUniqueCaseFile, DataFolderError, dataFolderPath, ensurePrivateFolder, privateFolder } from '../../../electron/session/data-folder';
import { tempDir } from '../../support/repo-paths';

/** Issue 12, finding 10: cases and uploads live in a private per-user folder, never a shared /tmp one. */

test('the data folder is $XDG_DATA_HOME/flowcase, else ~/.local/share/flowcase', () => {
  assert.equal(dataFolderPath({ XDG_DATA_HOME: '/x/data' }), '/x/data/flowcase');
  assert.match(dataFolderPath({}), /\.local\/share\/flowcase$/);
  assert.match(dataFolderPath({ XDG_DATA_HOME: 'relative' }), /\.local\/share\/flowcase$/, 'a relative XDG path is ignored (spec)');
});

test('created 0700; a folder opened to others is closed again', () => {
  const base = tempDir();
  const cases = privateFolder('cases', { XDG_DATA_HOME: base });
  assert.equal(cases, path.join(base, 'flowcase', 'cases'));
  for (const d of [path.join(base, 'flowcase'), cases]) assert.equal(fs.statSync(d).mode & 0o777, 0o700);
  fs.chmodSync(cases, 0o777);
  privateFolder('cases', { XDG_DATA_HOME: base });
  assert.equal(fs.statSync(cases).mode & 0o777, 0o700);
});

test('a planted link or another user\'s folder is refused', () => {
  const base = tempDir();
  const target = tempDir();
  fs.symlinkSync(target, path.join(base, 'flowcase'));
  assert.throws(() => privateFolder('cases', { XDG_DATA_HOME: base }), DataFolderError);
  assert.equal(fs.existsSync(path.join(target, 'cases')), false, 'nothing created through the link');
  if (process.getuid?.() === 0) {
    const foreign = path.join(tempDir(), 'flowcase');
    fs.mkdirSync(foreign, { mode: 0o700 });
    fs.chownSync(foreign, 4242, 4242);
    assert.throws(() => ensurePrivateFolder(foreign), /belongs to another user/);
  }
});

test('a new case is created exclusively, 0600, never reusing or following what is there', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'dump.flowcase'), 'planted');
  fs.symlinkSync('/etc/passwd', path.join(dir, 'dump-2.flowcase'));
  const made = createUniqueCaseFile(dir, 'dump');
  assert.equal(made, path.join(dir, 'dump-3.flowcase'));
  assert.equal(fs.statSync(made).mode & 0o777, 0o600);
  assert.equal(fs.readFileSync(path.join(dir, 'dump.flowcase'), 'utf8'), 'planted');
});
