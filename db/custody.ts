/**
 * The chain-of-custody log: an append-only table (migration 0003) whose entries are hash-chained.
 *
 *   canonical entry = JSON.stringify([seq, at, analyst, host, app_version, action, details])
 *   hash            = hex SHA-256( previous entry's hash (hex text) ‖ canonical entry ), UTF-8
 *
 * `details` is canonical JSON (object keys sorted, no spaces), stored as that exact text, so the
 * hash covers the stored bytes. The first entry chains from GENESIS_HASH (64 zeros).
 *
 * Triggers refuse UPDATE and DELETE; a change made around them (trigger dropped, file edited)
 * breaks the chain at the changed entry, which verifyCustodyChain reports. Removing entries from
 * the *end* leaves a shorter valid chain: only a copy of the head hash kept elsewhere (printed by
 * `flowcase log`, recorded in exports) shows that.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseDb } from './case-db';

export const GENESIS_HASH = '0'.repeat(64);

export interface CustodyEntry {
  seq: number;
  at: string;
  analyst: string;
  host: string;
  appVersion: string;
  action: string;
  /** Canonical JSON text of the details, exactly as hashed. */
  details: string;
  hash: string;
}

export type CustodyDetails = Record<string, unknown>;

export interface CustodyCheck {
  ok: boolean;
  entries: number;
  /** Hash of the last entry (the chain's head), null for an empty log. */
  head: string | null;
  /** First entry (seq) found broken, with what is wrong. */
  brokenAt?: number;
  problem?: string;
}

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export function canonicalEntry(e: Omit<CustodyEntry, 'hash'>): string {
  return JSON.stringify([e.seq, e.at, e.analyst, e.host, e.appVersion, e.action, e.details]);
}

export function entryHash(prevHash: string, e: Omit<CustodyEntry, 'hash'>): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalEntry(e), 'utf8').digest('hex');
}

let cachedVersion: string | null = null;
/** The Flowcase version from package.json (source tree or compiled dist/ tree). */
export function flowcaseVersion(): string {
  if (cachedVersion) return cachedVersion;
  for (const p of [path.resolve(__dirname, '..', 'package.json'), path.resolve(__dirname, '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'flowcase' && pkg.version) return (cachedVersion = pkg.version);
    } catch { /* try the next */ }
  }
  return (cachedVersion = 'unknown');
}

/** Longest analyst name kept; longer input is refused by the callers that take it from a person. */
export const ANALYST_MAX_CHARS = 128;

function osUserName(): string {
  try { return os.userInfo().username || 'unknown'; } catch { return process.env.USER || process.env.USERNAME || 'unknown'; }
}

/**
 * Who is acting: FLOWCASE_ANALYST when set, else the case's analyst name (set on first annotate),
 * else the OS user name.
 */
export function currentAnalyst(db: CaseDb): string {
  const env = process.env.FLOWCASE_ANALYST?.trim();
  if (env) return env.slice(0, ANALYST_MAX_CHARS);
  const row = db.prepare("SELECT value FROM case_meta WHERE key = 'analyst'").get() as { value: string } | undefined;
  return row?.value || osUserName();
}

export interface AppendOptions {
  analyst?: string;
  /** Override the clock (tests). */
  at?: Date;
}

function toEntry(r: { seq: number; at: string; analyst: string; host: string; app_version: string; action: string; details: string; hash: string }): CustodyEntry {
  return { seq: r.seq, at: r.at, analyst: r.analyst, host: r.host, appVersion: r.app_version, action: r.action, details: r.details, hash: r.hash };
}

/**
 * Append one entry. Runs in an IMMEDIATE transaction (or inside the caller's), so two processes
 * appending at once are serialised by SQLite and never chain from the same previous hash.
 * `db` must be a writable connection.
 */
export function appendCustody(db: CaseDb, action: string, details: CustodyDetails = {}, opts: AppendOptions = {}): CustodyEntry {
  const append = () => {
    const last = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const entry = {
      seq: (last?.seq ?? 0) + 1,
      at: (opts.at ?? new Date()).toISOString(),
      analyst: opts.analyst ?? currentAnalyst(db),
      host: os.hostname(),
      appVersion: flowcaseVersion(),
      action,
      details: canonicalJson(details),
    };
    const hash = entryHash(last?.hash ?? GENESIS_HASH, entry);
    db.prepare('INSERT INTO custody (seq, at, analyst, host, app_version, action, details, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(entry.seq, entry.at, entry.analyst, entry.host, entry.appVersion, entry.action, entry.details, hash);
    return { ...entry, hash };
  };
  return db.inTransaction ? append() : db.transaction(append).immediate();
}

/** Every entry in order. */
export function readCustody(db: CaseDb): CustodyEntry[] {
  const rows = db.prepare('SELECT seq, at, analyst, host, app_version, action, details, hash FROM custody ORDER BY seq').all() as Parameters<typeof toEntry>[0][];
  return rows.map(toEntry);
}

/** Whether the case has a custody table at all (schema 3 and later). */
export function hasCustodyLog(db: CaseDb): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custody'").get() !== undefined;
}

/**
 * Recompute the chain. Reports the first entry whose number is out of sequence, whose stored
 * fields do not hash to its stored hash, or whose columns hold the wrong types.
 */
export function verifyCustodyChain(db: CaseDb): CustodyCheck {
  const stmt = db.prepare('SELECT seq, at, analyst, host, app_version, action, details, hash FROM custody ORDER BY seq');
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const raw of stmt.iterate() as Iterable<Record<string, unknown>>) {
    entries++;
    const seq = Number(raw.seq);
    const broken = (problem: string): CustodyCheck => ({ ok: false, entries, head: null, brokenAt: seq, problem });
    if (seq !== expectedSeq) {
      return broken(seq > expectedSeq
        ? `entry ${expectedSeq}${seq - expectedSeq > 1 ? `–${seq - 1}` : ''} is missing (the log jumps from ${expectedSeq - 1} to ${seq})`
        : `entry number ${seq} is out of sequence (expected ${expectedSeq})`);
    }
    const fields = ['at', 'analyst', 'host', 'app_version', 'action', 'details', 'hash'] as const;
    for (const f of fields) if (typeof raw[f] !== 'string') return broken(`its ${f} is not text`);
    const e = toEntry(raw as Parameters<typeof toEntry>[0]);
    const expected = entryHash(prev, e);
    if (e.hash !== expected) {
      return broken(`it was altered after it was written: its stored hash ${e.hash.slice(0, 16)}… does not match its contents (${expected.slice(0, 16)}…)`);
    }
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries, head: entries ? prev : null };
}
