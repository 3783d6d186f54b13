/**
 * Crash repair. A run interrupted while reading left partial rows (packets, flows, protocol
 * tables, timeline counts, its capture rows): they are removed, so a re-import or an --append
 * never counts them twice, and the custody log records the removal. A run interrupted while
 * indexing or analysing left every packet in place: repair finishes its work instead.
 */
import { deleteCaseMeta, setCaseMeta } from '../../db/case-meta';
import type { CaseDb } from '../../db/open-case';
import { buildPacketIndexes, rollUpTimeline } from '../../db/bulk-indexes';
import { appendCustody } from '../../db/custody';
import { graphPairsCurrent, rebuildGraphPairs } from '../../db/graph-pair-summary';
import { findInterruption, lastRun, runIsLive, setRunPhase, type Interruption } from '../../db/ingest-runs';
import type { FindingSummary } from '../model/finding';

export class CaseStateError extends Error {
  override name = 'CaseStateError';
}

/** The per-second timeline counts the removed packets contributed (same keys as TimelineAccumulator). */
const SUBTRACT_TIMELINE = `
  WITH gone AS (SELECT p.ts_ns / 1000000000 AS bucket, r.name AS proto, p.ip_proto, p.tcp_flags, p.origlen
    FROM packets p JOIN protocols r ON r.id = p.proto_id WHERE p.id >= :first),
  delta AS (
    SELECT bucket, 'proto' AS dim, proto AS key, count(*) AS p, sum(origlen) AS b FROM gone GROUP BY bucket, proto
    UNION ALL
    SELECT bucket, 'tcp', CASE WHEN ip_proto IS NOT 6 THEN 'non-tcp' WHEN tcp_flags & 4 THEN 'rst'
      WHEN tcp_flags & 2 THEN (CASE WHEN tcp_flags & 16 THEN 'synack' ELSE 'syn' END) WHEN tcp_flags & 1 THEN 'fin' ELSE 'other' END AS k,
      count(*), sum(origlen) FROM gone GROUP BY bucket, k)
  UPDATE timeline SET packets = timeline.packets - delta.p, bytes = timeline.bytes - delta.b
  FROM delta WHERE timeline.resolution = 1 AND timeline.dim = delta.dim AND timeline.bucket = delta.bucket AND timeline.key = delta.key`;

function refreshCaseMeta(db: CaseDb): void {
  const first = db.prepare('SELECT CAST(min(first_ts_ns) AS TEXT) FROM captures').pluck().get() as string | null;
  if (first === null) deleteCaseMeta(db, 'first_ts_ns');
  else setCaseMeta(db, 'first_ts_ns', first);
  const bad = db.prepare("SELECT count(*) FROM captures WHERE status != 'complete'").pluck().get() as number;
  setCaseMeta(db, 'status', bad ? 'incomplete' : 'complete');
}

/** Remove the rows of a run interrupted while reading; null when there is none. */
export function removeInterruptedRun(db: CaseDb): Interruption | null {
  const interrupted = findInterruption(db);
  if (!interrupted || interrupted.phase !== 'reading') return null;
  const run = lastRun(db)!;
  const ids = JSON.stringify(run.captureIds);
  db.transaction(() => {
    const first = run.firstPacketId;
    db.prepare(SUBTRACT_TIMELINE).run({ first });
    db.prepare('DELETE FROM timeline WHERE resolution = 1 AND packets <= 0').run();
    for (const table of ['dns_messages', 'http_rows', 'tls_hellos', 'icmp_errors', 'arp_messages', 'packet_info']) {
      db.prepare(`DELETE FROM ${table} WHERE packet_id >= ?`).run(first);
    }
    db.prepare('DELETE FROM dns_tx_rows WHERE query_packet_id >= ? OR response_packet_id >= ?').run(first, first);
    const removedPackets = db.prepare('DELETE FROM packets WHERE id >= ?').run(first).changes;
    db.prepare('DELETE FROM flows WHERE id >= ?').run(run.firstFlowId);
    for (const table of ['capture_comments', 'interfaces', 'read_errors', 'captures']) {
      db.prepare(`DELETE FROM ${table} WHERE ${table === 'captures' ? 'id' : 'capture_id'} IN (SELECT value FROM json_each(?))`).run(ids);
    }
    db.prepare("UPDATE ingest_runs SET phase = 'failed' WHERE id = ?").run(run.id);
    rollUpTimeline(db);
    rebuildGraphPairs(db);
    refreshCaseMeta(db);
    appendCustody(db, 'capture.removed', {
      reason: 'indexing was interrupted while reading; its partial rows were removed so nothing is counted twice',
      captures: interrupted.captures, packetsRemoved: removedPackets,
    });
  }).immediate();
  return interrupted;
}

