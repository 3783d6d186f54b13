/**
 * The report's figures: timeline, host graph and handshake comparison, inline in the HTML, drawn
 * from the same SVG in the PDF (checked with pdftotext), referenced from the bundle's Markdown.
 * Names in the graph come from DNS answers and are attacker-controlled: a hostile name must stay
 * text (well-formed XML, no markup in the HTML, the same characters in the PDF's text).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSynFlood } from '../support/make-fixtures';
import { analyseFrames, AnalysedCase } from '../unit/analysis/analysis-case';
import { reportFigures } from '../../electron/export/figures/report-figures';
import { MAX_REPORT_NODES } from '../../electron/export/figures/graph-figure';
import { exportReport, figuresMarkdown } from '../../electron/export/report-export';
import { openReport } from '../../electron/export/report-document';
import { tempDir } from '../support/repo-paths';

const has = (cmd: string, arg = '-v') => spawnSync(cmd, [arg], { stdio: 'ignore' }).error === undefined;
const NO_PDFTOTEXT = has('pdftotext') ? false : 'pdftotext (poppler-utils) is not installed';
const NO_PYTHON = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0 ? false : 'python3 is not installed';

/** Short enough for a graph label (36 characters) to show it whole. */
const HOSTILE = '<script>alert(1)</script>&x;]]>\u0007.ex';

