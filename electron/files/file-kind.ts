/**
 * What an existing file is, decided from its first bytes (and, for SQLite, a read-only look at
 * its schema), without modifying it. The guarded write path uses this to refuse replacing
 * evidence or a case with something else.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';

export type ExistingKind = 'missing' | 'directory' | 'case' | 'sqlite' | 'capture' | 'zip' | 'pdf' | 'text' | 'binary' | 'unreadable';

const SQLITE_MAGIC = 'SQLite format 3\0';
const CAPTURE_MAGICS = [
  'a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', 'a1b2cd34', '34cdb2a1', // pcap µs / ns / modified, both byte orders
  '0a0d0d0a', // pcapng section header block
];

function readHead(file: string, n: number): Buffer | null {
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW); } catch { return null; }
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * True when an SQLite file holds a Flowcase schema (case_meta + captures tables). Opened
 * read-only, so a foreign database is byte-identical afterwards.
 */
export function sqliteIsCase(file: string, nativeBinding?: string): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('case_meta', 'captures')").pluck().all();
    return names.length === 2;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Classify an existing path without following a final symlink's target for writing. */
export function identifyFile(file: string, nativeBinding?: string): ExistingKind {
  let st: fs.Stats;
  try { st = fs.statSync(file); } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  if (st.isDirectory()) return 'directory';
  if (!st.isFile()) return 'binary';
  const head = readHead(file, 4096);
  if (head === null) return 'unreadable';
  if (head.length === 0) return 'text';
  if (head.subarray(0, 16).toString('latin1') === SQLITE_MAGIC) return sqliteIsCase(file, nativeBinding) ? 'case' : 'sqlite';
  if (head.length >= 4 && CAPTURE_MAGICS.includes(head.subarray(0, 4).toString('hex'))) return 'capture';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'capture'; // gzip: Flowcase reads .pcap.gz captures
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'zip';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return head.includes(0) ? 'binary' : 'text';
}
