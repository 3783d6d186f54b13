/**
 * The packet-detail tree against tshark's detail view, field by field (issue 13 point 5): ICMP and
 * ICMPv6 type/code names, the packet quoted inside ICMP errors down to the DNS query, DNS
 * opcode/rcode/type/class names, TCP relative and raw sequence/acknowledgement numbers, the flag
 * bits one per line, window scaling, TLS hello cipher suites and extensions, ServerHello version and
 * cipher, certificate subject and issuer, and TCP reassembly of records spanning segments.
 *
 * tshark's view is recorded (scripts/tshark-dissection-reference.mjs) in test/fixtures/dissection/,
 * so this runs without tshark: each capture is indexed into a case and every frame's detail is
 * built by packetDetail(), the path the detail pane uses (bytes read back from the capture, the
 * flow's neighbouring packets for relative numbers and reassembly). Every recorded
 * [context, field, showname] must appear as a node label: anywhere in the tree for context '', inside
 * the ICMP/ICMPv6 layer for 'quoted'. A last test re-runs tshark, where installed, to show the
 * recorded views are current.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { packetDetail } from '../../electron/query/packet-detail';
import { repoRoot, tempDir } from '../support/repo-paths';

interface Fixture { tshark: string; capture: string; sha256: string; frames: Record<string, Array<[string, string, string]>> }
interface Node { label: string; children?: unknown[] }

const DIR = path.join(repoRoot(), 'test', 'fixtures', 'dissection');
const REAL = process.env.FLOWCASE_REAL_CAPTURES ?? path.resolve(repoRoot(), '..', 'shared', 'captures', 'real');
/** The fields compared (the fixtures record only these). */
const COMPARED = /^(icmp|icmpv6|ip|ipv6|udp|dns|tcp|tls|x509af|x509if)\./;

/**
 * Where we knowingly show less than tshark, by capture, frame and field, with the reason. An entry
 * that no longer matches a gap fails the test, so the list cannot go stale.
 */
const KNOWN_GAPS: Array<{ capture: string; frame: number; field: string; why: string }> = [
  { capture: 'zeek__get.pcap', frame: 9, field: 'tcp.segments', why: 'reassembly is built for TLS records only; this is an HTTP response body over four segments' },
  { capture: 'arkime__v6-http.pcap', frame: 51, field: 'tcp.segments', why: 'reassembly is built for TLS records only; this is an HTTP response over two segments' },
];
const HAS_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

function labels(nodes: Node[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.label);
    if (n.children) labels(n.children as Node[], out);
  }
  return out;
}

function fixtures(): Array<{ fixture: Fixture; file: string; json: string }> {
  const list: Array<{ fixture: Fixture; file: string; json: string }> = [];
  for (const [dir, captures] of [[DIR, DIR], [path.join(DIR, 'real'), REAL]] as const) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tshark.json')).sort()) {
      const json = path.join(dir, name);
      const fixture = JSON.parse(fs.readFileSync(json, 'utf8')) as Fixture;
      list.push({ fixture, file: path.join(captures, fixture.capture), json });
    }
  }
  return list;
}

async function detailTrees(file: string, tmp: string): Promise<Map<number, Node[]>> {
  const casePath = path.join(tmp, path.basename(file) + '.flowcase');
  await indexCaptures({ casePath, captures: [file] });
  const db = openCase(casePath, { readonly: true });
  try {
    const trees = new Map<number, Node[]>();
    const rows = db.prepare('SELECT id, frame_no FROM packets ORDER BY id').all() as Array<{ id: number; frame_no: number }>;
    for (const r of rows) trees.set(r.frame_no, (await packetDetail(db, r.id)).tree as Node[]);
    return trees;
  } finally {
    db.close();
  }
}

const all = fixtures();
const tmp = tempDir('flowcase-dissection-');
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

for (const { fixture, file } of all) {
  const skip = fs.existsSync(file) ? false : `${fixture.capture} is not at ${file} (the shared captures folder beside the checkout, or FLOWCASE_REAL_CAPTURES)`;
  test(`detail tree of ${fixture.capture} shows what tshark ${fixture.tshark} shows`, { skip }, async () => {
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    assert.equal(sha, fixture.sha256, `${fixture.capture} changed since its tshark view was recorded: run scripts/tshark-dissection-reference.mjs`);
    const trees = await detailTrees(file, tmp);
    // Missing fields grouped by field, with a count and the first frame's example, so a failure reads as a list of gaps.
    const missing = new Map<string, { count: number; first: string }>();
    const miss = (key: string, example: string) => {
      const m = missing.get(key);
      if (m) m.count++;
      else missing.set(key, { count: 1, first: example });
    };
    let checked = 0;
    for (const [frame, fields] of Object.entries(fixture.frames)) {
      const tree = trees.get(Number(frame));
      if (!tree) { if (fields.length > 0) miss('frame', `frame ${frame} is not in the case`); continue; }
      const everywhere = labels(tree);
      const icmp = tree.find((n) => /^Internet Control Message Protocol/.test(n.label));
      const quoted = icmp ? labels((icmp.children ?? []) as Node[]) : [];
      for (const [context, field, showname] of fields) {
        if (!COMPARED.test(field)) continue;
        checked++;
        const where = context === 'quoted' ? quoted : everywhere;
        const gap = KNOWN_GAPS.find((g) => g.capture === fixture.capture && g.frame === Number(frame) && g.field === field);
        if (gap !== undefined) {
          assert.ok(!where.includes(showname), `${fixture.capture} frame ${frame} ${field} is shown now: remove it from KNOWN_GAPS`);
          continue;
        }
        if (!where.includes(showname)) miss(`${context ? context + ' ' : ''}${field}`, `frame ${frame}: ${JSON.stringify(showname)}`);
      }
    }
    assert.ok(checked > 0, 'the fixture holds fields to compare');
    const gaps = [...missing].map(([field, m]) => `${field} ×${m.count}, e.g. ${m.first}`);
    assert.deepEqual(gaps, [], `${gaps.length} fields of ${checked} checked are not shown as tshark ${fixture.tshark} shows them`);
  });
}

test('the recorded tshark views are current', { skip: HAS_TSHARK ? false : 'tshark is not installed' }, () => {
  const out = spawnSync('node', [path.join(repoRoot(), 'scripts', 'tshark-dissection-reference.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});
