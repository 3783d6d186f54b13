/**
 * The case overview: captures (with a live integrity check of each source file), the time span,
 * counts, top talkers and a findings summary. Packet bytes are never copied into the case, so
 * the integrity check is what tells an analyst that detail views can still show real bytes.
 */
import fs from 'node:fs';
import type { CaseDb } from '../../db/open-case';
import type { CaptureInfo } from '../model/capture';
import type { FindingSummary } from '../model/finding';
import type { CaseOverview, Talker } from '../model/overview';
import type { Severity } from '../model/severity';
import { listFindings } from './findings';
import { caseLinkId } from './case-link-id';
import { findInterruption, lastRun, toPhase } from '../../db/ingest-runs';
import { sha256FileSync } from '../capture/file-hasher';

export interface CaptureDbRow {
  id: number; path: string; name: string; size: number; mtime_ms: number; sha256: string; format: string;
  compressed: number; link_types: string; first_ts: string | null; last_ts: string | null;
  packet_count: number; byte_count: number; status: string; phase: string;
}

export const CAPTURE_COLUMNS = `id, path, name, size, mtime_ms, sha256, format, compressed, link_types,
  CAST(first_ts_ns AS TEXT) AS first_ts, CAST(last_ts_ns AS TEXT) AS last_ts, packet_count, byte_count, status, phase`;

export interface Integrity {
  integrity: CaptureInfo['integrity'];
  detail?: string;
}

// Hashing a multi-GB capture is slow: remember the answer for a given (path, size, mtime).
const hashCache = new Map<string, string>();

/**
 * Is the source file still the one that was indexed? Size and mtime are compared first; the
 * file is hashed only when the size matches but the mtime moved (a copy or a `touch`).
 */
export function captureIntegrity(row: Pick<CaptureDbRow, 'path' | 'size' | 'mtime_ms' | 'sha256'>): Integrity {
  let st: fs.Stats;
  try {
    st = fs.statSync(row.path);
  } catch {
    return { integrity: 'missing', detail: `capture missing — relocate it: ${row.path} was not found. The indexed packets are intact; only the packet bytes need the file.` };
  }
  if (!st.isFile()) {
    return { integrity: 'missing', detail: `capture missing — relocate it: ${row.path} is not a regular file.` };
  }
  if (st.size !== row.size) {
    return { integrity: 'changed', detail: `capture changed — relocate it to the original file: ${row.path} is now ${st.size} bytes, but it was ${row.size} bytes when indexed.` };
  }
  if (Math.abs(Math.floor(st.mtimeMs) - row.mtime_ms) <= 1) return { integrity: 'ok' };
  const key = `${row.path}\0${st.size}\0${st.mtimeMs}`;
  let digest = hashCache.get(key);
  if (!digest) {
    try {
      digest = sha256FileSync(row.path);
    } catch (err) {
      return { integrity: 'missing', detail: `capture unreadable — ${row.path}: ${(err as Error).message}` };
    }
    hashCache.set(key, digest);
  }
  if (digest !== row.sha256) {
    return { integrity: 'changed', detail: `capture changed — relocate it to the original file: the SHA-256 of ${row.path} (${digest.slice(0, 12)}…) differs from the one recorded at import (${row.sha256.slice(0, 12)}…).` };
  }
  return { integrity: 'ok', detail: 'modification time changed since import; content verified by SHA-256' };
}

