/**
 * What an ingest produced, as one hash per table: to show that a change to the ingest (memory,
 * speed) leaves every packet, flow, DNS transaction, host name, finding and its evidence as it was.
 *
 *   node dist/test/bench/case-dump.js --out after.tsv CAPTURE_OR_FOLDER...   # index each capture alone, dump
 *   node dist/test/bench/case-dump.js --dist /tmp/old/dist --out before.tsv ...   # the same with another build
 *   node dist/test/bench/case-dump.js --case some.flowcase --out x.tsv           # dump a case as it is
 *   options: --together (also index all the captures given into one case, in order: the append path)
 *            --text DIR (write every table's rows as text too, one file per capture and table, to diff)
 *
 * Each line of the output: capture, table, rows, SHA-256 of the rows (in rowid order, or by key). Only
 * what differs between two runs of the same code is left out: paths, times, process ids, host and
 * user names (captures, custody, ingest_runs, annotations, case_meta.created_at) and SQLite's statistics tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/** Columns that differ between two runs of the same build, by table ('*' drops the whole table). */
const VOLATILE: Record<string, string[] | '*'> = {
  captures: ['path', 'mtime_ms', 'imported_at'],
  custody: '*',
  ingest_runs: ['started_at', 'pid', 'host'],
  // Capture comments adopted as annotations carry the time and the analyst (the OS user).
  annotations: ['created_at', 'updated_at', 'author'],
  annotation_versions: ['at', 'author'],
  sqlite_stat1: '*',
  sqlite_stat4: '*',
};
const VOLATILE_META = new Set(['created_at']);

export interface TableDigest { table: string; rows: number; sha256: string }

type Row = Record<string, unknown>;

function cell(v: unknown): string {
  if (v === null) return '∅';
  if (Buffer.isBuffer(v)) return 'x' + v.toString('hex');
  return String(v);
}

/** Every table of a case, each as a row count and a hash of its rows in primary-key order. */
export function dumpCase(casePath: string, textDir: string | null = null, label = ''): TableDigest[] {
  const db = new Database(casePath, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return tables.filter((t) => VOLATILE[t] !== '*').map((table) => {
      const info = db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as Array<{ name: string; pk: bigint }>;
      const skip = new Set(VOLATILE[table] === undefined ? [] : VOLATILE[table] as string[]);
      const cols = info.map((c) => c.name).filter((c) => !skip.has(c));
      const pk = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => c.name);
      // Rowid tables in rowid order (the order rows were written in); WITHOUT ROWID tables by their key.
      const order = hasRowid(db, table) ? 'rowid' : pk.length ? pk.map((c) => `"${c}"`).join(', ') : cols.map((_, i) => String(i + 1)).join(', ');
      const hash = createHash('sha256');
      const text = textDir ? fs.openSync(path.join(textDir, `${label}.${table}.txt`), 'w') : null;
      let rows = 0;
      for (const row of db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY ${order}`).iterate() as Iterable<Row>) {
        if (table === 'case_meta' && VOLATILE_META.has(String(row.key))) continue;
        const line = cols.map((c) => cell(row[c])).join('\t') + '\n';
        hash.update(line);
        if (text !== null) fs.writeSync(text, line);
        rows++;
      }
      if (text !== null) fs.closeSync(text);
      return { table, rows, sha256: hash.digest('hex') };
    });
  } finally {
    db.close();
  }
}

function hasRowid(db: Database.Database, table: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM "${table}" LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}

interface IngestModules {
  indexCaptures(o: { casePath: string; captures: string[]; analyse?: unknown; allowDuplicate?: boolean }): Promise<unknown>;
  runDetectors: unknown;
}

function loadIngest(dist: string): IngestModules {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ingest = require(path.join(dist, 'electron', 'ingest', 'index-captures.js')) as Pick<IngestModules, 'indexCaptures'>;
  const detectors = require(path.join(dist, 'electron', 'analysis', 'run-detectors.js')) as Pick<IngestModules, 'runDetectors'>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { indexCaptures: ingest.indexCaptures, runDetectors: detectors.runDetectors };
}

function capturesIn(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        const full = path.join(p, name);
        if (fs.statSync(full).isDirectory()) out.push(...capturesIn([full]));
        else if (/\.(pcap|pcapng|cap|gz|pcap\.gz|pcapng\.gz)$/i.test(name)) out.push(full);
      }
    } else out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let dist = path.resolve(__dirname, '..', '..');
  let out: string | null = null;
  let caseOnly: string | null = null;
  let textDir: string | null = null;
  let together = false;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') dist = path.resolve(argv[++i]);
    else if (a === '--out') out = path.resolve(argv[++i]);
    else if (a === '--case') caseOnly = path.resolve(argv[++i]);
    else if (a === '--text') textDir = path.resolve(argv[++i]);
    else if (a === '--together') together = true;
    else inputs.push(path.resolve(a));
  }
  if (!out || (!caseOnly && inputs.length === 0)) {
    console.error('usage: case-dump.js [--dist DIR] [--together] [--text DIR] --out FILE (--case CASE | CAPTURE_OR_FOLDER...)');
    process.exit(2);
  }
  if (textDir) fs.mkdirSync(textDir, { recursive: true });
  const lines: string[] = [];
  const emit = (label: string, digests: TableDigest[]) => { for (const d of digests) lines.push(`${label}\t${d.table}\t${d.rows}\t${d.sha256}`); };
  if (caseOnly) emit(path.basename(caseOnly), dumpCase(caseOnly, textDir, path.basename(caseOnly)));
  else {
    const ingest = loadIngest(dist);
    const captures = capturesIn(inputs);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-dump-'));
    try {
      const runs: Array<[string, string[]]> = captures.map((c) => [path.basename(c), [c]]);
      if (together) runs.push(['(all together)', captures]);
      for (const [label, files] of runs) {
        const casePath = path.join(tmp, 'case.flowcase');
        for (const p of [casePath, `${casePath}-wal`, `${casePath}-shm`]) fs.rmSync(p, { force: true });
        try {
          await ingest.indexCaptures({ casePath, captures: files, analyse: ingest.runDetectors, allowDuplicate: true });
        } catch (err) {
          lines.push(`${label}\t(failed)\t0\t${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
        }
        if (fs.existsSync(casePath)) emit(label, dumpCase(casePath, textDir, label));
        process.stderr.write(`[dump] ${label}\n`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`${lines.length} lines written to ${out}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
