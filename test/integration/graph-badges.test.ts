/**
 * Annotation badges on the host graph, on a case indexed from a committed fixture capture:
 * host annotations land on the host's node (or its fold/group node), flow annotations on the
 * edge of the flow's pair, deleted ones count for nothing, tags most serious first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase, type CaseDb } from '../../db/open-case';
import { addAnnotation, deleteAnnotation } from '../../db/annotation-store';
import { hostGraph } from '../../electron/query/host-graph';
import { renderGraphSvg } from '../../renderer/src/charts/graph-svg';
import { repoRoot, tempDir } from '../support/repo-paths';

const work = tempDir('flowcase-badges-');
const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'port-scan-horizontal.pcap');
let db: CaseDb;

/** The busiest flow's pair and one address the scanner touched that is not in it. */
let scanner = '';
let target = '';
let flowId = 0;
let other = '';

before(async () => {
  const casePath = path.join(work, 'scan.flowcase');
  await indexCaptures({ casePath, captures: [capture] }); // no detector run: no findings, plain roles
  process.env.FLOWCASE_ANALYST = 'Badge Tester';
  db = openCase(casePath);
  const f = db.prepare(`SELECT f.id, o.addr AS o, r.addr AS r FROM flows f JOIN addrs o ON o.id = f.orig_id JOIN addrs r ON r.id = f.resp_id
    ORDER BY f.orig_pkts + f.resp_pkts DESC, f.id LIMIT 1`).get() as { id: number; o: string; r: string };
  scanner = f.o; target = f.r; flowId = f.id;
  other = (db.prepare(`SELECT r.addr FROM flows f JOIN addrs o ON o.id = f.orig_id JOIN addrs r ON r.id = f.resp_id
    WHERE o.addr = ? AND r.addr NOT IN (?, ?) ORDER BY r.addr LIMIT 1`).get(scanner, scanner, target) as { addr: string }).addr;
});
after(() => { db.close(); fs.rmSync(work, { recursive: true, force: true }); });

test('host and flow annotations become node and edge badges; deleted ones do not count', () => {
  const before = hostGraph(db, { top: 1000 });
  assert.ok(before.nodes.every((n) => !n.annotations) && before.edges.every((e) => !e.annotations), 'no badges without annotations');

  addAnnotation(db, { target: { kind: 'host', addr: scanner }, text: 'the scanner', tags: ['todo'] });
  addAnnotation(db, { target: { kind: 'host', addr: scanner }, text: '', tags: ['malicious', 'todo'] });
  const gone = addAnnotation(db, { target: { kind: 'host', addr: scanner }, text: '', tags: ['benign'] });
  deleteAnnotation(db, gone.id);
  addAnnotation(db, { target: { kind: 'flow', flowId }, text: 'first probe', tags: ['evidence', '<b>x</b>', 'suspicious'] });

  const g = hostGraph(db, { top: 1000 });
  const node = g.nodes.find((n) => n.id === scanner)!;
  assert.deepEqual(node.annotations, { count: 2, tags: ['malicious', 'todo'] });
  const edge = g.edges.find((e) => e.src === scanner && e.dst === target)!;
  assert.deepEqual(edge.annotations, { count: 1, tags: ['suspicious', 'evidence', '<b>x</b>'] });
  const badged = g.nodes.filter((n) => n.annotations).map((n) => n.id);
  assert.deepEqual(badged, [scanner], 'only the annotated host carries a badge');
  assert.equal(g.edges.filter((e) => e.annotations).length, 1, 'only the annotated pair carries a badge');

  // The SVG export draws both badges and keeps the analyst's tag text as escaped text.
  const positions = Object.fromEntries(g.nodes.map((n, i) => [n.id, { x: (i % 10) * 60, y: Math.floor(i / 10) * 60 }]));
  const svg = renderGraphSvg(g, positions, { measure: 'bytes' });
  assert.equal(svg.match(/<g class="badge">/g)?.length, 2);
  assert.ok(svg.includes('<title>2 annotations: malicious, todo</title>'));
  assert.ok(svg.includes('1 annotation: suspicious, evidence, &lt;b&gt;x&lt;/b&gt;'));
  assert.ok(!svg.includes('<b>x</b>'));
});

test('a folded host\'s annotation badges its fold node; a grouped host\'s its /24', () => {
  addAnnotation(db, { target: { kind: 'host', addr: other }, text: 'scanned', tags: ['false-positive'] });
  const g = hostGraph(db, { top: 1 });
  const fold = g.nodes.find((n) => n.kind === 'fold' && n.annotations);
  assert.ok(fold, 'the fold node holding the annotated host carries a badge');
  assert.deepEqual(fold.annotations, { count: 1, tags: ['false-positive'] });
  assert.deepEqual(g.nodes.find((n) => n.id === scanner)?.annotations, { count: 2, tags: ['malicious', 'todo'] });

  const grouped = hostGraph(db, { top: 1000, group: 24 });
  const prefix = `${other.split('.').slice(0, 3).join('.')}.0/24`;
  const groupNode = grouped.nodes.find((n) => n.id === prefix)!;
  assert.ok(groupNode.annotations && groupNode.annotations.count >= 1);
  assert.ok(groupNode.annotations.tags.includes('false-positive'));
});
