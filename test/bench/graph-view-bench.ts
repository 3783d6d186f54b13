/**
 * The Graph view in Chromium on a finished case (issue 9's UI targets): first paint of the view
 * < 1 s and no main-thread task > 100 ms, measured with a PerformanceObserver for long tasks.
 *
 *   npm run build && node dist/test/bench/graph-view-bench.js <case.flowcase> [--filter EXPR] [--cpu-profile FILE]
 *
 * Build the bench's 1M-packet case once with `npm run bench -- --dir /tmp/fc-bench` and point this
 * at /tmp/fc-bench/bench-1000000.flowcase. It starts `flowcase serve` on the case, opens the app,
 * and times: the click on Graph → the first frame of the graph drawn (performance mark
 * 'flowcase:graph-drawn'), → the layout settled; then a scope change (a display filter) and the
 * /24 toggle, each to its first frame. Long tasks are counted from the click to the end.
 * Needs Chromium at /usr/bin/chromium (or FLOWCASE_CHROMIUM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

function serve(casePath: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'flowcase.js'), 'serve', casePath, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no URL from flowcase serve within 120 s:\n${out}`)); }, 120_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = URL_RE.exec(out);
      if (m) { clearTimeout(timer); resolve({ url: m[0], child }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`flowcase serve exited with ${code}:\n${out}`)); });
  });
}

interface Step { name: string; t0: number; arrivedMs: number | null; firstDrawMs: number | null; settledMs: number | null }

/** Runs `act` in the page, then waits for the graph's next first frame and settling; times from the act. */
async function step(page: Page, name: string, act: () => Promise<void>): Promise<Step> {
  await page.evaluate(() => { performance.clearMarks(); (globalThis as unknown as { __t0: number }).__t0 = performance.now(); });
  await act();
  await page.waitForFunction(() => performance.getEntriesByName('flowcase:graph-drawn').length > 0, null, { timeout: 120_000 });
  await page.waitForFunction(() => performance.getEntriesByName('flowcase:graph-settled').length > 0, null, { timeout: 120_000 });
  return page.evaluate((n) => {
    const t0 = (globalThis as unknown as { __t0: number }).__t0;
    const at = (mark: string) => performance.getEntriesByName(mark)[0]?.startTime ?? null;
    const drawn = at('flowcase:graph-drawn');
    const settled = at('flowcase:graph-settled');
    // The graph reached the canvas component (the query, the transfer and the JSON parse before it).
    const arrived = performance.getEntriesByName('flowcase:graph-restart').map((m) => m.startTime).filter((t) => t >= t0)[0] ?? null;
    return { name: n, t0, arrivedMs: arrived === null ? null : arrived - t0, firstDrawMs: drawn === null ? null : drawn - t0, settledMs: settled === null ? null : settled - t0 };
  }, name);
}

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

