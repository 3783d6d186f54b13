/**
 * The report stored in the case: drafted from the findings with linked numbers and listed
 * placeholders, edited into new versions (add, remove, reorder sections), diffed, finalised
 * (frozen, hashed, immutable), and exported as Markdown, HTML and PDF with hostile text inert.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSynFlood, buildXssMarkup, XSS_IMG, XSS_SCRIPT } from '../support/make-fixtures';
import { analyseFrames, AnalysedCase } from '../unit/analysis/analysis-case';
import {
  diffVersions, finaliseReport, listPlaceholders, openReport, refreshReport, ReportError, saveReport, type StoredSection,
} from '../../electron/export/report-document';
import { exportReport } from '../../electron/export/report-export';
import { readLinkValues, resolveLinks } from '../../electron/export/report-links';
import { verifyCustodyChain } from '../../db/custody';
import { addAnnotation } from '../../db/annotation-store';

const HOSTILE = `${XSS_SCRIPT} ${XSS_IMG} [click](javascript:alert(1)) ![x](http://example.invalid/x.png) {{case:nosuch}}`;
const UNICODE = 'Привет, Ωμέγα, Ελλάδα — ünïcödé';
const hasTool = (cmd: string) => spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;
const PDFTOTEXT = hasTool('pdftotext');
const NO_PDFTOTEXT = PDFTOTEXT ? false : 'pdftotext (poppler-utils) is not installed';

function pdfText(pdf: Buffer, layout = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), path.join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

function fill(sections: StoredSection[]): StoredSection[] {
  return sections.map((s) => ({ ...s, markdown: s.markdown.replace(/\[Analyst:[^\]]*\]/g, 'The helpdesk took the first call at 09:02.') }));
}

describe('stored report: draft, versions, finalise', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('syn-flood-doc.pcap', buildSynFlood({ rate: 30, attackSec: 30, tailSec: 10 })); });
  after(() => c.close());

  test('drafted in the SYN-flood structure, placeholders listed, numbers linked to the case', () => {
    const r = openReport(c.db);
    const titles = r.current.sections.map((s) => s.title);
    for (const t of ['Incident summary', '1. Type of attack and evidence', '2. How the attack caused the malfunction', 'Timeline of events', 'Impact', 'Recommendations']) {
      assert.ok(titles.includes(t), `${t} in ${JSON.stringify(titles)}`);
    }
    assert.equal(r.current.number, 1);
    assert.equal(r.placeholders.length, 1);
    assert.match(r.placeholders[0].text, /^\[Analyst: add how the attack was first noticed/);
    const all = r.current.sections.map((s) => s.markdown).join('\n');
    assert.match(all, /\{\{finding:\d+:attackSyns\}\}/);
    const syns = c.db.prepare("SELECT json_extract(metrics, '$.attackSyns') FROM findings WHERE kind = 'syn-flood'").pluck().get() as number;
    assert.ok(resolveLinks(all, readLinkValues(c.db)).includes(`| Attack SYNs | ${syns.toLocaleString('en-US')} |`));
    // The case changes (re-analysis): the linked number follows, the text around it stays.
    c.db.prepare("UPDATE findings SET metrics = json_set(metrics, '$.attackSyns', 12948) WHERE kind = 'syn-flood'").run();
    assert.ok(resolveLinks(all, readLinkValues(c.db)).includes('| Attack SYNs | 12,948 |'));
    // An unknown token stays visible, as written.
    assert.equal(resolveLinks('{{case:nosuch}}', readLinkValues(c.db)), '{{case:nosuch}}');
  });

  test('every save is a version; sections can be edited, added, removed and reordered; versions diff', () => {
    const r = openReport(c.db);
    const [first, second, ...rest] = r.current.sections;
    const edited = { ...second, markdown: `${second.markdown}\n\nEdited by the analyst.` };
    const added = { key: '', title: 'Scope of this report', level: 2 as const, markdown: 'Only the web front end was examined.' };
    const sections = [edited, first, added, ...rest.slice(0, -1)];
    const s2 = saveReport(c.db, r.documentId, { title: r.current.title, sections, note: 'analyst edits' });
    assert.equal(s2.current.number, 2);
    assert.deepEqual(s2.current.sections.map((s) => s.title), sections.map((s) => s.title));
    assert.equal(s2.current.sections[2].key, 'analyst:3');
    assert.equal(s2.current.sections.length, r.current.sections.length);
    // Version 1 is untouched.
    const v1 = s2.versions.find((v) => v.number === 1)!;
    const diff = diffVersions(c.db, v1.id, s2.current.id);
    assert.ok(diff.some((d) => d.op === '+' && d.text === 'Edited by the analyst.'));
    assert.ok(diff.some((d) => d.op === '+' && d.text === '## Scope of this report'));
    assert.ok(diff.some((d) => d.op === '-' && d.text === `## ${rest[rest.length - 1].title.replace(/\./g, '.')}`) || diff.some((d) => d.op === '-'));
    // A refresh is a version too, and keeps the analyst's edits.
    const s3 = refreshReport(c.db, r.documentId);
    assert.equal(s3.current.number, 3);
    assert.ok(s3.current.sections[0].markdown.endsWith('Edited by the analyst.'));
  });

  test('finalise refuses while placeholders remain, then freezes and hashes; the frozen version never changes', async () => {
    const r = openReport(c.db);
    assert.throws(() => finaliseReport(c.db, r.documentId), (e: Error) => e instanceof ReportError && /1 placeholder still to fill/.test(e.message));
    const s = saveReport(c.db, r.documentId, { title: r.current.title, sections: fill(r.current.sections) });
    assert.equal(listPlaceholders(s.current.sections).length, 0);
    const f = finaliseReport(c.db, r.documentId);
    const frozen = c.db.prepare('SELECT frozen_markdown FROM report_versions WHERE id = ?').pluck().get(f.versionId) as string;
    assert.equal(f.sha256, crypto.createHash('sha256').update(frozen, 'utf8').digest('hex'));
    assert.doesNotMatch(frozen, /\{\{finding:/, 'linked numbers are resolved in the frozen text');
    assert.ok(frozen.includes('| Attack SYNs | 12,948 |'));
    assert.throws(() => finaliseReport(c.db, r.documentId), /already finalised/);
    assert.throws(() => c.db.prepare("UPDATE report_versions SET title = 'x' WHERE id = ?").run(f.versionId), /finalised version never changes/);
    assert.throws(() => c.db.prepare('UPDATE report_versions SET frozen_markdown = ? WHERE id = ?').run('x', f.versionId), /finalised version never changes/);
    assert.throws(() => c.db.prepare("UPDATE report_sections SET markdown = 'x' WHERE version_id = ?").run(f.versionId), /immutable/);
    assert.throws(() => c.db.prepare('DELETE FROM report_versions WHERE id = ?').run(f.versionId), /cannot be deleted/);
    // Later edits start a new draft; the case changing does not change the finalised text.
    const next = saveReport(c.db, r.documentId, { title: r.current.title, sections: [...s.current.sections, { key: '', title: 'Addendum', level: 2, markdown: 'Later note.' }] });
    assert.equal(next.current.finalisedAt, null);
    c.db.prepare("UPDATE findings SET metrics = json_set(metrics, '$.attackSyns', 1) WHERE kind = 'syn-flood'").run();
    const md = (await exportReport(c.db, { format: 'md', version: 'finalised' })).bytes.toString('utf8');
    // The export opens with the case status quote (checked at export time), then the frozen text unchanged.
    assert.ok(md.endsWith(frozen));
    assert.match(md.slice(0, md.length - frozen.length), /^> Case status: .*hashed: SHA-256 [0-9a-f]{64}\.\n\n$/s);
    const row = c.db.prepare("SELECT seq, details FROM custody WHERE action = 'report.finalised' ORDER BY seq DESC LIMIT 1").get() as { seq: number; details: string };
    assert.equal(row.seq, f.custody.seq);
    assert.ok(row.details.includes(f.sha256), 'finalise is recorded in the custody log with the hash');
    const saves = c.db.prepare("SELECT count(*) FROM custody WHERE action IN ('report.drafted', 'report.saved')").pluck().get() as number;
    assert.ok(saves >= 4, 'every save is in the custody log');
    assert.equal(verifyCustodyChain(c.db).ok, true);
  });

  test('PDF: header with case name and hash, page numbers, A4 and Letter', { skip: NO_PDFTOTEXT }, async () => {
    const a4 = await exportReport(c.db, { format: 'pdf', version: 'finalised' });
    const text = pdfText(a4.bytes);
    assert.ok(a4.text.sha256);
    assert.ok(text.includes(`${path.basename(c.db.name)} · Finalised version`), 'header: case name and status');
    assert.ok(text.includes(`SHA-256 ${a4.text.sha256}`), 'header: report hash');
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    assert.ok(pages >= 2, 'page numbers');
    assert.ok(text.includes(`Page ${pages} of ${pages}`));
    assert.ok(text.includes('Incident summary') && text.includes('Recommendations'));
    assert.ok(text.includes('The helpdesk took the first call at 09:02.'));
    assert.ok(text.includes("Figure 1. Packets over time, with the findings' time windows"), 'the timeline figure is drawn');
    const layoutText = pdfText(a4.bytes, true);
    assert.match(layoutText, /#\s+Severity\s+Finding\s+Start\s+End\s+Evidence/, 'table headers whole');
    assert.match(layoutText, /^\s*1\s+(critical|high)\s+SYN flood/m, 'table cells whole');
    const info = execFileSync('pdfinfo', ['-'], { input: a4.bytes, encoding: 'utf8' });
    assert.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const letter = await exportReport(c.db, { format: 'pdf', version: 'finalised', paper: 'LETTER' });
    assert.match(execFileSync('pdfinfo', ['-'], { input: letter.bytes, encoding: 'utf8' }), /Page size:\s+612 x 792 pts \(letter\)/);
  });
});

describe('stored report: hostile and non-Latin text in every export', () => {
  let c: AnalysedCase;
  let sections: StoredSection[];
  before(async () => {
    c = await analyseFrames('xss-markup.pcap', buildXssMarkup());
    addAnnotation(c.db, { target: { kind: 'packet', packetId: 2 }, text: `Beacon starts here ${XSS_SCRIPT}`, includeInReport: true });
    addAnnotation(c.db, { target: { kind: 'packet', packetId: 3 }, text: 'private scratch note', includeInReport: false });
    const r = openReport(c.db);
    sections = [...r.current.sections, { key: '', title: `Notes ${XSS_SCRIPT}`, level: 2, markdown: `${HOSTILE}\n\n${UNICODE}\n\n| Severity | Destination | File | Status |\n| --- | --- | --- | --- |\n| ${XSS_IMG} | ${UNICODE} | syn-flood-bundle.pcap | complete |`, generated: null }];
    saveReport(c.db, r.documentId, { title: r.current.title, sections });
  });
  after(() => c.close());

  test('"Analyst notes" gathers the annotations marked include-in-report, escaped', () => {
    const notes = openReport(c.db).current.sections.find((x) => x.title === 'Analyst notes');
    assert.ok(notes, 'Analyst notes section');
    assert.equal(notes.markdown.split('\n').length, 1);
    assert.ok(notes.markdown.startsWith('- [Packet 2](#packet=2): Beacon starts here \\<script\\>alert(1)\\</script\\>'));
    assert.ok(!openReport(c.db).current.sections.some((x) => x.markdown.includes('private scratch note')));
  });

  test('HTML: raw HTML shown as text, no link or image, strict CSP, no script', async () => {
    const html = (await exportReport(c.db, { format: 'html' })).bytes.toString('utf8');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    // The only links are cited packets, back into Flowcase (report-packet-links.test.ts).
    for (const m of html.matchAll(/href="([^"]*)"/gi)) assert.match(m[1], /^flowcase:\/\/packet\/[1-9][0-9]*\?case=[0-9a-f]{32}$/);
    assert.doesNotMatch(html, /javascript:alert\(1\)"/);
    assert.doesNotMatch(html, /https?:\/\/[^ <]*"/);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes(UNICODE));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
    assert.match(html, /<th>Severity<\/th>/);
    assert.match(html, /<figure id="timeline"><svg [^>]*>[\s\S]*<rect [\s\S]*<\/svg>\s*<figcaption>Figure 1\./, 'Figure 1 inline as SVG');
    assert.doesNotMatch(html, /<svg[^>]*\son\w+=|style=/i, 'no event handler or style attribute (the CSP forbids inline style)');
  });

  test('Markdown carries the text as written', async () => {
    const md = (await exportReport(c.db, { format: 'md' })).bytes.toString('utf8');
    assert.ok(md.includes(UNICODE));
    assert.ok(md.includes('## Notes \\<script\\>alert(1)\\</script\\>'));
  });

  test('PDF: hostile strings are inert text, non-Latin text renders, no PDF actions', { skip: NO_PDFTOTEXT }, async () => {
    const pdf = (await exportReport(c.db, { format: 'pdf' })).bytes;
    const text = pdfText(pdf);
    assert.ok(text.includes(XSS_SCRIPT), 'script tag as literal text');
    assert.ok(text.includes(XSS_IMG));
    assert.ok(text.includes('Привет, Ωμέγα, Ελλάδα'), 'Cyrillic and Greek through the embedded Unicode font');
    const layout = pdfText(pdf, true);
    assert.match(layout, /Severity\s+Destination\s+File\s+Status/, 'table headers whole, not "Severit y"');
    assert.match(layout, /syn-flood-bundle\.pcap\s+complete/, 'cell words whole, not "complet e"');
    const raw = pdf.toString('latin1');
    for (const action of ['/JavaScript', '/JS ', '/Launch', '/OpenAction', '/SubmitForm']) assert.ok(!raw.includes(action), action);
    // The only URI actions are cited packets' links back into Flowcase.
    for (const m of raw.matchAll(/\/URI \(([^)]*)\)/g)) assert.match(m[1], /^flowcase:\/\/packet\/[1-9][0-9]*\?case=[0-9a-f]{32}$/);
  });

  test('PDF without a Unicode font: falls back to Helvetica, says so, Latin text intact', { skip: NO_PDFTOTEXT }, async () => {
    const pdf = (await exportReport(c.db, { format: 'pdf', fontDirs: [] })).bytes;
    const text = pdfText(pdf);
    assert.ok(text.includes('no Unicode font was found'));
    assert.ok(text.includes(XSS_SCRIPT));
    assert.ok(text.includes('??????, ?????'), 'non-Latin-1 characters replaced, not garbled');
    assert.ok(text.includes('ünïcödé'));
  });
});
