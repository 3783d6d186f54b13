/**
 * `flowcase serve [capture|case] [--case out.flowcase] [--port N] [--no-detect]`
 *
 * Opens (or creates) a case and serves the app on 127.0.0.1. Given a capture, the case defaults
 * to <tmpdir>/flowcase-cases/<capture-basename>.flowcase (never beside the evidence; a case that
 * already holds the capture is reused) and indexing runs in the background while serving.
 * Prints `Flowcase serving <case> at <url>` and then the URL alone on its own line.
 * Resolves with the exit code once the server stops (SIGINT/SIGTERM).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultCasePathFor, defaultCasesDir, defaultCasesDirText } from '../session/default-case-path';
import { createUniqueCaseFile } from '../session/data-folder';
import { startServer } from './server';

const USAGE = `usage: flowcase serve [capture|case] [--case out.flowcase] [--port N] [--no-detect]

  capture        a pcap / pcapng / .gz file to index in the background while serving
  case           an existing .flowcase file to open
  --case FILE    the case file to open or create (default for a capture:
                 ${path.join(defaultCasesDirText(), '<capture-basename>.flowcase')}, a new case each time)
  --port N       port on 127.0.0.1 (default: a free port)
  --no-detect    skip the detectors after indexing`;

interface ServeArgs { input?: string; casePath?: string; port: number; detect: boolean }

function parseArgs(argv: string[]): ServeArgs | string {
  const out: ServeArgs = { port: 0, detect: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string) => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      if (a === '--case' || a.startsWith('--case=')) out.casePath = value('--case');
      else if (a === '--port' || a.startsWith('--port=')) {
        const v = value('--port');
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) return `--port must be a number from 0 to 65535 (got ${v})`;
        out.port = n;
      } else if (a === '--no-detect') out.detect = false;
      else if (a === '--help' || a === '-h') return '';
      else if (a.startsWith('-')) return `unknown option ${a}`;
      else if (out.input === undefined) out.input = a;
      else return `unexpected argument ${a} (serve takes one capture or case)`;
    } catch (err) {
      return (err as Error).message;
    }
  }
  return out;
}

/** A case is an SQLite file; anything else given positionally is treated as a capture. */
function isCaseFile(file: string): boolean {
  if (file.endsWith('.flowcase')) return true;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(16);
      fs.readSync(fd, head, 0, 16, 0);
      return head.toString('latin1') === 'SQLite format 3\0';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

export async function serveCommand(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) console.error(`flowcase serve: ${parsed}`);
    console.error(USAGE);
    return parsed ? 2 : 0;
  }
  let casePath = parsed.casePath;
  const captures: string[] = [];
  if (parsed.input) {
    const input = path.resolve(parsed.input);
    if (!fs.existsSync(input)) {
      console.error(`flowcase serve: ${input} does not exist; check the path`);
      return 2;
    }
    if (isCaseFile(input)) {
      if (casePath && path.resolve(casePath) !== input) {
        console.error('flowcase serve: give either a case or --case, not two different cases');
        return 2;
      }
      casePath = input;
    } else {
      captures.push(input);
    }
  }
  try {
    if (!casePath) casePath = captures.length ? defaultCasePathFor(captures[0]) : createUniqueCaseFile(defaultCasesDir(), `flowcase-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  } catch (err) {
    console.error(`flowcase serve: cannot create the case in ${defaultCasesDirText()}: ${(err as Error).message}`);
    return 2;
  }

  let server;
  try {
    server = await startServer({ casePath, capturePaths: captures, port: parsed.port, host: '127.0.0.1', detect: parsed.detect });
  } catch (err) {
    console.error(`flowcase serve: ${(err as Error).message}`);
    return 1;
  }
  const running = server;
  running.session.events.on('ingest.done', (d) => {
    const status = d.cancelled ? 'cancelled' : d.ok ? 'done' : 'failed';
    console.log(`Indexing ${status}: ${d.packets} packets${d.errors.length ? `, ${d.errors.length} problem(s): ${d.errors.slice(0, 3).join('; ')}` : ''}`);
  });
  console.log(`Flowcase serving ${running.session.casePath} at ${running.url}`);
  console.log(running.url);
  if (running.jobIds.length) console.log(`Indexing ${captures.map((c) => path.basename(c)).join(', ')} in the background…`);
  console.log("Only this machine can connect (127.0.0.1). Press Ctrl+C to stop.");

  return new Promise<number>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(() => resolve(0), () => resolve(1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
