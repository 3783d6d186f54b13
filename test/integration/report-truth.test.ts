import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** Issue 12, finding 8: a report states the case status and every capture's integrity in its first lines. */
const fixture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');
const head = (file: string) => fs.readFileSync(file, 'utf8').split('\n').slice(0, 8).join('\n');

test('a report on a complete case with intact evidence says so at the top', async () => {
  const dir = tempDir();
  const ev = path.join(dir, 'ev.pcap');
  fs.copyFileSync(fixture, ev);
  const casePath = path.join(dir, 'c.flowcase');
  assert.equal((await runCli(['index', ev, '-o', casePath])).code, 0);
  const md = path.join(dir, 'r.md');
  assert.equal((await runCli(['report', casePath, '-o', md])).code, 0);
  assert.match(head(md), /Case status: complete/);
  assert.match(head(md), /Capture ev\.pcap: integrity verified, unchanged since import \(SHA-256 [0-9a-f]{64}\)/);

  // Changed evidence: same size, different bytes.
  const bytes = fs.readFileSync(ev);
  bytes[bytes.length - 1] ^= 0xff;
  fs.writeFileSync(ev, bytes);
  fs.utimesSync(ev, new Date(), new Date(Date.now() + 5000));
  const changed = path.join(dir, 'changed.html');
  const r1 = await runCli(['report', casePath, '-o', changed]);
  assert.equal(r1.code, 0);
  assert.match(r1.stderr, /warning: .*ev\.pcap has changed/);
  const html = fs.readFileSync(changed, 'utf8');
  const at = html.indexOf('CAPTURE ev.pcap HAS CHANGED since import');
  assert.ok(at > 0 && at < html.indexOf('<h2'), 'stated before the first section');

  fs.rmSync(ev);
  const missing = await runCli(['report', casePath]);
  assert.match(missing.stdout.split('\n').slice(0, 8).join('\n'), /CAPTURE ev\.pcap IS MISSING/);
  assert.match(missing.stderr, /warning: .*ev\.pcap is missing/);
});
