/**
 * The 1M-packet generated case for large-case.spec.ts (issue 13: "evidence as a query on a 1M-packet
 * generated case"). global-setup.ts builds it once per run, only when that spec is part of the run:
 * the bench's capture generator (test/support/bench-capture.ts, profile 'small', a fixed seed) writes
 * the capture, and `flowcase index` indexes it exactly as the app does, detectors included.
 *
 * FLOWCASE_E2E_SKIP_LARGE=1 skips both (the spec says why). A case already built by the same code is
 * reused (rerunning the spec locally does not pay for it twice); any newer file under dist/electron or
 * db/migrations rebuilds it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchCapture } from '../support/bench-capture';
import { ROOT } from './flowcase-server';

export const LARGE_PACKETS = 1_000_000;
const SEED = 7;
const PROFILE = 'small' as const;
const DIR = path.join(ROOT, 'test-results', 'large-case');
export const LARGE_CAPTURE = path.join(DIR, `bench-${PROFILE}-${LARGE_PACKETS}-s${SEED}.pcap`);
export const LARGE_CASE = path.join(DIR, `bench-${PROFILE}-${LARGE_PACKETS}-s${SEED}.flowcase`);
const STAMP = path.join(DIR, 'stamp.json');
const SPEC = 'large-case.spec';

/** Why the large spec does not run, or null when it does. */
export function largeSkipReason(): string | null {
  const v = process.env.FLOWCASE_E2E_SKIP_LARGE;
  if (v && v !== '0') return 'FLOWCASE_E2E_SKIP_LARGE is set: the 1M-packet case (about a minute to generate and index) is not built';
  if (!fs.existsSync(LARGE_CASE) || !fs.existsSync(STAMP)) return `the 1M-packet case was not built by global-setup.ts (${LARGE_CASE}); run this spec through the Playwright config`;
  return null;
}

/**
 * True when this run may include large-case.spec.ts: no spec files were named on the command line, or
 * one of the named ones is it. (Global setup cannot see Playwright's resolved file list.)
 */
export function runIncludesLargeSpec(argv = process.argv): boolean {
  const named = argv.slice(2).filter((a) => !a.startsWith('-') && /\.spec(\.ts)?$|\.spec\.ts:\d+$/.test(a));
  return named.length === 0 || named.some((a) => a.includes(SPEC));
}

function newestMtime(dir: string, keep: (f: string) => boolean): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !keep(e.name)) continue;
    newest = Math.max(newest, fs.statSync(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).mtimeMs);
  }
  return newest;
}

function codeStamp(): string {
  const code = Math.max(newestMtime(path.join(ROOT, 'dist', 'electron'), (f) => f.endsWith('.js')), newestMtime(path.join(ROOT, 'db', 'migrations'), (f) => f.endsWith('.sql')));
  return JSON.stringify({ packets: LARGE_PACKETS, seed: SEED, profile: PROFILE, code });
}

/** Generates and indexes the case unless an up-to-date one is there. Logs the timings. */
export async function buildLargeCase(log: (line: string) => void): Promise<void> {
  const stamp = codeStamp();
  if (fs.existsSync(LARGE_CASE) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === stamp) {
    log(`large case: reusing ${path.relative(ROOT, LARGE_CASE)} (built by this code)`);
    return;
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  const load = os.loadavg()[0]!.toFixed(1);
  let t = performance.now();
  const gen = await writeBenchCapture(LARGE_CAPTURE, { packets: LARGE_PACKETS, seed: SEED, profile: PROFILE });
  const genSec = (performance.now() - t) / 1000;
  t = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'flowcase.js'), 'index', LARGE_CAPTURE, '-o', LARGE_CASE], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  const indexSec = (performance.now() - t) / 1000;
  if (run.status !== 0) throw new Error(`large case: flowcase index exited with ${run.status}:\n${run.stderr}\n${run.stdout.slice(-2000)}`);
  fs.writeFileSync(STAMP, stamp);
  log(`large case: ${gen.packets.toLocaleString('en-US')} packets (${(gen.bytes / 1e6).toFixed(0)} MB) generated in ${genSec.toFixed(1)} s, indexed with detectors in ${indexSec.toFixed(1)} s (load average ${load})`);
}
