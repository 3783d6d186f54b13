import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readCapture } from '../../electron/capture/read-capture';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/**
 * `flowcase export` round trip: annotate, export to pcapng, let tshark find the comments, compare
 * the packets byte for byte with the source capture, and re-import the export into a new case.
 */
const hasTshark = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
const skip = hasTshark ? false : 'tshark is not installed (apt-get install tshark); the round trip is checked with it';
const work = tempDir('flowcase-export-');
const capture = path.join(work, 'ping.pcap');
fs.copyFileSync(path.join(repoRoot(), 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap'), capture);
const casePath = path.join(work, 'ping.flowcase');
/** `packets --json` prints one JSON object per line. */
const jsonLines = (text: string): unknown[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
const env = { ...process.env, FLOWCASE_ANALYST: 'Fox Mulder' };
const cli = (args: string[]) => runCli(args, { env });
const HOSTILE = 'beacon "quoted" <script>alert(1)</script> \u202Etxt.exe';

function tshark(file: string, filter: string, fields = ['frame.number']): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

async function records(file: string) {
  const out: Array<{ ts: string; data: string; origLen: number; linkType: number }> = [];
  await readCapture(file, { onRecord: (r) => out.push({ ts: `${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`, data: Buffer.from(r.data).toString('hex'), origLen: r.origLen, linkType: r.linkType }) });
  return out;
}

test('setup: index and annotate', { skip }, async () => {
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  for (const args of [
    ['--packet', '3', '--tag', 'malicious', '--note', HOSTILE],
    ['--packet', '10', '--tag', 'evidence'],
    ['--packet', '10', '--note', 'second note on ten'],
    ['--packet', '20', '--note', 'deleted before export'],
    ['--flow', '1', '--note', 'a flow note is not a packet comment'],
  ]) assert.equal((await cli(['annotate', casePath, ...args])).code, 0);
  assert.equal((await cli(['annotate', casePath, '--delete', '4'])).code, 0);
});

test('tshark finds exactly the annotated packets, and the packets are byte-exact with original timestamps', { skip }, async () => {
  const out = path.join(work, 'all.pcapng');
  const r = await cli(['export', casePath, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^60 packet\(s\), 2 with comments, written to .*all\.pcapng \(.*, sha256 ([0-9a-f]{64})\)/);
  assert.deepEqual(tshark(out, 'frame.comment'), [['3'], ['10']]);
  assert.deepEqual(tshark(out, 'frame.comment contains "Flowcase annotation"'), [['3'], ['10']]);
  assert.deepEqual(tshark(out, 'frame.comment contains "malicious"'), [['3']]);
  assert.deepEqual(tshark(out, 'frame.comment contains "Fox Mulder"'), [['3'], ['10']], 'the author is in the text');
  assert.deepEqual(tshark(out, 'frame.comment contains "<script>"'), [['3']]);
  const ten = tshark(out, 'frame.number == 10', ['frame.comment'])[0][0].split(',');
  assert.equal(ten.length, 2, 'two annotations, two comments');
  // Same frames, same bytes, same nanosecond timestamps as the source capture.
  const [src, exp] = [await records(capture), await records(out)];
  assert.equal(exp.length, src.length);
  assert.deepEqual(exp, src);
  assert.deepEqual(tshark(out, 'frame', ['frame.time_epoch', 'frame.len']), tshark(capture, 'frame', ['frame.time_epoch', 'frame.len']));
  const sha = createHash('sha256').update(fs.readFileSync(out)).digest('hex');
  const log = JSON.parse((await cli(['log', casePath, '--json'])).stdout) as { entries: Array<{ action: string; details: { sha256: string; path: string; packets: number } }> };
  const entry = log.entries.at(-1)!;
  assert.equal(entry.action, 'export.pcapng');
  assert.deepEqual([entry.details.sha256, entry.details.path, entry.details.packets], [sha, out, 60]);
  const before = log.entries.at(-2) as unknown as { seq: number; hash: string };
  const shb = spawnSync('capinfos', ['-k', out], { encoding: 'utf8' }).stdout;
  assert.ok(shb.includes(`custody log head: entry ${before.seq}, sha256 ${before.hash}`), `the section comment records the custody head: ${shb}`);
});

test('--annotated and --filter choose the packets', { skip }, async () => {
  const annotated = path.join(work, 'annotated.pcapng');
  assert.equal((await cli(['export', casePath, '--annotated', '-o', annotated])).code, 0);
  assert.deepEqual(tshark(annotated, 'frame', ['frame.comment']).length, 2);
  const replies = path.join(work, 'replies.pcapng');
  assert.equal((await cli(['export', casePath, '--filter', 'icmp.type == 0', '-o', replies])).code, 0);
  assert.deepEqual(tshark(replies, 'icmp.type != 0'), []);
  assert.equal(tshark(replies, 'frame').length, 30);
});

test('an existing file is not replaced without --force, and never a capture or the case', { skip }, async () => {
  const out = path.join(work, 'all.pcapng');
  const again = await cli(['export', casePath, '-o', out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists: choose another name, or add --force/);
  assert.equal((await cli(['export', casePath, '-o', out, '--force'])).code, 0);
  const before = fs.readFileSync(capture);
  const overCapture = await cli(['export', casePath, '-o', capture, '--force']);
  assert.equal(overCapture.code, 2);
  assert.match(overCapture.stderr, /refusing to write .* a source capture of this case/);
  assert.ok(fs.readFileSync(capture).equals(before));
  const overCase = await cli(['export', casePath, '-o', casePath, '--force']);
  assert.equal(overCase.code, 2);
  assert.match(overCase.stderr, /it is the case file/);
  const badFilter = await cli(['export', casePath, '--filter', 'ip.src ==', '-o', path.join(work, 'x.pcapng')]);
  assert.equal(badFilter.code, 2);
  assert.equal(fs.existsSync(path.join(work, 'x.pcapng')), false);
  assert.deepEqual(fs.readdirSync(work).filter((f) => f.endsWith('.partial')), [], 'no temporary file left behind');
});

test('re-importing the export brings the notes back as capture comments', { skip }, async () => {
  const out = path.join(work, 'all.pcapng');
  const second = path.join(work, 'reimport.flowcase');
  assert.equal((await runCli(['index', out, '-o', second, '--no-detect'])).code, 0);
  const list = JSON.parse((await cli(['annotations', second, '--json', '--kind', 'packet'])).stdout) as Array<{ source: string; text: string; target: { packetId: number } }>;
  assert.deepEqual(list.map((a) => [a.target.packetId, a.source]), [[3, 'capture-comment'], [10, 'capture-comment'], [10, 'capture-comment']]);
  assert.match(list[0].text, /^Flowcase annotation #1 by Fox Mulder \[malicious\] \(.*\): /);
  assert.ok(list[0].text.endsWith(HOSTILE), 'the hostile note comes back exactly');
  const tagged = jsonLines((await cli(['packets', second, '--filter', 'frame.comment contains "malicious"', '--json'])).stdout) as Array<{ id: number }>;
  assert.deepEqual(tagged.map((p) => p.id), [3]);
});
