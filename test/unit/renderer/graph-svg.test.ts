import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { escapeXml, renderGraphSvg } from '../../../renderer/src/charts/graph-svg';
import { labelledNodes, nodeLabel } from '../../../renderer/src/charts/graph-style';
import { LADDER, layoutLadder, markText } from '../../../renderer/src/charts/ladder-layout';
import { dotString, renderGraphDot } from '../../../electron/export/graph-dot';
import type { HostGraph, LadderPage } from '../../../electron/model/graph';

const EVIL = '<script>alert(1)</script>"&\'\u0001';

function hostileGraph(): HostGraph {
  const node = (id: string, name: string, role: 'target' | 'other') => ({
    id, addr: id, kind: 'host' as const, name, packets: 10, bytes: 1000, pktsOut: 5, pktsIn: 5, peers: 1, role, internal: false, members: 1, findingIds: [],
  });
  return {
    nodes: [{ ...node('192.0.2.1', EVIL, 'target'), annotations: { count: 3, tags: ['malicious', EVIL] } }, node('198.51.100.7', `${EVIL}\\" -> "x`, 'other')],
    edges: [{ src: '198.51.100.7', dst: '192.0.2.1', packets: 10, bytes: 1000, flows: 1, services: [`443/tcp ${EVIL}`], states: { 'half-open': 1 }, outcome: 'half-open', firstTs: '1', lastTs: '2', annotations: { count: 1, tags: [EVIL] } }],
    edgeTotal: 1, hostTotal: 2, folded: 0, positions: {}, homeNetworks: [],
  };
}

const hasPython = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0;

describe('graph SVG and DOT', () => {
  it('escapes attacker-controlled names and stays well-formed XML', { skip: hasPython ? false : 'python3 is not installed' }, () => {
    const svg = renderGraphSvg(hostileGraph(), { '192.0.2.1': { x: 0, y: 0 }, '198.51.100.7': { x: 100, y: 50 } }, { measure: 'bytes', title: EVIL });
    assert.ok(!svg.includes('<script'), 'no markup from a name survives');
    assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    // Annotation badges: one on the node (count 3, malicious red), one on the edge; tags only as escaped text.
    assert.equal(svg.match(/<g class="badge">/g)?.length, 2);
    assert.ok(svg.includes('<title>3 annotations: malicious, &lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&apos;·</title>'), 'node badge tooltip');
    assert.ok(svg.includes('fill="#c0392b" stroke="#ffffff"'), 'the node badge takes the malicious colour');
    assert.match(svg, />3<\/text><\/g>/, 'the count is drawn beside the dot');
    assert.ok(svg.includes('Badge: annotations'), 'the legend explains badges');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-svg-')), 'g.svg');
    fs.writeFileSync(file, svg);
    const r = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; t = E.parse(sys.argv[1]); print(len(list(t.iter("{http://www.w3.org/2000/svg}circle"))))', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(Number(r.stdout) >= 2);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('escapeXml replaces characters XML forbids', () => {
    assert.equal(escapeXml('a\u0001b<'), 'a\ufffdb&lt;');
  });

  it('quotes every DOT string so a name cannot end its statement', () => {
    assert.equal(dotString('a"b\\c'), '"a\\"b\\\\c"');
    const dot = renderGraphDot(hostileGraph(), 'bytes');
    // Statements that start with a quoted id followed by -> are edges; a name's "->" stays inside its quotes.
    assert.equal(dot.split('\n').filter((l) => /^  "(?:[^"\\]|\\.)*" -> "/.test(l)).length, 1, 'the hostile name adds no edge');
    const gv = spawnSync('dot', ['-Tjson0'], { input: dot, encoding: 'utf8' });
    if (gv.status === 0) {
      const parsed = JSON.parse(gv.stdout) as { objects: Array<{ name: string }>; edges: unknown[] };
      assert.equal(parsed.edges.length, 1);
      assert.deepEqual(parsed.objects.map((o) => o.name).sort(), ['192.0.2.1', '198.51.100.7']);
    }
  });

  it('labels targets and the heaviest nodes, and cuts long names', () => {
    const g = hostileGraph();
    assert.ok(labelledNodes(g, 'bytes').has('192.0.2.1'));
    assert.ok(nodeLabel({ name: 'x'.repeat(80), addr: '10.0.0.1', kind: 'host' })[0].length <= 36);
  });
});

describe('ladder layout', () => {
  const arrow = (id: number, gap: number | null) => ({ packetId: id, rel: id, from: 0, to: 1, flags: 'SYN', info: '', seq: 0, ack: null, length: 58, marks: [], gapBeforeSec: gap });
  it('gives a silence its own band between the arrows, never over one', () => {
    const page = { columns: ['a:1', 'b:2'], arrows: [arrow(1, null), arrow(2, 3.2), arrow(3, null)] } as unknown as LadderPage;
    const g = layoutLadder(page);
    const [a, b, c] = g.arrows;
    assert.equal(a.gapY, null);
    assert.ok(b.gapY! - 8 > a.y + 13, 'band below the previous arrow\'s mark text');
    assert.ok(b.gapY! + 6 < b.y - 16, 'band above this arrow\'s label');
    assert.equal(c.y - b.y, LADDER.row, 'no silence, one row');
    assert.equal(b.y - a.y, LADDER.row + LADDER.gap, 'a silence adds its band');
    assert.ok(g.columnX[1] > g.columnX[0]);
  });
  it('says what broke in words', () => {
    assert.equal(markText({ kind: 'retransmission', backoffSec: 2 }), 'retransmission after 2.00 s');
    assert.equal(markText({ kind: 'half-open' }), 'half-open: SYN/ACK never ACKed');
  });
});
