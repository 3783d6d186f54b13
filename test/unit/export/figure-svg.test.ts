/**
 * The handshake figure's SVG and the SVG reader that draws figures into the PDF: hostile text stays
 * character data (well-formed XML, decoded back to the same characters), and the reader keeps to
 * the subset our renderers write.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { renderHandshakeSvg, type HandshakeFigure } from '../../../renderer/src/charts/handshake-svg';
import { decodeXml, drawSvg, parseSvg, viewBoxOf } from '../../../electron/export/figures/svg-pdf';

const EVIL = '<script>alert(1)</script>"&\'';
const hasPython = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0;

function figure(): HandshakeFigure {
  const arrow = (packetId: number, fromClient: boolean, label: string, mark: string | null = null) =>
    ({ packetId, timeSec: packetId / 1000, fromClient, label, mark, tone: mark ? 'broken' as const : 'ok' as const });
  return {
    title: `Figure 3. ${EVIL}`,
    completed: { heading: `Completed ${EVIL}`, client: `${EVIL}:1`, server: '192.0.2.1:443', arrows: [arrow(10, true, 'SYN'), arrow(11, false, 'SYN, ACK'), arrow(12, true, 'ACK')], more: 4, missingAck: false },
    attack: { heading: 'Attack', client: '203.0.113.9:1000', server: '192.0.2.1:443', arrows: [arrow(20, true, 'SYN'), arrow(21, false, 'SYN, ACK', `never ACKed ${EVIL}`)], more: 0, missingAck: true },
  };
}

describe('handshake figure SVG', () => {
  it('escapes every text and parses as XML', { skip: hasPython ? false : 'python3 is not installed' }, () => {
    const svg = renderHandshakeSvg(figure());
    assert.ok(!svg.includes('<script'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-hs-')), 'h.svg');
    fs.writeFileSync(file, svg);
    const r = spawnSync('python3', ['-c', 'import sys, json, xml.etree.ElementTree as E; print(json.dumps(["".join(e.itertext()) for e in E.parse(sys.argv[1]).iter("{http://www.w3.org/2000/svg}text")]))', file], { encoding: 'utf8' });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    const texts = JSON.parse(r.stdout) as string[];
    assert.ok(texts.includes(`Completed ${EVIL}`));
    assert.ok(texts.includes('No. 21') && texts.includes('0.021000 s'));
    assert.ok(texts.includes('ACK never sent'));
    assert.ok(texts.includes('… and 4 more packets in this conversation'));
  });

  it('draws the missing ACK only on the side that lacks it', () => {
    const svg = renderHandshakeSvg(figure());
    assert.equal(svg.match(/<g class="missing-ack">/g)?.length, 1);
    const both = renderHandshakeSvg({ ...figure(), attack: null });
    assert.ok(both.includes('No attack handshake was found among the evidence.'));
    assert.ok(!both.includes('missing-ack'));
  });
});

describe('SVG reader for the PDF', () => {
  it('decodes character data back to the text that was escaped', () => {
    const svg = parseSvg(renderHandshakeSvg(figure()))!;
    assert.equal(svg.name, 'svg');
    const texts: string[] = [];
    const walk = (n: ReturnType<typeof parseSvg>) => { if (!n) return; if (n.name === 'text') texts.push(n.text); n.children.forEach(walk); };
    walk(svg);
    assert.ok(texts.includes(`Completed ${EVIL}`));
    assert.equal(decodeXml('&lt;&#x41;&#66;&amp;lt;&bogus;'), '<AB&lt;&bogus;');
    assert.deepEqual(viewBoxOf(svg), { x: 0, y: 0, width: 760, height: Number(svg.attrs.height) });
  });

  it('tolerates unbalanced markup and ignores what it does not know', () => {
    const svg = parseSvg('<svg viewBox="0 0 10 10"><g><foreignObject><p>x</p></foreignObject><text x="1" y="2">a</g></svg>')!;
    assert.equal(svg.children[0].name, 'g');
    assert.equal(parseSvg('<p>not svg</p>'), null);
    const doc = new PDFDocument({ size: 'A4' });
    const box = drawSvg(doc, svg, { body: 'Helvetica', bold: 'Helvetica-Bold', text: (s) => s }, 50, 60, 200, 400);
    assert.deepEqual(box, { width: 200, height: 200 });
    assert.equal(doc.y, 72, 'the cursor is where it was');
    doc.end();
  });
});