function parseLinkTypes(text: string): number[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

function toStatus(s: string): CaptureInfo['status'] {
  return s === 'complete' || s === 'incomplete' || s === 'failed' ? s : 'indexing';
}

export function toCaptureInfo(db: CaseDb, row: CaptureDbRow): CaptureInfo {
  const errors = db.prepare('SELECT offset, message, fatal FROM read_errors WHERE capture_id = ? ORDER BY offset LIMIT 100')
    .all(row.id) as Array<{ offset: number; message: string; fatal: number }>;
  const check = captureIntegrity(row);
  const info: CaptureInfo = {
    id: row.id,
    path: row.path,
    name: row.name,
    size: row.size,
    sha256: row.sha256,
    format: row.format,
    compressed: row.compressed === 1,
    linkTypes: parseLinkTypes(row.link_types),
    firstTs: row.first_ts,
    lastTs: row.last_ts,
    packetCount: row.packet_count,
    byteCount: row.byte_count,
    status: toStatus(row.status),
    phase: toPhase(row.phase),
    integrity: check.integrity,
    readErrors: errors.map((e) => ({ offset: e.offset, message: e.message, fatal: e.fatal === 1 })),
  };
  if (check.detail) info.integrityDetail = check.detail;
  return info;
}

export function captureRow(db: CaseDb, id: number): CaptureDbRow | undefined {
  return db.prepare(`SELECT ${CAPTURE_COLUMNS} FROM captures WHERE id = ?`).get(id) as CaptureDbRow | undefined;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Most severe first; within a severity, the finding with more evidence first. */
export function orderFindings(findings: FindingSummary[]): FindingSummary[] {
  return [...findings].sort((a, b) =>
    (SEVERITY_RANK[b.severity] ?? -1) - (SEVERITY_RANK[a.severity] ?? -1)
    || b.confidence - a.confidence
    || b.evidenceTotal - a.evidenceTotal
    || a.id - b.id);
}

function topTalkers(db: CaseDb, limit: number): Talker[] {
  const rows = db.prepare(`
    SELECT a.addr, h.pkts_sent + h.pkts_recv AS packets, h.bytes_sent + h.bytes_recv AS bytes,
           (SELECT json_group_array(name) FROM (SELECT DISTINCT name FROM host_names n WHERE n.addr_id = h.addr_id ORDER BY name)) AS names
    FROM hosts h JOIN addrs a ON a.id = h.addr_id
    ORDER BY bytes DESC, packets DESC, a.addr
    LIMIT ?`).all(limit) as Array<{ addr: string; packets: number; bytes: number; names: string | null }>;
  return rows.map((r) => ({ addr: r.addr, packets: r.packets, bytes: r.bytes, names: r.names ? (JSON.parse(r.names) as string[]) : [] }));
}

function minNs(values: Array<string | null>): string | null {
  let best: bigint | null = null;
  for (const v of values) if (v !== null && (best === null || BigInt(v) < best)) best = BigInt(v);
  return best === null ? null : best.toString();
}

function maxNs(values: Array<string | null>): string | null {
  let best: bigint | null = null;
  for (const v of values) if (v !== null && (best === null || BigInt(v) > best)) best = BigInt(v);
  return best === null ? null : best.toString();
}

export function caseOverview(db: CaseDb, casePath: string): CaseOverview {
  const rows = db.prepare(`SELECT ${CAPTURE_COLUMNS} FROM captures ORDER BY id`).all() as CaptureDbRow[];
  const captures = rows.map((r) => toCaptureInfo(db, r));
  const interruption = findInterruption(db);
  // A capture left 'indexing' by a run that no longer exists is incomplete, not in progress.
  if (interruption) for (const c of captures) if (c.status === 'indexing') c.status = 'incomplete';
  const indexing = captures.some((c) => c.status === 'indexing');
  const run = lastRun(db);
  // The captures rows say 'complete' as soon as they are read, while the same run (in the ingest
  // worker) still builds indexes and runs the detectors: the case is complete only when the run is.
  const running = interruption ? null : run?.phase === 'reading' || run?.phase === 'indexing' || run?.phase === 'analysing' ? run.phase : null;
  const status: CaseOverview['status'] = captures.length === 0 ? 'empty'
    : interruption ? 'incomplete'
    : indexing || running === 'reading' || running === 'indexing' ? 'indexing'
    : running === 'analysing' ? 'analysing'
      : captures.some((c) => c.status !== 'complete') ? 'incomplete' : 'complete';

  let packetCount = captures.reduce((n, c) => n + c.packetCount, 0);
  let byteCount = captures.reduce((n, c) => n + c.byteCount, 0);
  let firstTs = minNs(captures.map((c) => c.firstTs));
  let lastTs = maxNs(captures.map((c) => c.lastTs));
  if (indexing || interruption?.phase === 'reading') {
    // The captures row is finalised at the end of a load; while it runs, count what is readable.
    const live = db.prepare('SELECT count(*) AS n, coalesce(sum(origlen), 0) AS b, CAST(min(ts_ns) AS TEXT) AS f, CAST(max(ts_ns) AS TEXT) AS l FROM packets')
      .get() as { n: number; b: number; f: string | null; l: string | null };
    packetCount = live.n;
    byteCount = live.b;
    firstTs = live.f;
    lastTs = live.l;
  }
  const count = (table: 'flows' | 'hosts') => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    casePath,
    caseId: caseLinkId(db),
    status,
    phase: interruption?.phase ?? run?.phase ?? 'complete',
    ...(interruption ? { interrupted: { phase: interruption.phase, missing: interruption.missing, captures: interruption.captures } } : {}),
    captures,
    firstTs,
    lastTs,
    packetCount,
    byteCount,
    flowCount: count('flows'),
    hostCount: count('hosts'),
    topTalkers: topTalkers(db, 10),
    findings: orderFindings(listFindings(db)),
  };
}

/** What the overview says before any case is open. */
export function emptyOverview(casePath = ''): CaseOverview {
  return { casePath, status: 'empty', captures: [], firstTs: null, lastTs: null, packetCount: 0, byteCount: 0, flowCount: 0, hostCount: 0, topTalkers: [], findings: [] };
}
