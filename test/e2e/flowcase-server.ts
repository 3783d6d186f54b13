/**
 * Spawns `node bin/flowcase.js serve <capture> --case <tmp>` (browser mode) and parses the URL it
 * prints. Each spec gets its own server, case file and token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** shared/ sits beside the repository (…/main and …/shared). */
export const SHARED_CAPTURES = path.resolve(ROOT, '..', 'shared', 'captures', 'real');
export const SYNSCAN = path.join(SHARED_CAPTURES, 'chrissanders__synscan.pcapng');
export const SYN_FLOOD = path.join(SHARED_CAPTURES, 'suricata__tcp-session-syn-flood-drop-precedence__input.pcap');
export const XSS_CAPTURE = process.env.FLOWCASE_E2E_XSS_CAPTURE ?? path.join(ROOT, 'test', 'fixtures', 'captures', 'xss-markup.pcap');
export const SCREENS = path.join(ROOT, 'test-results', 'screens');

export interface FlowcaseServer {
  url: string;
  origin: string;
  token: string;
  casePath: string;
  output(): string;
  stop(): Promise<void>;
}

const URL_RE = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

/** The CLI when it has been built with `serve`; otherwise the stand-alone serve entry. */
function serveCommandLine(args: string[]): string[] {
  const standalone = [path.join(ROOT, 'dist', 'electron', 'serve', 'serve-cli.js'), ...args];
  // FLOWCASE_E2E_STANDALONE=1 skips the CLI (e.g. while another CLI command does not build).
  if (process.env.FLOWCASE_E2E_STANDALONE === '1') return standalone;
  const cli = path.join(ROOT, 'dist', 'electron', 'cli', 'main.js');
  if (fs.existsSync(cli) && fs.readFileSync(cli, 'utf8').includes('serve')) return [path.join(ROOT, 'bin', 'flowcase.js'), 'serve', ...args];
  return standalone;
}

/**
 * `existingCase`: open that case (built beforehand, e.g. by global-setup.ts) instead of a new one in a
 * temporary folder; it is left in place when the server stops.
 */
export async function startFlowcase(capture?: string, env: Record<string, string> = {}, existingCase?: string): Promise<FlowcaseServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-e2e-'));
  const casePath = existingCase ?? path.join(dir, 'e2e.flowcase');
  const args = existingCase ? [existingCase, '--port', '0'] : [...(capture ? [capture] : []), '--case', casePath, '--port', '0'];
  const child: ChildProcess = spawn(process.execPath, serveCommandLine(args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });

  const started = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`flowcase serve printed no URL within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = URL_RE.exec(out);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`flowcase serve exited with ${code}:\n${out}`)); });
  });
  const match = await started.catch((err: unknown) => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  child.removeAllListeners('exit');
  const origin = `http://127.0.0.1:${match[1]}`;
  return {
    url: match[0],
    origin,
    token: match[2],
    casePath,
    output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { fs.rmSync(dir, { recursive: true, force: true }); resolve(); return; }
      child.once('exit', () => { fs.rmSync(dir, { recursive: true, force: true }); resolve(); });
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

/** Call a channel the way the renderer does in browser mode (used to cross-check what the UI shows). */
export async function callApi<T = any>(server: FlowcaseServer, channel: string, args: unknown = {}): Promise<T> {
  const res = await fetch(`${server.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Flowcase-Token': server.token },
    body: JSON.stringify(args),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${channel} → ${res.status}: ${JSON.stringify(body)}`);
  return body as T;
}

/**
 * Wait until the whole ingest has finished: the captures are read (status no longer 'indexing') and
 * the run's last phase, the detectors, has committed (phase 'complete'), so findings are there.
 */
export async function waitIndexed(server: FlowcaseServer, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  const running = new Set(['reading', 'indexing', 'analysing']);
  for (;;) {
    const o = await callApi(server, 'case.overview');
    if (o.status !== 'indexing' && o.status !== 'analysing' && o.status !== 'empty' && (o.interrupted || !running.has(o.phase))) return o;
    if (Date.now() > until) throw new Error(`case still ${o.status} (phase ${o.phase}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** tshark's reference numbers for a capture (test/fixtures/tshark/<capture>.json). */
export function tsharkReference(capture: string): { rows: Array<[number, string, ...unknown[]]>; filterCounts: Record<string, number> } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'tshark', `${path.basename(capture)}.json`), 'utf8'));
}

/** "1278275056.274870000" → 1278275056274870000n */
export function epochTextToNs(text: string): bigint {
  const [s, frac = ''] = text.split('.');
  return BigInt(s) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}
