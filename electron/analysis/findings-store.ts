/**
 * Findings in the case file: replace them all (a detector run is the only writer) and read them
 * back as the IPC contract's FindingSummary / Finding. Ids are assigned 1..n in severity order
 * on every run, so an unchanged case keeps the same ids.
 */
import type { CaseDb } from '../../db/open-case';
import type { Endpoint } from '../model/endpoint';
import type { EvidenceQuery, Finding, FindingSummary } from '../model/finding';
import type { Severity } from '../model/severity';
import { caseFirstTsNs } from '../../db/case-meta';
import { describeRole } from './evidence-query';
import { compareFindings, DraftFinding } from './finding';
import { IdSet } from './id-set';

export function replaceFindings(db: CaseDb, drafts: DraftFinding[], evidenceCap: number): void {
  const sorted = [...drafts].sort(compareFindings);
  const insFinding = db.prepare(`INSERT INTO findings (id, kind, title, severity, confidence, start_ts_ns, end_ts_ns,
    targets, sources, metrics, explanation, affected, recommendations, mitre, evidence_total, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insEvidence = db.prepare('INSERT INTO finding_evidence (finding_id, packet_id, role) VALUES (?, ?, ?)');
  const insFlow = db.prepare('INSERT OR IGNORE INTO finding_flows (finding_id, flow_id) VALUES (?, ?)');
  const insQuery = db.prepare(`INSERT INTO finding_queries (finding_id, role, filter, from_ts_ns, to_ts_ns, total, exact)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const firstTsNs = caseFirstTsNs(db);
  db.transaction(() => {
    db.exec('DELETE FROM finding_queries; DELETE FROM finding_evidence; DELETE FROM finding_flows; DELETE FROM findings;');
    sorted.forEach((f, i) => {
      const id = i + 1;
      const flowIds = new IdSet();
      let flowTotal = 0;
      for (const flowId of f.flowIds) { flowIds.add(flowId); flowTotal++; }
      insFinding.run(id, f.kind, f.title, f.severity, Math.round(f.confidence * 100) / 100, f.startTsNs, f.endTsNs,
        JSON.stringify(f.targets), JSON.stringify(f.sources), JSON.stringify(f.metrics), f.explanation,
        JSON.stringify(f.affected), JSON.stringify(f.recommendations), JSON.stringify(f.mitre), f.evidence.total,
        JSON.stringify({ ...f.details, flowTotal }));
      for (const e of f.evidence.capped(evidenceCap)) insEvidence.run(id, e.packetId, e.role);
      for (const role of f.evidence.roleNames) {
        const q = describeRole(db, role, f.evidence.idsOf(role), f.evidence.filterOf(role), firstTsNs);
        insQuery.run(id, role, q.filter, q.fromNs, q.toNs, q.total, q.exact ? 1 : 0);
      }
      for (const flowId of flowIds.smallest(evidenceCap)) insFlow.run(id, flowId);
    });
  })();
}

interface FindingRow {
  id: number; kind: string; title: string; severity: string; confidence: number;
  start_ts: string; end_ts: string; targets: string; sources: string; evidence_total: number;
}

interface FindingDetailRow extends FindingRow {
  metrics: string; explanation: string; affected: string; recommendations: string; mitre: string; details: string;
}

const SUMMARY_COLUMNS = `id, kind, title, severity, confidence, CAST(start_ts_ns AS TEXT) AS start_ts,
  CAST(end_ts_ns AS TEXT) AS end_ts, targets, sources, evidence_total`;

/** Severity order for SQL: highest first. */
const SEVERITY_ORDER = `CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END`;

function parseJson<T>(text: string, fallback: T): T {
  try { return JSON.parse(text) as T; } catch { return fallback; }
}

function toSummary(r: FindingRow): FindingSummary {
  return {
    id: r.id, kind: r.kind, title: r.title, severity: r.severity as Severity, confidence: r.confidence,
    startTs: r.start_ts, endTs: r.end_ts,
    targets: parseJson<Endpoint[]>(r.targets, []), sources: parseJson<Endpoint[]>(r.sources, []),
    evidenceTotal: r.evidence_total,
  };
}

export function readFindingSummaries(db: CaseDb): FindingSummary[] {
  const rows = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM findings ORDER BY ${SEVERITY_ORDER}, start_ts_ns, id`).all() as FindingRow[];
  return rows.map(toSummary);
}

/** The full finding, or null when no finding has this id. */
export function readFinding(db: CaseDb, id: number): Finding | null {
  const r = db.prepare(`SELECT ${SUMMARY_COLUMNS}, metrics, explanation, affected, recommendations, mitre, details
    FROM findings WHERE id = ?`).get(id) as FindingDetailRow | undefined;
  if (!r) return null;
  const evidence = db.prepare('SELECT packet_id FROM finding_evidence WHERE finding_id = ? ORDER BY packet_id').pluck().all(id) as number[];
  const flows = db.prepare('SELECT flow_id FROM finding_flows WHERE finding_id = ? ORDER BY flow_id').pluck().all(id) as number[];
  const queries = db.prepare(`SELECT role, filter, CAST(from_ts_ns AS TEXT) AS "from", CAST(to_ts_ns AS TEXT) AS "to", total, exact
    FROM finding_queries WHERE finding_id = ? ORDER BY rowid`).all(id) as Array<Omit<EvidenceQuery, 'exact'> & { exact: number }>;
  return {
    ...toSummary(r),
    metrics: parseJson(r.metrics, {}),
    explanation: r.explanation,
    affected: parseJson(r.affected, []),
    recommendations: parseJson(r.recommendations, []),
    mitre: parseJson(r.mitre, []),
    evidencePacketIds: evidence,
    flowIds: flows,
    evidenceQueries: queries.map((q) => ({ ...q, exact: q.exact === 1 })),
  };
}

/** Detector-specific data (for the report): parsed `details` JSON. */
export function readFindingDetails(db: CaseDb, id: number): Record<string, unknown> {
  const row = db.prepare('SELECT details FROM findings WHERE id = ?').get(id) as { details: string } | undefined;
  return row ? parseJson(row.details, {}) : {};
}
