import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CaseDb } from './case-db';
import { appendCustody } from './custody';
import { restoreTsIndex } from './bulk-indexes';
import { rebuildGraphPairs } from './graph-pair-summary';

export type { CaseDb } from './case-db';

/** Where the .sql migrations live, both from source (db/) and from the compiled tree (dist/db/). */
function migrationsDir(): string {
  const candidates = [path.resolve(__dirname, 'migrations'), path.resolve(__dirname, '..', '..', 'db', 'migrations')];
  for (const dir of candidates) if (fs.existsSync(dir)) return dir;
  throw new Error(`Flowcase schema migrations not found (looked in ${candidates.join(', ')})`);
}

export interface Migration { version: number; name: string; sql: string }

export function loadMigrations(): Migration[] {
  const dir = migrationsDir();
  return fs.readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

export class CaseSchemaError extends Error {}

export interface OpenCaseOptions {
  readonly?: boolean;
  /** Path to a better-sqlite3 native binding built for another ABI (the Electron app sets this). */
  nativeBinding?: string;
}

/** The binding chosen by the host process: Electron's main sets FLOWCASE_SQLITE_BINDING to its own build. */
function defaultBinding(): string | undefined {
  return process.env.FLOWCASE_SQLITE_BINDING || undefined;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Before a writable open touches an existing file (WAL, page size, migrations all write), make
 * sure it is a case, with reads only: a foreign SQLite database or any other file stays byte-identical.
 */
function refuseForeignFile(file: string, nativeBinding?: string): void {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(100);
      head = head.subarray(0, fs.readSync(fd, head, 0, 100, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return; // missing: SQLite creates it
  }
  if (head.length === 0) return; // an empty file is a new case (the guarded write path creates it so)
  if (head.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) throw new CaseSchemaError(`${path.basename(file)} is not a Flowcase case (not an SQLite file)`);
  const probe = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const version = probe.pragma('user_version', { simple: true }) as number;
    const tables = probe.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (tables.length > 0 && !(tables.includes('case_meta') && tables.includes('captures') && version > 0)) {
      throw new CaseSchemaError(`${path.basename(file)} is an SQLite file but not a Flowcase case`);
    }
  } finally {
    probe.close();
  }
}

/**
 * Open (or create) a case file and bring its schema up to date.
 * Refuses a case written by a newer Flowcase, so an old build never corrupts it.
 */
export function openCase(file: string, opts: OpenCaseOptions = {}): CaseDb {
  const nativeBinding = opts.nativeBinding ?? defaultBinding();
  if (opts.readonly && !fs.existsSync(file)) throw new CaseSchemaError(`case file not found: ${file}`);
  if (!opts.readonly) refuseForeignFile(file, nativeBinding);
  const db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    if (!opts.readonly) {
      // Larger pages: fewer B-tree pages to write during the bulk load and cheaper index sorts.
      // Only takes effect on a new, empty file (it must precede WAL); existing cases keep theirs.
      db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // Several writers (the app, the CLI) may share a case: wait for a lock instead of failing at once.
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -32768'); // 32 MiB page cache per connection: memory stays bounded
    const migrations = loadMigrations();
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new CaseSchemaError(`${path.basename(file)} was written by a newer Flowcase (schema ${current}; this build knows ${latest}). Open it with a newer Flowcase.`);
    }
    if (current === 0 && !opts.readonly) {
      // An existing non-empty file that is not a case must not be turned into one.
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table'").get() as { n: number };
      if (tables.n > 0) throw new CaseSchemaError(`${path.basename(file)} is an SQLite file but not a Flowcase case`);
    }
    if (current < latest) {
      if (opts.readonly) throw new CaseSchemaError(`${path.basename(file)} needs a schema upgrade; open it writable once`);
      let rebuiltRows = false;
      const apply = db.transaction(() => {
        // Re-read under the write lock: another process may have upgraded the case meanwhile.
        const from = db.pragma('user_version', { simple: true }) as number;
        if (from >= latest) return;
        for (const m of migrations) {
          if (m.version <= from) continue;
          db.exec(m.sql);
          db.pragma(`user_version = ${m.version}`);
        }
        rebuiltRows = from > 0 && from < COMPACT_ROWS_SCHEMA && latest >= COMPACT_ROWS_SCHEMA;
        if (rebuiltRows) restoreTsIndex(db);
        // The graph summary and its flow numbering (0011-0014): written now, not left stale until a repair.
        const renumbered = from > 0 && from < PAIR_ROWS_SCHEMA && latest >= PAIR_ROWS_SCHEMA;
        if (renumbered) rebuildGraphPairs(db);
        recordSchemaStart(db, file, from);
        // The tables were rewritten (same answers, new layout): the custody log says when and by which version.
        if ((rebuiltRows || renumbered) && from >= CUSTODY_SCHEMA) appendCustody(db, 'case.schema-upgraded', { fromSchema: from, toSchema: latest });
      });
      apply.immediate();
      if (rebuiltRows) compactAfterRebuild(db);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Migration 0010 rebuilds the packet, flow, HTTP and DNS tables: the old pages are free but still in
 * the file (a 1M-packet case: 116 MB before, 160 MB after). VACUUM gives them back once (about 2 s
 * a million packets). It needs the case to itself: when another connection holds it, the case stays
 * as it is, larger but whole, and later writes reuse the free pages.
 */
function compactAfterRebuild(db: CaseDb): void {
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Busy: see above.
  }
}

/** Schema 3 started the custody log: a new case opens it with its creation, an older one with a note. */
function recordSchemaStart(db: CaseDb, file: string, fromVersion: number): void {
  if (fromVersion >= CUSTODY_SCHEMA) return;
  if (fromVersion === 0) appendCustody(db, 'case.created', { path: path.resolve(file) });
  else appendCustody(db, 'custody.started', { path: path.resolve(file), fromSchema: fromVersion, note: 'the case was created by a Flowcase that kept no custody log; entries start here' });
}

/** The schema version that added the custody log. */
const CUSTODY_SCHEMA = 3;
/**
 * Migrations 0011-0014: each flow numbered with its graph summary row (flows.pair_row, 0013; 0011-0012
 * kept a separate map), the summary keyed by an INTEGER PRIMARY KEY that VACUUM keeps (0014).
 */
const PAIR_ROWS_SCHEMA = 14;
/** Migration 0010_compact_rows: the row tables rebuilt (see compactAfterRebuild). */
const COMPACT_ROWS_SCHEMA = 10;
