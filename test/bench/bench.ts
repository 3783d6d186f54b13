/**
 * End-to-end ingest benchmark: writes a synthetic capture (test/support/bench-capture.ts), indexes
 * it with indexCaptures exactly as the app does (decode worker + batched writer + index build +
 * detectors), and reports throughput, peak memory and case size; then times tshark on the same
 * file for scale, and a few queries against the finished case.
 *
 *   npm run bench                        # ~1M packets
 *   npm run bench -- --packets 200000    # quicker
 *   npm run bench -- --scale 5           # memory check: N and 5×N packets, peak RSS must stay flat
 *   npm run bench -- --profile small     # ~165 B/packet: many short flows, a SYN burst (default: bench, ~420 B/packet)
 *   options: --seed S  --no-tshark  --no-detect  --keep (leave the temp dir)  --dir DIR
 *            --detector-times (re-run each detector alone on the finished case and time it)
 *
 * Figures go to stdout as a table and to dist/bench-result.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeBenchCapture, type BenchProfile } from '../support/bench-capture.js';
import { runDetectors } from '../../electron/analysis/run-detectors.js';
import { indexCaptures } from '../../electron/ingest/index-captures.js';
import { openCase, type CaseDb } from '../../db/open-case.js';

interface Args {
  packets: number;
  profile: BenchProfile;
  scale: number;
  seed: number;
  tshark: boolean;
  detect: boolean;
  keep: boolean;
  detectorTimes: boolean;
  dir: string | null;
  /** Internal: a child run of --scale writes its figures here instead of dist/bench-result.json. */
  jsonOut: string | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { packets: 1_000_000, profile: 'bench', scale: 1, seed: 1, tshark: true, detect: true, keep: false, detectorTimes: false, dir: null, jsonOut: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const n = Number(value().replace(/_/g, ''));
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number`);
      return n;
    };
    switch (flag) {
      case '--packets': a.packets = count(); break;
      case '--scale': a.scale = count(); break;
      case '--profile': {
        const p = value();
        if (p !== 'bench' && p !== 'small') throw new Error(`--profile is bench or small, got ${p}`);
        a.profile = p;
        break;
      }
      case '--seed': a.seed = count(); break;
      case '--no-tshark': a.tshark = false; break;
      case '--no-detect': a.detect = false; break;
      case '--keep': a.keep = true; break;
      case '--detector-times': a.detectorTimes = true; break;
      case '--dir': a.dir = path.resolve(value()); break;
      case '--json-out': a.jsonOut = path.resolve(value()); break;
      default: throw new Error(`unknown option ${flag} (see the header of test/bench/bench.ts)`);
    }
  }
  // `npm run bench --profile small` (without `--`) reaches us as npm config, not as an argument.
  const npmProfile = process.env.npm_config_profile;
  if (!argv.includes('--profile') && (npmProfile === 'small' || npmProfile === 'bench')) a.profile = npmProfile;
  return a;
}

const MB = 1024 * 1024;
/** dist/, where the compiled bench lives two levels down (dist/test/bench/). */
const DIST = path.resolve(__dirname, '..', '..');

interface QueryTiming { name: string; firstMs: number; bestMs: number; result: string }

interface BenchResult {
  packets: number;
  profile: BenchProfile;
  /** Load average when the run started: the machine is shared, so figures are only compared within a run. */
  loadAvg: number[];
  seed: number;
  captureBytes: number;
  generateSeconds: number;
  ingestSeconds: number;
  packetsPerSec: number;
  mbPerSec: number;
  phases: Record<string, number>;
  /** Peak RSS (MB) within each phase (VmHWM, reset at each phase change); null where /proc does not allow it. */
  phasePeakRssMb: Record<string, number> | null;
  peakRssMb: number;
  /** Peaks of the anonymous and file-backed parts (Linux), sampled like peakRssMb. */
  peakAnonMb: number | null;
  peakFileMb: number | null;
  maxRssMb: number;
  baselineRssMb: number;
  caseBytes: number;
  caseRatio: number;
  findings: number;
  tshark: { seconds: number; packetsPerSec: number; ratio: number } | null;
  queries: QueryTiming[];
  detectors: Array<{ name: string; ms: number; findings: number }> | null;
  node: string;
  cpus: number;
}

/**
 * Linux splits RSS into anonymous memory (heaps, the flow table, SQLite's page cache) and file
 * pages (SQLite's mmap of the case, shared and reclaimable). Only the first must stay flat as
 * captures grow, so it is sampled apart. Null where /proc is not available.
 */
function rssParts(): { anon: number; file: number } | null {
  try {
    const status = fs.readFileSync('/proc/self/status', 'latin1');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const anon = kb('RssAnon');
    return Number.isFinite(anon) ? { anon, file: kb('RssFile') + kb('RssShmem') } : null;
  } catch {
    return null;
  }
}

/** Samples RSS on a timer; the ingest's main thread yields between batches, so 50 ms is honest enough. */
function rssSampler(everyMs: number) {
  let peak = 0, peakAnon = 0, peakFile = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
    const parts = rssParts();
    if (parts) { peakAnon = Math.max(peakAnon, parts.anon); peakFile = Math.max(peakFile, parts.file); }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): { rss: number; anon: number | null; file: number | null } {
      clearInterval(timer);
      sample();
      return { rss: peak, anon: peakAnon || null, file: peakFile || null };
    },
  };
}

/**
 * Peak RSS per phase, from the kernel's high-water mark (VmHWM), reset at each phase change by
 * writing 5 to /proc/self/clear_refs: exact even while a phase runs synchronously (the detectors),
 * where a timer cannot sample. Null where /proc does not allow it.
 */
function phasePeaks() {
  const hwm = (): number | null => {
    try {
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'latin1'))?.[1];
      return kb === undefined ? null : Number(kb) * 1024;
    } catch {
      return null;
    }
  };
  const reset = (): boolean => {
    try { fs.writeFileSync('/proc/self/clear_refs', '5'); return true; } catch { return false; }
  };
  const peaks: Record<string, number> = {};
  let current: string | null = null;
  let usable = reset();
  return {
    /** Call at each phase change (and with null at the end). */
    enter(phase: string | null): void {
      if (!usable) return;
      const peak = hwm();
      if (peak === null) { usable = false; return; }
      if (current !== null) peaks[current] = Math.max(peaks[current] ?? 0, peak / MB);
      current = phase;
      usable = reset();
    },
    result(): Record<string, number> | null { return usable || Object.keys(peaks).length ? peaks : null; },
  };
}

function fileSize(p: string): number {
  try { return fs.statSync(p).size; } catch { return 0; }
}

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** tshark printing the same per-packet fields we index, to /dev/null: a yardstick, not a race. */
async function timeTshark(file: string): Promise<number> {
  const args = ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ip.dst',
    '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'ip.proto'];
  const devNull = fs.openSync('/dev/null', 'w');
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('tshark', args, { stdio: ['ignore', devNull, 'ignore'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tshark exited with ${code}`))));
    });
  } finally {
    fs.closeSync(devNull);
  }
  return (performance.now() - started) / 1000;
}

