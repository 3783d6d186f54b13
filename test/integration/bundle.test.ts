/**
 * The evidence bundle: BagIt layout, manifests readable by sha256sum -c, evidence.pcapng read by
 * tshark with the cited + annotated packet count and the comments, case.jsonld with its types and
 * hashes, and `verify` catching a flipped byte in every kind of file, a missing file, an extra
 * file and a broken custody entry (also when the attacker rewrites the manifests).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSynFlood } from '../support/make-fixtures';
import { analyseFrames, AnalysedCase } from '../unit/analysis/analysis-case';
import { addAnnotation } from '../../db/annotation-store';
import { writeBundle, BundleError } from '../../electron/export/bundle/write-bundle';
import { verifyBundle } from '../../electron/export/bundle/verify-bundle';
import { runCli } from '../support/run-cli';
import { tempDir } from '../support/repo-paths';

const has = (cmd: string, arg = '--version') => spawnSync(cmd, [arg], { stdio: 'ignore' }).error === undefined;
const NO_TSHARK = has('tshark') ? false : 'tshark is not installed (add it to .ci/run)';
const NO_SHA256SUM = has('sha256sum') ? false : 'sha256sum (coreutils) is not installed';

const LAYOUT = [
  'bag-info.txt', 'bagit.txt', 'data/case/annotations.json', 'data/case/captures.json', 'data/case/case.jsonld', 'data/case/findings.json',
  'data/custody/custody-log.jsonl', 'data/evidence/evidence.pcapng', 'data/figures/handshake-finding-1.svg', 'data/figures/host-graph.svg', 'data/figures/timeline.svg', 'data/report/report.html', 'data/report/report.md', 'data/report/report.pdf',
  'manifest-sha256.txt', 'tagmanifest-sha256.txt',
];

function files(root: string, rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? files(root, r) : [r];
  }).sort();
}

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** What an attacker who also rewrites the manifests would do. */
function rewriteManifests(root: string): void {
  const payload = files(root, 'data').map((f) => `${sha(fs.readFileSync(path.join(root, f)))}  ${f}\n`).join('');
  fs.writeFileSync(path.join(root, 'manifest-sha256.txt'), payload);
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'].map((f) => `${sha(fs.readFileSync(path.join(root, f)))}  ${f}\n`).join('');
  fs.writeFileSync(path.join(root, 'tagmanifest-sha256.txt'), tags);
}

function flipByte(file: string, at?: number): void {
  const b = fs.readFileSync(file);
  const i = at ?? Math.floor(b.length / 2);
  b[i] ^= 0x01;
  fs.writeFileSync(file, b);
}

