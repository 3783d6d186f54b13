/**
 * Where the detect phase's memory goes: each detector alone on a finished case, in its own
 * process, so the process's maxRSS is that detector's peak (a detector runs synchronously: no
 * timer can sample it from inside).
 *
 *   node --expose-gc dist/test/bench/detector-memory.js CASE            # every detector, one process each
 *   node --expose-gc dist/test/bench/detector-memory.js CASE syn-flood  # one detector, in this process
 *   node --expose-gc dist/test/bench/detector-memory.js CASE --all      # runDetectors (and the store) as ingest does
 */
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import { performance } from 'node:perf_hooks';
import { openCase } from '../../db/open-case.js';
import { DETECTORS, runDetectors } from '../../electron/analysis/run-detectors.js';
import { makeContext } from '../../electron/analysis/detector-context.js';
import { resolveThresholds } from '../../electron/analysis/thresholds.js';

const MB = 1024 * 1024;

function gc(): void { (globalThis as { gc?: () => void }).gc?.(); }

function one(casePath: string, name: string): void {
  const db = openCase(casePath);
  try {
    gc();
    const before = process.memoryUsage();
    const t = performance.now();
    let findings: number;
    if (name === '--all') {
      findings = runDetectors(db).length;
    } else {
      const run = DETECTORS.find(([n]) => n === name)?.[1];
      if (!run) throw new Error(`no detector ${name}; known: ${DETECTORS.map(([n]) => n).join(', ')}`);
      const drafts = run(makeContext(db, resolveThresholds(db)));
      findings = drafts.length;
      const evidence = drafts.reduce((s, d) => s + d.evidence.total, 0);
      process.stdout.write(`evidence ${evidence} `);
    }
    const ms = performance.now() - t;
    const heap = v8.getHeapStatistics();
    process.stdout.write(`${name}: ${(ms / 1000).toFixed(2)} s, ${findings} findings, maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB `
      + `(RSS before ${(before.rss / MB).toFixed(0)} MB, heap before ${(before.heapUsed / MB).toFixed(0)} MB, `
      + `heap total now ${(heap.total_heap_size / MB).toFixed(0)} MB, external ${(process.memoryUsage().external / MB).toFixed(0)} MB)\n`);
  } finally {
    db.close();
  }
}

function main(): void {
  const [casePath, name] = process.argv.slice(2);
  if (!casePath) throw new Error('usage: detector-memory CASE [detector | --all]');
  if (name) { one(casePath, name); return; }
  for (const [n] of DETECTORS) {
    const r = spawnSync(process.execPath, ['--expose-gc', __filename, casePath, n], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${n} failed (exit ${r.status})`);
  }
}

main();