/** Main-thread tasks of the page's renderer from a Chrome trace: wall (dur) and thread CPU (tdur), in ms. */
function taskCpu(buffer: Buffer): { over100wall: number; over100cpu: number; maxWall: number; maxCpu: number } | null {
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mains.has(`${e.pid}:${e.tid}`) && e.dur !== undefined);
  if (!tasks.length) return null;
  const wall = tasks.map((t) => (t.dur ?? 0) / 1000);
  const cpu = tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000);
  return {
    over100wall: wall.filter((w) => w > 100).length, over100cpu: cpu.filter((c) => c > 100).length,
    maxWall: Math.max(...wall), maxCpu: Math.max(...cpu),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const casePath = args.find((a) => !a.startsWith('--'));
  const fi = args.indexOf('--filter');
  const filter = fi >= 0 ? args[fi + 1] : 'tcp.port == 443';
  if (!casePath) {
    process.stderr.write('usage: node dist/test/bench/graph-view-bench.js <case.flowcase> [--filter EXPR]\n');
    process.exit(2);
  }
  const { url, child } = await serve(path.resolve(casePath));
  const browser = await chromium.launch({ executablePath: process.env.FLOWCASE_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(() => {
      const w = globalThis as unknown as { __long: Array<{ start: number; ms: number }> };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push({ start: e.startTime, ms: e.duration });
      }).observe({ type: 'longtask' as never, buffered: true });
    });
    await page.goto(url);
    await page.getByTestId('nav-graph').waitFor({ timeout: 120_000 });
    // Let the overview's own loading finish, so the long tasks counted are the Graph view's.
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(1500);
    const since = await page.evaluate(() => performance.now());
    // --cpu-profile FILE: a CDP CPU profile of the renderer over the steps (open it in Chrome's DevTools).
    const pi = args.indexOf('--cpu-profile');
    const cdp = pi >= 0 ? await page.context().newCDPSession(page) : null;
    if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
    // A trace gives each main-thread task's CPU time (tdur) beside its wall time (dur): on a loaded
    // machine the wall time is mostly the wait for a core.
    await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });

    const steps: Step[] = [];
    steps.push(await step(page, 'open Graph view (whole case)', () => page.getByTestId('nav-graph').click()));
    steps.push(await step(page, `filter "${filter}"`, async () => {
      await page.getByTestId('filter-input').fill(filter);
      await page.getByTestId('filter-input').press('Enter');
    }));
    steps.push(await step(page, 'group by /24', () => page.getByTestId('graph-group').check()));
    steps.push(await step(page, 'clear filter and groups', async () => {
      await page.getByTestId('graph-group').uncheck();
      await page.getByTestId('filter-input').fill('');
      await page.getByTestId('filter-input').press('Enter');
    }));
    await page.waitForTimeout(500);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.writeFileSync(args[pi + 1], JSON.stringify(profile));
    }
    const cpu = taskCpu(await browser.stopTracing());
    const long = await page.evaluate((t) => (globalThis as unknown as { __long: Array<{ start: number; ms: number }> }).__long.filter((l) => l.start >= t), since);
    const counts = await page.getByTestId('graph-counts').textContent();

    console.log(`Graph view on ${casePath} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.availableParallelism()} cores)`);
    console.log(`graph: ${counts?.trim()}`);
    for (const s of steps) {
      console.log(`${s.name.padEnd(44)} graph arrived ${s.arrivedMs?.toFixed(0).padStart(6)} ms   first frame ${s.firstDrawMs?.toFixed(0).padStart(6)} ms   settled ${s.settledMs?.toFixed(0).padStart(6)} ms`);
    }
    const longest = long.reduce((m, l) => Math.max(m, l.ms), 0);
    // What the graph's own code did inside each long task (measures it leaves: layout ticks, frame draws).
    const measures = await page.evaluate(() => performance.getEntriesByType('measure')
      .filter((m) => m.name.startsWith('flowcase:')).map((m) => ({ name: m.name.slice(9), start: m.startTime, ms: m.duration })));
    for (const l of long.filter((x) => x.ms > 100)) {
      const s = [...steps].reverse().find((x) => x.t0 <= l.start);
      const inside = measures.filter((m) => m.start >= l.start && m.start < l.start + l.ms);
      const ours = inside.map((m) => `${m.name} ${m.ms.toFixed(0)}`).join(', ');
      console.log(`  task ${l.ms.toFixed(0).padStart(4)} ms at +${s ? (l.start - s.t0).toFixed(0) : '?'} ms into "${s?.name ?? 'before'}"${ours ? `: ${ours} ms` : ': none of the graph\'s frames'}`);
    }
    console.log(`main-thread long tasks (> 50 ms): ${long.length}, over 100 ms: ${long.filter((l) => l.ms > 100).length}, longest ${longest.toFixed(0)} ms`);
    if (cpu) {
      console.log(`main-thread tasks from the trace: ${cpu.over100wall} over 100 ms wall, ${cpu.over100cpu} over 100 ms of CPU; `
        + `longest ${cpu.maxWall.toFixed(0)} ms wall, most CPU in one task ${cpu.maxCpu.toFixed(0)} ms`);
    }
    console.log(`targets: first paint < 1000 ms: ${(steps[0].firstDrawMs ?? Infinity) < 1000 ? 'met' : 'not met'}; no task > 100 ms: ${longest <= 100 ? 'met' : 'not met'}`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
