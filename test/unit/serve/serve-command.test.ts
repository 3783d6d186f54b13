import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveCommand } from '../../../electron/serve/serve-command';
import { captureBaseName, defaultCasePathFor } from '../../../electron/session/default-case-path';

describe('flowcase serve arguments', () => {
  const errors: string[] = [];
  const original = console.error;
  before(() => { console.error = (...a: unknown[]) => { errors.push(a.join(' ')); }; });
  after(() => { console.error = original; });

  it('rejects bad options with usage and exit code 2', async () => {
    for (const argv of [['--port', 'abc'], ['--port', '70000'], ['--bogus'], ['a.pcap', 'b.pcap'], ['--case']]) {
      errors.length = 0;
      assert.equal(await serveCommand(argv), 2, argv.join(' '));
      assert.match(errors.join('\n'), /usage: flowcase serve/);
    }
  });

  it('prints usage for --help and exits 0', async () => {
    errors.length = 0;
    assert.equal(await serveCommand(['--help']), 0);
    assert.match(errors.join('\n'), /--case FILE/);
  });

  it('fails with 1 when the input does not exist', async () => {
    errors.length = 0;
    assert.equal(await serveCommand(['/nonexistent/x.pcap']), 2, 'a missing capture is unusable input: exit 2, as the README says');
    assert.match(errors.join('\n'), /does not exist/);
  });
});

describe('default case path', () => {
  it('names the case after the capture, never beside it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-default-'));
    try {
      assert.equal(captureBaseName('/evidence/dump.pcapng.gz'), 'dump');
      assert.equal(captureBaseName('/evidence/a b;c.pcap'), 'a b_c');
      const first = defaultCasePathFor('/evidence/dump.pcap', dir);
      assert.equal(first, path.join(dir, 'dump.flowcase'));
      assert.equal(fs.statSync(first).mode & 0o777, 0o600, 'created private');
      assert.equal(defaultCasePathFor('/evidence/dump.pcap', dir), path.join(dir, 'dump-2.flowcase'), 'an existing case is never reused');
      fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'dump-3.flowcase'));
      assert.equal(defaultCasePathFor('/evidence/dump.pcap', dir), path.join(dir, 'dump-4.flowcase'), 'a planted link is skipped, not followed');
      assert.equal(fs.existsSync(path.join(dir, 'elsewhere')), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
