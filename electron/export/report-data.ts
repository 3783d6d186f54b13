/**
 * Everything the report reads from the case: facts about the captures, the findings with their
 * details, evidence role counts and the excerpt of cited packets. Every number the report prints
 * comes through here, straight from SQL.
 */
import path from 'node:path';
import { INFO_SOURCE_COLUMNS, withInfo, type InfoSourceRow } from '../query/packet-info';
import type { CaseDb } from '../../db/open-case';
import type { Finding } from '../model/finding';
import { caseFirstTsNs } from '../../db/case-meta';
import { readFinding, readFindingDetails, readFindingSummaries } from '../analysis/findings-store';

export interface CaptureFacts {
  name: string; sha256: string; packets: number; bytes: number; format: string; status: string;
  firstNs: bigint | null; lastNs: bigint | null;
}

export interface CaseFacts {
  caseName: string;
  baseNs: bigint;
  packets: number;
  firstNs: bigint | null;
  lastNs: bigint | null;
  captures: CaptureFacts[];
}

export interface ReportFinding extends Finding {
  details: Record<string, unknown>;
  /** Stored evidence rows per role (capped), in role priority as the detector ordered them. */
  roles: Array<{ role: string; count: number }>;
}

export interface PacketLine { id: number; rel: number; src: string; dst: string; proto: string; info: string; role: string }

export function readCaseFacts(db: CaseDb): CaseFacts {
  const totals = db.prepare('SELECT count(*) AS n, CAST(min(ts_ns) AS TEXT) AS first, CAST(max(ts_ns) AS TEXT) AS last FROM packets')
    .get() as { n: number; first: string | null; last: string | null };
  const captures = (db.prepare(`SELECT name, sha256, packet_count AS packets, byte_count AS bytes, format, status,
      CAST(first_ts_ns AS TEXT) AS first, CAST(last_ts_ns AS TEXT) AS last FROM captures ORDER BY id`).all() as Array<{
      name: string; sha256: string; packets: number; bytes: number; format: string; status: string; first: string | null; last: string | null }>)
    .map((c) => ({ ...c, firstNs: c.first ? BigInt(c.first) : null, lastNs: c.last ? BigInt(c.last) : null }));
  return {
    caseName: path.basename(db.name),
    baseNs: caseFirstTsNs(db),
    packets: totals.n,
    firstNs: totals.first ? BigInt(totals.first) : null,
    lastNs: totals.last ? BigInt(totals.last) : null,
    captures,
  };
}

export function readReportFindings(db: CaseDb): ReportFinding[] {
  const roleStmt = db.prepare('SELECT role, count(*) AS count, min(packet_id) AS first FROM finding_evidence WHERE finding_id = ? GROUP BY role ORDER BY first');
  return readFindingSummaries(db).map((s) => {
    const f = readFinding(db, s.id)!;
    const roles = (roleStmt.all(s.id) as Array<{ role: string; count: number }>).map(({ role, count }) => ({ role, count }));
    return { ...f, details: readFindingDetails(db, s.id), roles };
  });
}

/**
 * A readable excerpt of a finding's evidence: per role the first `perRole` packets and the last
 * one, in packet order, so the table shows how each kind of proof starts and ends.
 */
export function evidenceExcerpt(db: CaseDb, findingId: number, baseNs: bigint, perRole: number): PacketLine[] {
  const picked = new Map<number, string>();
  const byRole = new Map<string, number[]>();
  for (const r of db.prepare('SELECT packet_id AS id, role FROM finding_evidence WHERE finding_id = ? ORDER BY packet_id').all(findingId) as Array<{ id: number; role: string }>) {
    (byRole.get(r.role) ?? byRole.set(r.role, []).get(r.role)!).push(r.id);
  }
  for (const [role, ids] of byRole) {
    for (const id of ids.slice(0, perRole)) picked.set(id, role);
    if (ids.length > perRole) picked.set(ids[ids.length - 1], role);
  }
  if (picked.size === 0) return [];
  const stmt = db.prepare(`SELECT p.id, p.ts_ns - ? AS rel, coalesce(s.addr, '') AS src, coalesce(d.addr, '') AS dst,
      (SELECT r.name FROM protocols r WHERE r.id = p.proto_id) AS proto, ${INFO_SOURCE_COLUMNS}, p.origlen
    FROM packets p LEFT JOIN addrs s ON s.id = p.src_id LEFT JOIN addrs d ON d.id = p.dst_id WHERE p.id = ?`);
  const rows = [...picked.keys()].sort((a, b) => a - b)
    .map((id) => stmt.get(baseNs, id) as (Omit<PacketLine, 'role' | 'info'> & InfoSourceRow) | undefined)
    .filter((x): x is Omit<PacketLine, 'role' | 'info'> & InfoSourceRow => !!x);
  return withInfo(db, rows).map(({ id, rel, src, dst, proto, info }) => ({ id, rel, src, dst, proto, info, role: picked.get(id)! }));
}

/** DNS transaction outcomes with one server (for the unreachable-service report). */
export function dnsOutcomes(db: CaseDb, serverAddr: string): Record<string, number> {
  const rows = db.prepare(`SELECT t.status, count(*) AS n FROM dns_transactions t JOIN addrs a ON a.id = t.server_id
    WHERE a.addr = ? GROUP BY t.status`).all(serverAddr) as Array<{ status: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Other DNS servers the given clients used, with answered/total counts (a fallback shows up here). */
export function otherResolvers(db: CaseDb, clients: string[], exclude: string): Array<{ server: string; answered: number; total: number }> {
  if (clients.length === 0) return [];
  const marks = clients.map(() => '?').join(', ');
  return db.prepare(`SELECT s.addr AS server, sum(t.status = 'answered') AS answered, count(*) AS total
    FROM dns_transactions t JOIN addrs s ON s.id = t.server_id JOIN addrs c ON c.id = t.client_id
    WHERE c.addr IN (${marks}) AND s.addr != ? GROUP BY s.addr ORDER BY s.addr`).all(...clients, exclude) as Array<{ server: string; answered: number; total: number }>;
}
