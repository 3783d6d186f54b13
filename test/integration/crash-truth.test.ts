import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliPath, repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/**
 * Issue 12, finding 5: kill -9 during `index` at each phase. The case must say
 * "incomplete: interrupted while PHASE" (never "indexing" forever, never "complete" with no
 * finding), and repair / --append must leave nothing counted twice.
 */
const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');
const PACKETS = 10_592;

/** Run `flowcase index` until it reaches `phase` (a test seam pauses it there), then SIGKILL it. */
function killAt(phase: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args], { env: { ...process.env, FLOWCASE_TEST_PAUSE_AT: phase }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`never reached ${phase}: ${stderr}`)); }, 60_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes(`FLOWCASE_TEST_PAUSED ${phase}`)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(); else reject(new Error(`exited ${code} before being killed: ${stderr}`));
    });
  });
}

interface Overview { status: string; phase?: string; packetCount: number; interrupted?: { phase: string; missing: string[] }; findings: Array<{ kind: string }>; captures: Array<{ status: string; phase?: string }> }
const overview = async (casePath: string) => {
  const r = await runCli(['info', casePath, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Overview;
};

for (const phase of ['reading', 'indexing', 'analysing'] as const) {
  test(`killed while ${phase}: the case says so, and repair leaves nothing counted twice`, async () => {
    const dir = tempDir();
    const casePath = path.join(dir, 'case.flowcase');
    await killAt(phase, ['index', capture, '-o', casePath]);

    const o = await overview(casePath);
    assert.equal(o.status, 'incomplete');
    assert.equal(o.interrupted?.phase, phase);
    assert.ok(o.interrupted!.missing.length > 0, 'what is missing is listed');
    assert.ok(o.interrupted!.missing.some((m) => /findings/.test(m)), 'findings are listed as missing, not reported as "no finding"');
    const text = await runCli(['info', casePath]);
    assert.match(text.stdout.split('\n')[0], new RegExp(`incomplete: interrupted while ${phase}`));
    assert.match(text.stdout, /flowcase repair/);

    if (phase === 'reading') {
      assert.ok(o.packetCount > 0 && o.packetCount < PACKETS, `partial rows were written (${o.packetCount})`);
      // --append of the same capture: the orphan rows go first, so the packets count once.
      const again = await runCli(['index', capture, '-o', casePath, '--append']);
      assert.equal(again.code, 0, again.stderr);
    } else {
      assert.equal(o.packetCount, PACKETS);
      const r = await runCli(['repair', casePath]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`interrupted while ${phase} was finished`));
    }
    const after = await overview(casePath);
    assert.equal(after.status, 'complete');
    assert.equal(after.phase, 'complete');
    assert.equal(after.interrupted, undefined);
    assert.equal(after.packetCount, PACKETS, 'no packet counted twice');
    assert.deepEqual(after.captures.map((c) => [c.status, c.phase]), [['complete', 'complete']]);
    assert.deepEqual(after.findings.map((f) => f.kind), ['syn-flood']);
    const flows = JSON.parse((await runCli(['flows', casePath, '--json', '--limit', '1'])).stdout) as { total: number };
    const fresh = path.join(dir, 'fresh.flowcase');
    assert.equal((await runCli(['index', capture, '-o', fresh])).code, 0);
    const freshFlows = JSON.parse((await runCli(['flows', fresh, '--json', '--limit', '1'])).stdout) as { total: number };
    assert.equal(flows.total, freshFlows.total, 'the same flows as a clean run');
    const log = await runCli(['log', casePath]);
    if (phase === 'reading') assert.match(log.stdout, /capture\.removed/, 'the removal is in the custody log');
  });
}

test('repair on a finished case says there is nothing to do; analyse re-runs the detectors', async () => {
  const dir = tempDir();
  const casePath = path.join(dir, 'case.flowcase');
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const r = await runCli(['repair', casePath]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Nothing to repair/);
  const a = await runCli(['analyse', casePath, '--json']);
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual((JSON.parse(a.stdout) as Array<{ kind: string }>).map((f) => f.kind), ['syn-flood']);
  assert.equal((await runCli(['repair', path.join(dir, 'missing.flowcase')])).code, 2);
});

test('finding 4: the same capture twice (same SHA-256) is refused, naming the earlier import', async () => {
  const dir = tempDir();
  const casePath = path.join(dir, 'case.flowcase');
  const copy = path.join(dir, 'renamed-copy.pcap');
  fs.copyFileSync(capture, copy);
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const before = await overview(casePath);
  const dup = await runCli(['index', copy, '-o', casePath, '--append', '--no-detect']);
  assert.equal(dup.code, 2, dup.stderr);
  assert.match(dup.stderr, /renamed-copy\.pcap is already in the case: same SHA-256 .* as capture #1 "syn-flood-443\.pcap" imported .*--allow-duplicate/);
  assert.equal((await overview(casePath)).packetCount, before.packetCount, 'nothing was added');
  // Twice in one command, into a new case: refused before the case is created.
  const fresh = path.join(dir, 'twice.flowcase');
  const twice = await runCli(['index', capture, copy, '-o', fresh]);
  assert.equal(twice.code, 2);
  assert.equal(fs.existsSync(fresh), false);
  // Asked for explicitly, it is indexed.
  const allowed = await runCli(['index', copy, '-o', casePath, '--append', '--no-detect', '--allow-duplicate']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal((await overview(casePath)).packetCount, 2 * PACKETS);
});