describe('evidence bundle', () => {
  let c: AnalysedCase;
  let work: string;
  let bag: string;
  let expectedPackets: number;
  before(async () => {
    c = await analyseFrames('syn-flood-bundle.pcap', buildSynFlood({ rate: 20, attackSec: 20, tailSec: 5, clients: 6 }));
    // One annotated packet that no finding cites, so the evidence is cited ∪ annotated.
    const uncited = c.db.prepare('SELECT id FROM packets WHERE id NOT IN (SELECT packet_id FROM finding_evidence) ORDER BY id LIMIT 1').pluck().get() as number;
    addAnnotation(c.db, { target: { kind: 'packet', packetId: uncited }, text: 'First contact <b>before</b> the flood', includeInReport: true });
    expectedPackets = c.db.prepare(`SELECT count(*) FROM (SELECT packet_id FROM finding_evidence UNION
      SELECT packet_id FROM annotations WHERE packet_id IS NOT NULL AND deleted = 0)`).pluck().get() as number;
    work = tempDir();
    bag = path.join(work, 'bag');
    await writeBundle(c.db, { out: bag, includeCaptures: true });
  });
  after(() => { c.close(); fs.rmSync(work, { recursive: true, force: true }); });

  test('the bag has the documented layout and bag-info fields', () => {
    const want = [...LAYOUT, `data/evidence/original/1-syn-flood-bundle.pcap`].sort();
    assert.deepEqual(files(bag), want);
    assert.equal(fs.readFileSync(path.join(bag, 'bagit.txt'), 'utf8'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8');
    for (const k of ['Source-Organization', 'Contact-Name', 'Bagging-Date', 'External-Identifier']) assert.match(info, new RegExp(`^${k}: \\S`, 'm'));
    const payload = files(bag, 'data');
    const bytes = payload.reduce((s, f) => s + fs.statSync(path.join(bag, f)).size, 0);
    assert.match(info, new RegExp(`^Payload-Oxum: ${bytes}\\.${payload.length}$`, 'm'));
    assert.equal(fs.readdirSync(work).filter((f) => f.includes('partial')).length, 0, 'no temporary folder left behind');
  });

  test('sha256sum -c passes on both manifests from the bag root', { skip: NO_SHA256SUM }, () => {
    for (const m of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      const r = spawnSync('sha256sum', ['-c', '--strict', m], { cwd: bag, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    }
  });

  test('tshark reads exactly the cited + annotated packets, with the comments', { skip: NO_TSHARK }, () => {
    const pcapng = path.join(bag, 'data/evidence/evidence.pcapng');
    const all = execFileSync('tshark', ['-r', pcapng, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.equal(all.trim().split('\n').length, expectedPackets);
    const comments = execFileSync('tshark', ['-r', pcapng, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = comments.trim().split('\n');
    assert.equal(lines.length, expectedPackets, 'every packet carries comments');
    assert.ok(lines.every((l) => /^flowcase-source: capture-sha256=[0-9a-f]{64} frame=\d+ case-packet=\d+/.test(l)));
    assert.ok(lines.some((l) => l.includes('Cited by finding #1')));
    assert.ok(lines.some((l) => l.includes('First contact <b>before</b> the flood')), 'annotation text as a packet comment');
    // Byte-exact: the frame tshark shows is the source capture's frame.
    const first = /frame=(\d+)/.exec(lines[0])![1];
    const fromBag = execFileSync('tshark', ['-r', pcapng, '-c', '1', '-x'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const fromSource = execFileSync('tshark', ['-r', c.capturePath, '-Y', `frame.number == ${first}`, '-x'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.equal(fromBag, fromSource);
  });

  test('case.jsonld is a CASE/UCO JSON-LD graph with the expected types and hashes', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(bag, 'data/case/case.jsonld'), 'utf8')) as { '@context': Record<string, string>; '@graph': Array<Record<string, unknown>> };
    assert.equal(doc['@context']['uco-observable'], 'https://ontology.unifiedcyberontology.org/uco/observable/');
    assert.equal(doc['@context']['case-investigation'], 'https://ontology.caseontology.org/case/investigation/');
    const types = new Set(doc['@graph'].map((n) => n['@type']));
    for (const t of ['uco-observable:File', 'case-investigation:InvestigativeAction', 'uco-core:Annotation', 'uco-tool:Tool', 'uco-identity:Identity', 'case-investigation:ProvenanceRecord']) {
      assert.ok(types.has(t), t);
    }
    const fileHashes = new Map<string, string>();
    for (const n of doc['@graph'].filter((x) => x['@type'] === 'uco-observable:File')) {
      const facets = n['uco-core:hasFacet'] as Array<Record<string, any>>;
      const name = facets.find((f) => f['@type'] === 'uco-observable:FileFacet')!;
      const content = facets.find((f) => f['@type'] === 'uco-observable:ContentDataFacet')!;
      const h = content['uco-observable:hash'][0];
      assert.equal(h['@type'], 'uco-types:Hash');
      assert.equal(h['uco-types:hashMethod']['@value'], 'SHA256');
      fileHashes.set(name['uco-observable:filePath'] ?? name['uco-observable:fileName'], h['uco-types:hashValue']['@value']);
    }
    assert.equal(fileHashes.get('syn-flood-bundle.pcap'), sha(fs.readFileSync(c.capturePath)), 'the capture, hashed at import');
    for (const f of ['data/report/report.pdf', 'data/evidence/evidence.pcapng', 'data/custody/custody-log.jsonl']) {
      assert.equal(fileHashes.get(f), sha(fs.readFileSync(path.join(bag, f))), f);
    }
    const actions = doc['@graph'].filter((n) => n['@type'] === 'case-investigation:InvestigativeAction').map((n) => n['uco-core:name']);
    assert.deepEqual(actions, ['capture.imported', 'analysis', 'export.bundle']);
    const exp = doc['@graph'].find((n) => n['uco-core:name'] === 'export.bundle')!;
    for (const k of ['uco-action:performer', 'uco-action:instrument', 'uco-action:object', 'uco-action:result', 'uco-action:startTime']) assert.ok(exp[k], k);
  });

  /**
   * JSON-LD without a JSON-LD processor or the CASE SHACL validator (case_validate needs Python
   * packages and the ontology files, none of which this offline machine has): every compact IRI
   * expands through the @context, every reference resolves inside the graph, each node type carries
   * the properties CASE/UCO 1.x gives it, and every payload file is described with its own hash.
   */
  test('case.jsonld: terms expand, references resolve, actions and annotations complete, every payload file hashed', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(bag, 'data/case/case.jsonld'), 'utf8')) as { '@context': Record<string, string>; '@graph': Array<Record<string, any>> };
    assert.deepEqual(Object.keys(doc).sort(), ['@context', '@graph']);
    for (const [prefix, iri] of Object.entries(doc['@context'])) assert.match(iri, /^https?:\/\/\S+[/#]$/, `${prefix} expands to an IRI namespace`);
    // Every key and @type outside JSON-LD keywords is a compact IRI with a declared prefix.
    const nodes = new Map<string, Record<string, any>>();
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach((x) => walk(x)); return; }
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, any>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === '@id') { refs.push(o['@id']); return; }
      if (o['@id'] !== undefined) {
        assert.ok(!nodes.has(o['@id']), `@id ${o['@id']} is unique`);
        nodes.set(o['@id'], o);
      } else assert.ok('@value' in o, `an object is a node with @id, a reference or a typed value: ${JSON.stringify(o).slice(0, 80)}`);
      for (const k of keys) {
        if (k.startsWith('@')) continue;
        const prefix = k.split(':')[0];
        assert.ok(k.includes(':') && prefix in doc['@context'], `term ${k} expands`);
        walk(o[k]);
      }
      if (typeof o['@type'] === 'string') assert.ok(o['@type'].split(':')[0] in doc['@context'], `type ${o['@type']} expands`);
      if ('@value' in o) assert.equal(typeof o['@value'], 'string', 'typed literals carry their lexical form');
    };
    doc['@graph'].forEach((n) => walk(n));
    for (const r of refs) assert.ok(nodes.has(r), `reference ${r} resolves inside the graph`);

    const byType = (t: string) => doc['@graph'].filter((n) => n['@type'] === t);
    const tool = byType('uco-tool:Tool')[0];
    assert.equal(tool['uco-tool:version'], JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version);
    for (const a of byType('case-investigation:InvestigativeAction')) {
      assert.equal(nodes.get(a['uco-action:performer']['@id'])!['@type'], 'uco-identity:Identity', `${a['uco-core:name']}: performer`);
      assert.equal(a['uco-action:instrument']['@id'], tool['@id'], `${a['uco-core:name']}: instrument is Flowcase`);
      assert.ok(a['uco-action:object'].length + a['uco-action:result'].length > 0, `${a['uco-core:name']}: object or result`);
      for (const k of ['uco-action:startTime', 'uco-action:endTime']) {
        assert.equal(a[k]['@type'], 'xsd:dateTime');
        assert.ok(!Number.isNaN(Date.parse(a[k]['@value'])), `${a['uco-core:name']}: ${k}`);
      }
    }
    const exp = byType('case-investigation:InvestigativeAction').find((a) => a['uco-core:name'] === 'export.bundle')!;
    const annotations = byType('uco-core:Annotation');
    assert.equal(annotations.length, 1);
    assert.deepEqual(annotations[0]['uco-core:statement'], ['First contact <b>before</b> the flood'], 'the annotation text, verbatim (JSON escapes it)');
    assert.equal(nodes.get(annotations[0]['uco-core:createdBy']['@id'])!['@type'], 'uco-identity:Identity');
    assert.ok(annotations[0]['uco-core:object'].length >= 1);

    // Every payload file but case.jsonld itself is a File whose SHA-256 and size are the file's.
    const described = new Map<string, { sha: string; size: string }>();
    for (const f of byType('uco-observable:File')) {
      const facets = f['uco-core:hasFacet'] as Array<Record<string, any>>;
      const name = facets.find((x) => x['@type'] === 'uco-observable:FileFacet')!;
      const content = facets.find((x) => x['@type'] === 'uco-observable:ContentDataFacet')!;
      if (name['uco-observable:filePath']) described.set(name['uco-observable:filePath'], { sha: content['uco-observable:hash'][0]['uco-types:hashValue']['@value'], size: content['uco-observable:sizeInBytes']['@value'] });
    }
    const payload = files(bag, 'data').filter((f) => f !== 'data/case/case.jsonld');
    assert.deepEqual([...described.keys()].sort(), payload, 'every payload file, figures included, is described');
    for (const f of payload) {
      const bytes = fs.readFileSync(path.join(bag, f));
      assert.equal(described.get(f)!.sha, sha(bytes), `${f}: hash`);
      assert.equal(described.get(f)!.size, String(bytes.length), `${f}: size`);
    }
    assert.ok(exp['uco-action:result'].some((r: { '@id': string }) => nodes.get(r['@id'])?.['uco-core:hasFacet']?.[0]?.['uco-observable:filePath'] === 'data/figures/host-graph.svg'), 'the export produced the host-graph figure');
  });

  test('the export is in the custody log with the payload manifest hash, and verify finds the bag intact', async () => {
    const entry = c.db.prepare("SELECT details FROM custody WHERE action = 'export.bundle' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    assert.match(entry, /"payloadManifestSha256":"[0-9a-f]{64}"/);
    const last = fs.readFileSync(path.join(bag, 'data/custody/custody-log.jsonl'), 'utf8').trim().split('\n').pop()!;
    assert.equal((JSON.parse(last) as { details: string }).details, entry);
    const r = await verifyBundle(bag);
    assert.deepEqual(r.problems, []);
    assert.equal(r.evidencePackets, expectedPackets);
    assert.equal(r.comparedWithOriginals, expectedPackets);
  });

  test('a flipped byte in any file is detected and named', async () => {
    for (const f of files(bag)) {
      const copy = path.join(work, `flip-${f.replace(/\W+/g, '-')}`);
      fs.cpSync(bag, copy, { recursive: true });
      flipByte(path.join(copy, f));
      const r = await verifyBundle(copy);
      assert.equal(r.ok, false, `flip in ${f} not detected`);
      assert.ok(r.problems.some((p) => p.startsWith(`${f}:`) || p.includes(` ${f} `) || p.includes(`(${f})`) || p.includes(f)), `${f}: ${r.problems.join(' | ')}`);
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test('a missing file, an extra file, a broken custody entry and a changed evidence packet are detected', async () => {
    const missing = path.join(work, 'missing');
    fs.cpSync(bag, missing, { recursive: true });
    fs.rmSync(path.join(missing, 'data/case/findings.json'));
    assert.ok((await verifyBundle(missing)).problems.includes('data/case/findings.json: missing (listed in manifest-sha256.txt)'));

    const extra = path.join(work, 'extra');
    fs.cpSync(bag, extra, { recursive: true });
    fs.writeFileSync(path.join(extra, 'data/report/notes.txt'), 'added later');
    const rx = await verifyBundle(extra);
    assert.ok(rx.problems.includes('data/report/notes.txt: extra file, not in manifest-sha256.txt'));
    assert.ok(rx.problems.some((p) => p.startsWith('bag-info.txt: Payload-Oxum')));

    // The custody log edited and the manifests rewritten to match: the hash chain still tells.
    const custody = path.join(work, 'custody');
    fs.cpSync(bag, custody, { recursive: true });
    const log = path.join(custody, 'data/custody/custody-log.jsonl');
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    const e = JSON.parse(lines[0]) as { analyst: string };
    e.analyst = 'someone else';
    lines[0] = JSON.stringify(e);
    fs.writeFileSync(log, lines.join('\n') + '\n');
    rewriteManifests(custody);
    const rc = await verifyBundle(custody);
    assert.deepEqual(rc.problems.filter((p) => p.startsWith('data/custody/')), ['data/custody/custody-log.jsonl: entry 1 (case.created) is broken: its hash does not match its content and the previous entry']);

    // One evidence byte changed, manifests rewritten: the original capture in the bag tells.
    const packet = path.join(work, 'packet');
    fs.cpSync(bag, packet, { recursive: true });
    const pcapng = path.join(packet, 'data/evidence/evidence.pcapng');
    const buf = fs.readFileSync(pcapng);
    const shbLen = buf.readUInt32LE(4);
    const idbLen = buf.readUInt32LE(shbLen + 4);
    flipByte(pcapng, shbLen + idbLen + 28 + 20); // inside the first packet's bytes (EPB header is 28 bytes)
    rewriteManifests(packet);
    const rp = await verifyBundle(packet);
    assert.ok(rp.problems.some((p) => /^data\/evidence\/evidence\.pcapng: the packet of syn-flood-bundle\.pcap frame \d+ differs/.test(p)), rp.problems.join(' | '));
  });

  test('never overwrites without --force; --force replaces only a bag; a zip bag verifies; CLI exit codes', async () => {
    await assert.rejects(writeBundle(c.db, { out: bag }), (e: Error) => e instanceof BundleError && /already exists/.test(e.message));
    const notBag = path.join(work, 'not-a-bag');
    fs.mkdirSync(notBag);
    await assert.rejects(writeBundle(c.db, { out: notBag, force: true }), /not a BagIt bag/);
    const zip = path.join(work, 'bag.zip');
    const z = await writeBundle(c.db, { out: zip });
    assert.equal(z.zip, true);
    assert.match(z.bagName, /^case-\d{8}T\d{6}Z$/);
    assert.equal((await verifyBundle(zip)).ok, true);
    const ok = await runCli(['verify', zip]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^OK: bag complete/);
    const tampered = path.join(work, 'flip-cli');
    fs.cpSync(bag, tampered, { recursive: true });
    flipByte(path.join(tampered, 'data/report/report.md'));
    const bad = await runCli(['verify', tampered]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^PROBLEM: data\/report\/report\.md: SHA-256 [0-9a-f]{64} differs from manifest-sha256\.txt/m);
    const junk = path.join(work, 'junk.zip');
    fs.writeFileSync(junk, 'PK\x03\x04 not really a zip');
    const unusable = await runCli(['verify', junk]);
    assert.equal(unusable.code, 2);
    assert.equal(unusable.stderr.trim().split('\n').length, 1, unusable.stderr);
  });
});
