/**
 * `flowcase graph`: the JSON shape of the issue, DOT that Graphviz parses back to the same graph,
 * and SVG that is well-formed XML, on the generated SYN-flood and DDoS incidents.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/run-cli';
import { repoRoot } from '../support/repo-paths';

const captures = path.join(repoRoot(), 'test', 'fixtures', 'captures');
const hasDot = spawnSync('dot', ['-V']).status === 0;
const hasPython = spawnSync('python3', ['-c', 'import xml.etree.ElementTree']).status === 0;

/** Well-formed XML, checked by an independent parser (Python's expat). */
function xmlError(file: string): string | null {
  const r = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])', file], { encoding: 'utf8' });
  return r.status === 0 ? null : r.stderr.trim().split('\n').at(-1) ?? 'parse failed';
}

describe('flowcase graph', () => {
  let dir: string;
  let syn: string;
  let ddos: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-graph-cli-'));
    syn = path.join(dir, 'syn.flowcase');
    ddos = path.join(dir, 'ddos.flowcase');
    for (const [capture, out] of [['syn-flood-443.pcap', syn], ['syn-flood-ddos.pcap', ddos]]) {
      const r = await runCli(['index', path.join(captures, capture), '-o', out], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the issue\'s JSON shape', async () => {
    const r = await runCli(['graph', syn, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout) as { nodes: Array<Record<string, unknown>>; edges: Array<Record<string, unknown>> };
    for (const n of g.nodes) for (const k of ['addr', 'name', 'packets', 'bytes', 'peers', 'role']) assert.ok(k in n, `node has ${k}`);
    for (const e of g.edges) for (const k of ['src', 'dst', 'packets', 'bytes', 'flows', 'services', 'states']) assert.ok(k in e, `edge has ${k}`);
    const attack = g.edges.find((e) => e.src === '203.0.113.0' && e.dst === '192.0.2.1')!;
    assert.equal(attack.outcome, 'half-open');
    assert.equal(g.nodes.find((n) => n.addr === '192.0.2.1')!.role, 'target');
  });

  it('folds the DDoS\'s scattered sources into members-carrying nodes, with --top and --group 24', async () => {
    const r = await runCli(['graph', ddos, '--json', '--top', '40', '--group', '24']);
    assert.equal(r.code, 0, r.stderr);
    const g = JSON.parse(r.stdout) as { nodes: Array<{ addr: string; members?: number; role: string }>; hostTotal: number };
    assert.ok(g.nodes.length <= 42, `${g.nodes.length} nodes`);
    // Grouped, the server is inside 192.0.2.0/24: the spoofed crowd folds beside that group.
    const fold = g.nodes.find((n) => n.addr === 'others:192.0.2.0/24:external')!;
    assert.ok(fold.members! > 5000, `${fold.members} folded`);
    assert.equal(g.nodes.reduce((s, n) => s + (n.members ?? 1), 0), g.hostTotal);
  });

  it('writes DOT that Graphviz parses back to the same nodes and edges', { skip: hasDot ? false : 'graphviz (dot) is not installed' }, async () => {
    const r = await runCli(['graph', ddos, '--dot', '--top', '30']);
    assert.equal(r.code, 0, r.stderr);
    const json = await runCli(['graph', ddos, '--json', '--top', '30']);
    const g = JSON.parse(json.stdout) as { nodes: unknown[]; edges: Array<{ src: string; dst: string; packets: number }> };
    const parsed = spawnSync('dot', ['-Tjson0'], { input: r.stdout, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(parsed.status, 0, parsed.stderr);
    const back = JSON.parse(parsed.stdout) as { objects: Array<{ name: string; packets: string }>; edges: Array<{ tail: number; head: number; packets: string }> };
    assert.equal(back.objects.length, g.nodes.length);
    assert.equal(back.edges.length, g.edges.length);
    const names = back.objects.map((o) => o.name);
    const edges = back.edges.map((e) => `${names[e.tail]} > ${names[e.head]} ${e.packets}`).sort();
    assert.deepEqual(edges, g.edges.map((e) => `${e.src} > ${e.dst} ${e.packets}`).sort());
  });

  it('writes well-formed SVG with -o, and refuses to write over the case', { skip: hasPython ? false : 'python3 is not installed (used as an independent XML parser)' }, async () => {
    const out = path.join(dir, 'graph.svg');
    const r = await runCli(['graph', syn, '-o', out], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(xmlError(out), null);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.includes('>192.0.2.1<') && svg.includes('half-open / unanswered'));
    const refused = await runCli(['graph', syn, '-o', syn.replace(/\.flowcase$/, '.svg')]);
    assert.equal(refused.code, 0);
    const over = await runCli(['graph', syn, '-o', path.join(dir, 'graph.svg')]);
    assert.equal(over.code, 2, 'an existing file needs --force');
  });

  it('says what is wrong with bad options, exit 2', async () => {
    for (const args of [['--top', '0'], ['--group', '16'], ['--json', '--dot'], ['-o', 'x.png'], ['--filter', 'tcp.port ==']]) {
      const r = await runCli(['graph', syn, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.trim().length > 0);
    }
  });
});