function timeQuery(name: string, run: () => unknown, describe: (r: unknown) => string): QueryTiming {
  const times: number[] = [];
  let result: unknown;
  // The first run is the one a user waits for after opening the case; the best of the rest is the warm cost.
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    result = run();
    times.push(performance.now() - t);
  }
  return { name, firstMs: times[0], bestMs: Math.min(...times.slice(1)), result: describe(result) };
}

/** A compiled module of the app, if it exists in this build: benchmarks skip features not written yet. */
function optionalModule<T>(relFromDist: string): T | null {
  const file = path.join(DIST, relFromDist);
  if (!fs.existsSync(file)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

// The signatures the bench relies on, stated here so a missing module is a skip, not a build error.
interface PacketQueryModule {
  countPackets(db: CaseDb, q: { filter?: string }): number;
  pagePackets(db: CaseDb, q: { filter?: string; limit?: number; after?: number }): { rows: unknown[]; hasMore: boolean };
}
interface TimelineModule {
  timelineSeries(db: CaseDb, q: { metric: 'packets' | 'bytes'; dim: 'proto' | 'tcp'; buckets?: number; from?: string; to?: string }): { widthSec: number; keys: string[]; points: unknown[] };
}

interface DetectorModules {
  runDetectors: { DETECTORS: Array<[string, (ctx: unknown) => unknown[]]> };
  context: { makeContext(db: CaseDb, th: unknown): unknown };
  thresholds: { resolveThresholds(db: CaseDb): unknown };
}

/** Each detector alone on the finished case: the detect phase is one number, this says where it goes. */
function timeDetectors(casePath: string): BenchResult['detectors'] {
  const m = {
    runDetectors: optionalModule<DetectorModules['runDetectors']>('electron/analysis/run-detectors.js'),
    context: optionalModule<DetectorModules['context']>('electron/analysis/detector-context.js'),
    thresholds: optionalModule<DetectorModules['thresholds']>('electron/analysis/thresholds.js'),
  };
  if (!m.runDetectors?.DETECTORS || !m.context?.makeContext || !m.thresholds?.resolveThresholds) {
    log('detector timings skipped: electron/analysis does not export DETECTORS/makeContext/resolveThresholds');
    return null;
  }
  const db = openCase(casePath);
  try {
    const ctx = m.context.makeContext(db, m.thresholds.resolveThresholds(db));
    return m.runDetectors.DETECTORS.map(([name, run]) => {
      const t = performance.now();
      const drafts = run(ctx);
      return { name, ms: performance.now() - t, findings: drafts.length };
    });
  } finally {
    db.close();
  }
}

function runQueries(casePath: string): QueryTiming[] {
  const db = openCase(casePath, { readonly: true });
  const out: QueryTiming[] = [];
  try {
    const count = (r: unknown) => String(r);
    // The SYN-scan question straight in SQL: the cost floor for any filter language on top.
    out.push(timeQuery('SQL count SYN without ACK', () => db.prepare('SELECT count(*) FROM packets WHERE (tcp_flags & 18) = 2').pluck().get(), count));
    const pq = optionalModule<PacketQueryModule>('electron/query/packet-query.js');
    if (pq) {
      out.push(timeQuery('filter count "tcp.flags.syn == 1 && tcp.flags.ack == 0"', () => pq.countPackets(db, { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' }), count));
      const page = (r: unknown) => `${(r as { rows: unknown[] }).rows.length} rows`;
      out.push(timeQuery('first page (200 rows)', () => pq.pagePackets(db, { limit: 200 }), page));
      out.push(timeQuery('first page, filter "dns.flags.rcode == 3"', () => pq.pagePackets(db, { filter: 'dns.flags.rcode == 3', limit: 200 }), page));
      // The busiest address: the worst case for an address filter (most matches to sort or walk).
      const busiest = db.prepare('SELECT a.addr FROM hosts h JOIN addrs a ON a.id = h.addr_id ORDER BY h.pkts_sent + h.pkts_recv DESC LIMIT 1').pluck().get() as string | undefined;
      if (busiest) {
        const f = `${busiest.includes(':') ? 'ipv6' : 'ip'}.addr == ${busiest}`;
        out.push(timeQuery(`first page, filter "${f}"`, () => pq.pagePackets(db, { filter: f, limit: 200 }), page));
        out.push(timeQuery(`filter count "${f}"`, () => pq.countPackets(db, { filter: f }), count));
      }
      const lastId = Number(db.prepare('SELECT max(id) FROM packets').pluck().get() ?? 0);
      out.push(timeQuery('page at the end (after max-200)', () => pq.pagePackets(db, { limit: 200, after: Math.max(0, lastId - 200) }), page));
    } else {
      out.push({ name: 'display-filter queries', firstMs: 0, bestMs: 0, result: 'skipped: electron/query/packet-query not built' });
    }
    const ov = optionalModule<{ caseOverview(db: CaseDb, casePath: string): { packetCount: number } }>('electron/query/overview.js');
    if (ov) out.push(timeQuery('case overview (what the first paint needs)', () => ov.caseOverview(db, casePath), (r) => `${(r as { packetCount: number }).packetCount} packets`));
    const tl = optionalModule<TimelineModule>('electron/query/timeline.js');
    if (tl) {
      const series = (r: unknown) => { const s = r as { widthSec: number; points: unknown[] }; return `${s.points.length} buckets of ${s.widthSec}s`; };
      out.push(timeQuery('timeline, whole case by protocol', () => tl.timelineSeries(db, { metric: 'packets', dim: 'proto', buckets: 400 }), series));
      const first = db.prepare('SELECT CAST(min(ts_ns) AS TEXT) FROM packets').pluck().get() as string | null;
      if (first) {
        const to = (BigInt(first) + 10_000_000_000n).toString();
        out.push(timeQuery('timeline, first 10 s by TCP flags', () => tl.timelineSeries(db, { metric: 'packets', dim: 'tcp', buckets: 400, from: first, to }), series));
      }
    } else {
      out.push({ name: 'timeline', firstMs: 0, bestMs: 0, result: 'skipped: electron/query/timeline not built' });
    }
    // Host graph, per-host panel and ladder (issue 9): their own module, so their timings stay theirs.
    const graph = optionalModule<{ graphTimings(db: CaseDb): QueryTiming[] }>('test/bench/graph-bench.js');
    if (graph) out.push(...graph.graphTimings(db));
  } finally {
    db.close();
  }
  return out;
}

async function runOnce(args: Args): Promise<BenchResult> {
  const dir = args.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const capture = path.join(dir, `bench-${args.profile}-${args.packets}-s${args.seed}.pcap`);
  const casePath = path.join(dir, `bench-${args.packets}.flowcase`);
  try {
    let t = performance.now();
    const loadAvg = os.loadavg();
    const gen = await writeBenchCapture(capture, { packets: args.packets, seed: args.seed, profile: args.profile });
    const generateSeconds = (performance.now() - t) / 1000;
    log(`generated ${gen.packets} packets, ${(gen.bytes / MB).toFixed(1)} MB in ${generateSeconds.toFixed(1)} s: ${capture}`);

    for (const p of [casePath, `${casePath}-wal`, `${casePath}-shm`]) fs.rmSync(p, { force: true });
    (globalThis as { gc?: () => void }).gc?.();
    const baselineRss = process.memoryUsage().rss;
    const sampler = rssSampler(50);
    const perPhase = phasePeaks();
    perPhase.enter('setup');
    const phases: Record<string, number> = {};
    let lastPhase = '';
    t = performance.now();
    const result = await indexCaptures({
      casePath, captures: [capture], analyse: args.detect ? runDetectors : undefined,
      onProgress: (p) => {
        // Time at which each phase began, relative to the start.
        if (p.phase !== lastPhase) { phases[p.phase] = (performance.now() - t) / 1000; lastPhase = p.phase; perPhase.enter(p.phase); }
      },
    });
    const ingestSeconds = (performance.now() - t) / 1000;
    perPhase.enter(null);
    const peakRss = sampler.stop();
    // getrusage's maxRSS is the kernel's high-water mark, which the per-phase resets also clear:
    // the lifetime peak is the largest of the phases' peaks and what the kernel holds now.
    const phasePeakRss = perPhase.result();
    const maxRss = Math.max(process.resourceUsage().maxRSS * 1024, ...Object.values(phasePeakRss ?? {}).map((mb) => mb * MB));
    if (result.packets !== gen.packets) throw new Error(`indexed ${result.packets} packets, generated ${gen.packets}`);
    const caseBytes = fileSize(casePath) + fileSize(`${casePath}-wal`);
    log(`indexed in ${ingestSeconds.toFixed(1)} s`);

    let tshark: BenchResult['tshark'] = null;
    if (args.tshark && onPath('tshark')) {
      const s = await timeTshark(capture);
      tshark = { seconds: s, packetsPerSec: gen.packets / s, ratio: s / ingestSeconds };
      log(`tshark fields pass in ${s.toFixed(1)} s`);
    }
    const queries = runQueries(casePath);
    const detectors = args.detectorTimes ? timeDetectors(casePath) : null;
    return {
      packets: gen.packets, profile: args.profile, loadAvg, seed: args.seed, captureBytes: gen.bytes, generateSeconds, ingestSeconds,
      packetsPerSec: gen.packets / ingestSeconds, mbPerSec: gen.bytes / MB / ingestSeconds,
      phases, phasePeakRssMb: phasePeakRss, peakRssMb: peakRss.rss / MB,
      peakAnonMb: peakRss.anon === null ? null : peakRss.anon / MB, peakFileMb: peakRss.file === null ? null : peakRss.file / MB, maxRssMb: maxRss / MB, baselineRssMb: baselineRss / MB,
      caseBytes, caseRatio: caseBytes / gen.bytes, findings: result.findings.length,
      tshark, queries, detectors, node: process.version, cpus: os.availableParallelism(),
    };
  } finally {
    if (args.keep || args.dir) log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

function printTable(r: BenchResult): void {
  const rows: Array<[string, string]> = [
    ['profile', `${r.profile} (load average at start ${r.loadAvg.map((l) => l.toFixed(2)).join(' ')}, ${r.cpus} cores)`],
    ['packets', r.packets.toLocaleString('en-US')],
    ['capture', `${(r.captureBytes / MB).toFixed(1)} MB, ${(r.captureBytes / r.packets).toFixed(0)} B/packet`],
    ['ingest wall', `${r.ingestSeconds.toFixed(2)} s` + phaseText(r)],
    ['throughput', `${Math.round(r.packetsPerSec).toLocaleString('en-US')} packets/s, ${r.mbPerSec.toFixed(1)} MB/s`],
    ['peak RSS (50 ms samples)', `${r.peakRssMb.toFixed(0)} MB (baseline ${r.baselineRssMb.toFixed(0)} MB`
      + (r.peakAnonMb !== null ? `; peak anonymous ${r.peakAnonMb.toFixed(0)} MB, file-backed ${r.peakFileMb!.toFixed(0)} MB)` : ')')],
    ['maxRSS (process lifetime)', `${r.maxRssMb.toFixed(0)} MB`],
    ['peak RSS per phase (VmHWM)', r.phasePeakRssMb
      ? Object.entries(r.phasePeakRssMb).map(([phase, mb]) => `${phase} ${mb.toFixed(0)} MB`).join(', ') : 'not available'],
    ['case file', `${(r.caseBytes / MB).toFixed(1)} MB, ${r.caseRatio.toFixed(2)}× the capture`],
    ['findings', String(r.findings)],
    ['tshark fields pass', r.tshark
      ? `${r.tshark.seconds.toFixed(2)} s, ${Math.round(r.tshark.packetsPerSec).toLocaleString('en-US')} packets/s (tshark/ingest time ${r.tshark.ratio.toFixed(2)})`
      : 'skipped'],
  ];
  rows.push(['targets (issue 11)', targetText(r)]);
  for (const q of r.queries) rows.push([`query: ${q.name}`, q.result.startsWith('skipped') ? q.result : `${q.firstMs.toFixed(1)} ms first, ${q.bestMs.toFixed(1)} ms warm → ${q.result}`]);
  for (const d of r.detectors ?? []) rows.push([`detector: ${d.name}`, `${(d.ms / 1000).toFixed(2)} s, ${d.findings} findings`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
}

/** The bar beside this run's figures: ≥10× tshark, ≤250 MB peak, case ≤0.3× (bench) / ≤0.6× (small). */
function targetText(r: BenchResult): string {
  const caseCap = r.profile === 'small' ? 0.6 : 0.3;
  const parts = [
    r.tshark ? `speed ${r.tshark.ratio.toFixed(1)}× tshark (≥10×: ${r.tshark.ratio >= 10 ? 'met' : 'not met'})` : 'speed: no tshark',
    `peak RSS ${r.maxRssMb.toFixed(0)} MB (≤250 MB: ${r.maxRssMb <= 250 ? 'met' : 'not met'})`,
    `case ${r.caseRatio.toFixed(2)}× (≤${caseCap}×: ${r.caseRatio <= caseCap ? 'met' : 'not met'})`,
  ];
  return parts.join('; ');
}

function phaseText(r: BenchResult): string {
  const order = ['reading', 'indexing', 'detecting', 'done'].filter((p) => r.phases[p] !== undefined);
  const spans = order.slice(0, -1).map((p, i) => `${p} ${(r.phases[order[i + 1]] - r.phases[p]).toFixed(1)}`);
  return spans.length ? ` (${spans.join(', ')} s)` : '';
}

/** Runs one bench in a fresh process, so each run's maxRSS is its own. */
function childRun(args: Args, packets: number, jsonOut: string): BenchResult {
  const argv = [process.argv[1], '--packets', String(packets), '--seed', String(args.seed), '--profile', args.profile, '--json-out', jsonOut];
  if (!args.tshark) argv.push('--no-tshark');
  if (!args.detect) argv.push('--no-detect');
  const r = spawnSync(process.execPath, ['--expose-gc', ...argv], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench child for ${packets} packets failed (exit ${r.status})`);
  return JSON.parse(fs.readFileSync(jsonOut, 'utf8')) as BenchResult;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const resultFile = path.join(DIST, 'bench-result.json');
  if (args.jsonOut) {
    const r = await runOnce(args);
    fs.writeFileSync(args.jsonOut, JSON.stringify(r, null, 2));
    printTable(r);
    return;
  }
  if (args.scale > 1) {
    // Memory must not grow with the capture: index N and scale×N packets in separate processes.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-bench-scale-'));
    try {
      const small = childRun(args, args.packets, path.join(tmp, 'small.json'));
      const large = childRun(args, args.packets * args.scale, path.join(tmp, 'large.json'));
      const growth = large.maxRssMb / small.maxRssMb;
      const anonGrowth = small.peakAnonMb && large.peakAnonMb ? large.peakAnonMb / small.peakAnonMb : null;
      console.log(`\nRSS check: ${small.packets.toLocaleString('en-US')} packets → maxRSS ${small.maxRssMb.toFixed(0)} MB; `
        + `${large.packets.toLocaleString('en-US')} packets → ${large.maxRssMb.toFixed(0)} MB (×${growth.toFixed(2)} for ×${args.scale} packets)`
        + (anonGrowth === null ? '' : `; anonymous memory ${small.peakAnonMb!.toFixed(0)} → ${large.peakAnonMb!.toFixed(0)} MB (×${anonGrowth.toFixed(2)})`)
        + `\ntarget (issue 11): within +10% at ${args.scale}×: ${growth <= 1.1 ? 'met' : 'not met'}`);
      fs.writeFileSync(resultFile, JSON.stringify({ scale: args.scale, rssGrowth: growth, anonGrowth, runs: [small, large] }, null, 2));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } else {
    const r = await runOnce(args);
    printTable(r);
    fs.writeFileSync(resultFile, JSON.stringify(r, null, 2));
  }
  console.log(`\nfigures written to ${path.relative(process.cwd(), resultFile) || resultFile}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