function xmlParses(svg: string): { ok: boolean; texts: string[]; error: string } {
  const dir = tempDir();
  const file = path.join(dir, 'f.svg');
  fs.writeFileSync(file, svg);
  const r = spawnSync('python3', ['-c', [
    'import sys, json, xml.etree.ElementTree as E',
    't = E.parse(sys.argv[1])',
    'print(json.dumps(["".join(e.itertext()) for e in t.iter("{http://www.w3.org/2000/svg}text")]))',
  ].join('\n'), file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { ok: r.status === 0, texts: r.status === 0 ? JSON.parse(r.stdout) as string[] : [], error: r.stderr };
}

function pdfText(pdf: Buffer): string {
  const dir = tempDir();
  const file = path.join(dir, 'r.pdf');
  fs.writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('report figures', () => {
  let c: AnalysedCase;
  before(async () => {
    c = await analyseFrames('syn-flood-figures.pcap', buildSynFlood({ rate: 20, attackSec: 20, tailSec: 5, clients: 6 }));
    // A DNS name for the target, written as an attacker would answer it.
    const target = c.db.prepare("SELECT id FROM addrs WHERE addr = '192.0.2.1'").pluck().get() as number;
    c.db.prepare("INSERT INTO host_names (addr_id, name, source) VALUES (?, ?, 'dns')").run(target, HOSTILE);
    openReport(c.db);
  });
  after(() => c.close());

  test('a SYN-flood case gets the timeline, the host graph and the handshake comparison, numbered', async () => {
    const figures = await reportFigures(c.db);
    assert.deepEqual(figures.map((f) => f.file), ['timeline.svg', 'host-graph.svg', 'handshake-finding-1.svg']);
    figures.forEach((f, i) => {
      assert.match(f.title, new RegExp(`^Figure ${i + 1}\\. `));
      assert.match(f.caption, new RegExp(`^Figure ${i + 1}\\. `));
    });
  });

  test('the graph keeps the attacker beside the target and its clients, not folded away', async () => {
    const svg = (await reportFigures(c.db))[1].svg;
    assert.match(svg, /<text [^>]*>203\.0\.113\.\d+<\/text>/, 'the attacking address is a labelled node');
  });

    test('every figure is well-formed XML and the hostile name is text in it', { skip: NO_PYTHON }, async () => {
    const figures = await reportFigures(c.db);
    for (const f of figures) {
      const r = xmlParses(f.svg);
      assert.ok(r.ok, `${f.file}: ${r.error}`);
      assert.ok(!/<script/i.test(f.svg), `${f.file} carries no markup from the capture`);
    }
    const graph = xmlParses(figures[1].svg);
    // The BEL is not allowed in XML: it becomes a visible replacement character; the rest is verbatim.
    assert.ok(graph.texts.some((t) => t.includes('<script>alert(1)</script>&x;]]>')), 'the name is drawn as its characters');
  });

  test('the handshake figure shows SYN, SYN/ACK, ACK beside SYN, SYN/ACK and the missing ACK, with the case\'s packet numbers and times', { skip: NO_PYTHON }, async () => {
    const svg = (await reportFigures(c.db))[2].svg;
    const texts = xmlParses(svg).texts;
    const ids = [...svg.matchAll(/<g class="arrow" data-packet="(\d+)">/g)].map((m) => Number(m[1]));
    assert.ok(ids.length >= 5, `arrows drawn: ${ids.length}`);
    const base = BigInt(c.db.prepare('SELECT min(ts_ns) FROM packets').safeIntegers(true).pluck().get() as bigint);
    for (const id of ids) {
      const row = c.db.prepare('SELECT tcp_flags, ts_ns FROM packets WHERE id = ?').safeIntegers(true).get(id) as { tcp_flags: bigint; ts_ns: bigint };
      assert.ok(texts.includes(`No. ${id}`), `packet ${id} is numbered`);
      assert.ok(texts.includes(`${(Number(row.ts_ns - base) / 1e9).toFixed(6)} s`), `packet ${id} carries its case time`);
    }
    // The completed side: SYN, SYN/ACK, ACK from one legitimate client.
    const first = ids.slice(0, 3).map((id) => Number(c.db.prepare('SELECT tcp_flags FROM packets WHERE id = ?').pluck().get(id)));
    assert.deepEqual(first, [0x02, 0x12, 0x10]);
    assert.ok(texts.some((t) => t.startsWith('Completed client handshake (192.0.2.')));
    assert.ok(texts.some((t) => t.startsWith('Attack handshake (203.0.113.')));
    assert.ok(texts.includes('ACK never sent'));
    assert.ok(texts.some((t) => /never ACKed/.test(t)), 'the SYN/ACK the attacker never acknowledged is marked');
  });

  test('HTML inlines every figure under the strict CSP, escaped', async () => {
    const html = (await exportReport(c.db, { format: 'html' })).bytes.toString('utf8');
    assert.equal(html.match(/<figure id="[a-z0-9-]+"><svg /g)?.length, 3);
    assert.ok(html.includes('<figure id="handshake-finding-1">'));
    assert.ok(!html.includes('<script'), 'no script element, not even from the hostile name');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&amp;x;]]&gt;'));
    assert.ok(!/ style="/.test(html), 'presentation attributes only: the CSP forbids style attributes');
  });

  test('PDF draws the figures from the same SVG: their text is in pdftotext output', { skip: NO_PDFTOTEXT }, async () => {
    const text = pdfText((await exportReport(c.db, { format: 'pdf' })).bytes);
    for (const s of ['Figure 1. Packets over time', 'Figure 2. Host graph', 'Figure 3. Finding #1', 'ACK never sent', 'Completed client handshake', 'Node colour: role']) {
      assert.ok(text.includes(s), s);
    }
    const ids = [...(await reportFigures(c.db))[2].svg.matchAll(/data-packet="(\d+)"/g)].map((m) => m[1]);
    for (const id of ids) assert.ok(text.includes(`No. ${id}`), `No. ${id} in the PDF`);
    assert.ok(text.includes('<script>alert(1)</script>&x;]]>'), 'the hostile name is drawn as plain characters');
  });

  test('Markdown refers to the figure files in the bundle, after the report text; alone it has none', async () => {
    const figures = await reportFigures(c.db);
    const bundled = figuresMarkdown(figures, '../figures/');
    assert.match(bundled, /!\[Figure 2\. Host graph: who talked to whom\]\(\.\.\/figures\/host-graph\.svg\)/);
    assert.match(bundled, /\(\.\.\/figures\/handshake-finding-1\.svg\)/);
    assert.match(bundled, /^\n---\n\n## Figures\n/, 'after a rule, so the report text above stays as hashed');
    assert.equal(figuresMarkdown(figures), '');
    const alone = (await exportReport(c.db, { format: 'md' })).bytes.toString('utf8');
    assert.doesNotMatch(alone, /## Figures/);
  });

  test('the graph figure stays bounded on a DDoS of thousands of spoofed sources', { timeout: 300_000 }, async () => {
    const ddos = await analyseFrames('syn-flood-ddos-figures.pcap', buildSynFlood({ ddos: true, rate: 100, attackSec: 20, tailSec: 2, clients: 4 }));
    try {
      const hosts = ddos.db.prepare('SELECT count(*) FROM addrs').pluck().get() as number;
      assert.ok(hosts > 1000, `sources: ${hosts}`);
      const graph = (await reportFigures(ddos.db)).find((f) => f.file === 'host-graph.svg')!;
      const circles = graph.svg.match(/<circle /g)?.length ?? 0;
      assert.ok(circles <= MAX_REPORT_NODES + 20, `nodes drawn: ${circles}`);
      assert.ok(graph.svg.length < 200_000, `SVG size ${graph.svg.length}`);
      assert.match(graph.svg, /other hosts/);
    } finally {
      ddos.close();
    }
  });
});
