import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';
import { execFileSync } from 'node:child_process';
import { openCase } from '../../db/open-case';
import { finaliseReport, openReport, saveReport } from '../../electron/export/report-document';

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

test('a stored and a finalised report state the case status and capture integrity first, in every format', async () => {
  const dir = tempDir();
  const ev = path.join(dir, 'ev.pcap');
  fs.copyFileSync(fixture, ev);
  const casePath = path.join(dir, 'c.flowcase');
  assert.equal((await runCli(['index', ev, '-o', casePath])).code, 0);
  const db = openCase(casePath);
  try {
    const r = openReport(db);
    const filled = r.current.sections.map((sec) => ({ ...sec, markdown: sec.markdown.replace(/\[Analyst:[^\]]*\]/g, 'Reported by the helpdesk.') }));
    saveReport(db, r.documentId, { title: r.current.title, sections: filled });
    finaliseReport(db, r.documentId);
  } finally { db.close(); }
  fs.rmSync(ev);
  for (const ext of ['md', 'html', 'pdf']) {
    const out = path.join(dir, `final.${ext}`);
    const res = await runCli(['report', casePath, '--version', 'finalised', '-o', out]);
    assert.equal(res.code, 0, res.stderr);
    if (ext === 'pdf' && !hasPdftotext()) continue;
    const text = ext === 'pdf' ? execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }) : fs.readFileSync(out, 'utf8');
    const at = text.indexOf('CAPTURE ev.pcap IS MISSING');
    assert.ok(at >= 0, `${ext}: the missing capture is stated`);
    const firstSection = ext === 'md' ? text.indexOf('\n## ') : ext === 'html' ? text.indexOf('<h2') : text.indexOf('Incident summary');
    assert.ok(firstSection > at, `${ext}: stated before the first section`);
  }
  const md = fs.readFileSync(path.join(dir, 'final.md'), 'utf8');
  assert.match(md, /The finalised report text below this quote is hashed: SHA-256 [0-9a-f]{64}/);
});

function hasPdftotext(): boolean {
  try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
}