/** After a run completes with detectors over the whole case, earlier runs stopped after reading are complete too. */
export function completeEarlierRuns(db: CaseDb): void {
  db.prepare("UPDATE ingest_runs SET phase = 'complete' WHERE phase IN ('indexing', 'analysing')").run();
  db.prepare("UPDATE captures SET phase = 'complete' WHERE phase IN ('indexing', 'analysing')").run();
}

/** Whether packet times never go backwards in id order, read from the packets themselves (then no ts index is needed; see db/bulk-indexes.ts). */
function packetTimesFollowIds(db: CaseDb): boolean {
  const back = db.prepare('SELECT 1 FROM (SELECT ts_ns < lag(ts_ns) OVER (ORDER BY id) AS back FROM packets) WHERE back LIMIT 1').get();
  return back === undefined;
}

function refuseWhileRunning(db: CaseDb, what: string): void {
  const run = lastRun(db);
  if (run && run.phase !== 'complete' && run.phase !== 'failed' && runIsLive(run)) {
    throw new CaseStateError(`cannot ${what}: the case is being indexed by process ${run.pid} (${run.phase}); wait for it to finish`);
  }
}

/**
 * Re-run the analysis (the caller passes the detector run, analysis/run-detectors.ts) over the
 * case; findings, phase and custody entry commit together.
 */
export async function analyseCase(db: CaseDb, analyse: (db: CaseDb) => FindingSummary[], reason = 'requested'): Promise<FindingSummary[]> {
  refuseWhileRunning(db, 'analyse');
  let findings: FindingSummary[] = [];
  db.transaction(() => {
    findings = analyse(db);
    if (!graphPairsCurrent(db)) rebuildGraphPairs(db);
    completeEarlierRuns(db);
    refreshCaseMeta(db);
    appendCustody(db, 'case.analysed', { reason, findings: findings.length });
  }).immediate();
  return findings;
}

export interface RepairOutcome {
  interrupted: Interruption | null;
  removed: boolean;
  findings: FindingSummary[] | null;
}

/** `flowcase repair`: undo a run interrupted while reading, or finish one interrupted later. */
export async function repairCase(db: CaseDb, analyse: (db: CaseDb) => FindingSummary[]): Promise<RepairOutcome> {
  refuseWhileRunning(db, 'repair');
  const interrupted = findInterruption(db);
  if (!interrupted) {
    // Nothing to finish; a case made before the graph summary (migration 0009) gets it here.
    if (!graphPairsCurrent(db)) rebuildGraphPairs(db);
    return { interrupted: null, removed: false, findings: null };
  }
  if (interrupted.phase === 'reading') {
    removeInterruptedRun(db);
    return { interrupted, removed: true, findings: null };
  }
  if (interrupted.phase === 'indexing') {
    db.transaction(() => {
      buildPacketIndexes(db, packetTimesFollowIds(db));
      rollUpTimeline(db);
      rebuildGraphPairs(db);
      db.prepare("UPDATE captures SET status = 'incomplete' WHERE status = 'indexing'").run();
      setRunPhase(db, interrupted.runId, 'analysing');
    })();
  }
  const findings = await analyseCase(db, analyse, `repair: the run was interrupted while ${interrupted.phase}`);
  return { interrupted, removed: false, findings };
}
