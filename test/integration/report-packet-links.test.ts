/**
 * Packet numbers cited in the report link back to the packet: `[N](#packet=N)` in the stored
 * Markdown, `flowcase://packet/N?case=ID` in the HTML (an <a> whose text is still the number) and a
 * link annotation to the same URL in the PDF. Only packet citations become links.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSynFlood } from '../support/make-fixtures';
import { analyseFrames, AnalysedCase } from '../unit/analysis/analysis-case';
import { addAnnotation } from '../../db/annotation-store';
import { openReport, saveReport } from '../../electron/export/report-document';
import { exportReport } from '../../electron/export/report-export';
import { caseLinkId } from '../../electron/query/case-link-id';
import { tempDir } from '../support/repo-paths';

const NO_PDFTOTEXT = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error === undefined ? false : 'pdftotext (poppler-utils) is not installed';

describe('report packet links', () => {
  let c: AnalysedCase;
  let caseId: string;
  let annotated: number;
  before(async () => {
    c = await analyseFrames('syn-flood-links.pcap', buildSynFlood({ rate: 20, attackSec: 10, tailSec: 3, clients: 4 }));
    annotated = c.db.prepare('SELECT id FROM packets ORDER BY id LIMIT 1 OFFSET 3').pluck().get() as number;
    addAnnotation(c.db, { target: { kind: 'packet', packetId: annotated }, text: 'first contact', includeInReport: true });
    const r = openReport(c.db);
    // The analyst cites a packet by hand, and tries links that must stay text.
    const sections = r.current.sections.map((s) => ({ ...s }));
    sections.push({ key: '', title: 'Hand-written', level: 2, markdown: `As [packet ${annotated}](#packet=${annotated}) shows. Not links: [a](javascript:alert(1)) [b](#packet=1"onmouseover="x) [c](#packet=1&case=zz) [d](https://example.com/x).`, generated: null } as never);
    saveReport(c.db, r.documentId, { title: r.current.title, sections });
    caseId = caseLinkId(c.db)!;
  });
  after(() => c.close());

  test('the case id is the first custody entry\'s hash, and stays', () => {
    const first = c.db.prepare('SELECT hash FROM custody WHERE seq = 1').pluck().get() as string;
    assert.equal(caseId, first.slice(0, 32));
    assert.match(caseId, /^[0-9a-f]{32}$/);
  });

  test('the stored Markdown cites each evidence excerpt row and the annotated packet', () => {
    const sections = openReport(c.db).current.sections;
    const logs = sections.find((s) => s.title === 'What the logs show')!.markdown;
    const rows = logs.split('\n').filter((l) => /^\| \[\d+\]\(#packet=\d+\) \|/.test(l));
    assert.ok(rows.length >= 5, `cited rows: ${rows.length}`);
    for (const r of rows) { const m = /^\| \[(\d+)\]\(#packet=(\d+)\)/.exec(r)!; assert.equal(m[1], m[2]); }
    const notes = sections.find((s) => s.title === 'Analyst notes')!.markdown;
    assert.ok(notes.includes(`[Packet ${annotated}](#packet=${annotated}): first contact`), notes);
  });

  test('HTML: each citation is a flowcase:// link whose text is the number; nothing else links', async () => {
    const html = (await exportReport(c.db, { format: 'html' })).bytes.toString('utf8');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(hrefs.length >= 6);
    for (const h of hrefs) assert.match(h, new RegExp(`^flowcase://packet/[1-9][0-9]*\\?case=${caseId}$`), h);
    for (const m of html.matchAll(/<a class="packet" href="flowcase:\/\/packet\/(\d+)\?case=[0-9a-f]{32}" title="Open packet (\d+) in Flowcase">([^<]*)<\/a>/g)) {
      assert.equal(m[1], m[2]);
      assert.ok(m[3] === m[1] || m[3] === `packet ${m[1]}` || m[3] === `Packet ${m[1]}`, m[3]);
    }
    assert.ok(html.includes(`>packet ${annotated}</a> shows.`));
    assert.doesNotMatch(html, /onmouseover="/);
    assert.doesNotMatch(html, /href="https?:/);
  });

  test('PDF: citations are link annotations to the same URL, the number stays readable text', { skip: NO_PDFTOTEXT }, async () => {
    const pdf = (await exportReport(c.db, { format: 'pdf' })).bytes;
    const raw = pdf.toString('latin1');
    const uris = [...raw.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    assert.ok(uris.length >= 6, `link annotations: ${uris.length}`);
    for (const u of uris) assert.match(u, new RegExp(`^flowcase://packet/[1-9][0-9]*\\?case=${caseId}$`), u);
    assert.ok(uris.includes(`flowcase://packet/${annotated}?case=${caseId}`));
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'r.pdf'), pdf);
    const text = spawnSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).stdout;
    fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(text.includes(`As packet ${annotated} shows.`), 'the cited number reads as text');
    assert.ok(text.includes(`Packet ${annotated}: first contact`));
  });

  test('Markdown keeps the #packet=N citations (the stored, hashed text)', async () => {
    const md = (await exportReport(c.db, { format: 'md' })).bytes.toString('utf8');
    assert.ok(md.includes(`[packet ${annotated}](#packet=${annotated})`));
    assert.doesNotMatch(md, /flowcase:\/\//);
  });
});
