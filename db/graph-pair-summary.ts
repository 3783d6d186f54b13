/**
 * The host graph's per-pair summary (`graph_pairs`, migration 0009): traffic per (originator,
 * responder) address pair, service and flow outcome. The whole-case graph reads these few thousand
 * rows instead of grouping every flow (104k flows → 28k rows on the bench's 1M-packet case).
 *
 * It is derived data, rebuilt after each indexing run (electron/ingest/index-captures.ts) and by
 * repair (electron/ingest/case-repair.ts). case_meta 'graph_pairs' records the last packet and flow
 * ids it covers; a reader whose case moved on since (a run still reading) gets the same rows computed
 * from `flows` instead (PAIR_GROUPS_SQL, the one definition of both). Each flow's `pair_row`
 * (migration 0013) names its summary row's `id` (an INTEGER PRIMARY KEY since 0014, which VACUUM
 * keeps), so scoped graphs group by it. A case from before 0014 is rebuilt on its first writable open.
 */
import { getCaseMeta, setCaseMeta } from './case-meta';
import type { CaseDb } from './case-db';

/**
 * A flow's outcome, worst first. ICMP errors quoting the flow win (the DNS outage); a handshake
 * that never completed is half-open (SYN unanswered, or SYN/ACK never ACKed); a reset or refused
 * connection is rejected. Flowless packets (ARP) are 'other'.
 */
export const OUTCOME_SQL = `CASE
  WHEN f.id IS NULL THEN 'other'
  WHEN f.id IN (SELECT orig_flow_id FROM icmp_errors WHERE orig_flow_id IS NOT NULL AND ((icmp_ver = 4 AND type = 3) OR (icmp_ver = 6 AND type = 1))) THEN 'icmp-unreachable'
  WHEN (f.ip_proto = 1 AND f.orig_port = 3) OR (f.ip_proto = 58 AND f.orig_port = 1) THEN 'icmp-unreachable'
  WHEN f.ip_proto = 6 AND f.conn_state IN ('REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH') THEN 'rejected'
  WHEN f.ip_proto = 6 AND f.syn_ts_ns IS NOT NULL AND f.ack_ts_ns IS NULL THEN 'half-open'
  WHEN f.ip_proto = 6 AND f.conn_state = 'OTH' THEN 'other'
  WHEN f.ip_proto = 6 THEN 'completed'
  WHEN f.resp_pkts > 0 THEN 'completed'
  ELSE 'other' END`;

/** The summary's columns, in order; PAIR_GROUPS_SQL yields exactly these. */
export const PAIR_COLUMNS = 'a, b, ip_proto, port, service, outcome, flows, pa, pb, ba, bb, t0, t1';

/** Every flow grouped by pair, service and outcome; `extra` adds columns (the rebuild adds the flows' ids). */
function flowGroupsSql(extra = ''): string {
  return `SELECT f.orig_id AS a, f.resp_id AS b, f.ip_proto, f.resp_port AS port, f.service, ${OUTCOME_SQL} AS outcome,
         count(*) AS flows, sum(f.orig_pkts) AS pa, sum(f.resp_pkts) AS pb, sum(f.orig_bytes) AS ba, sum(f.resp_bytes) AS bb,
         min(min(f.first_ts_ns, f.last_ts_ns)) AS t0, max(max(f.first_ts_ns, f.last_ts_ns)) AS t1${extra}
  FROM flows f GROUP BY f.orig_id, f.resp_id, f.ip_proto, f.resp_port, f.service, outcome`;
}

/** One row per address pair of packets without a flow (ARP and other non-IP frames), on the sender's side. */
const FLOWLESS_SQL = `
  SELECT src_id, dst_id, NULL, NULL, NULL, 'other', 0, count(*), 0, sum(origlen), 0, min(ts_ns), max(ts_ns)
  FROM packets WHERE flow_id IS NULL AND src_id IS NOT NULL AND dst_id IS NOT NULL GROUP BY src_id, dst_id`;

/**
 * Every flow grouped by pair, service and outcome, plus one row per address pair of packets
 * without a flow (ARP and other non-IP frames, counted on the sender's side). A flow's first and
 * last packet times are in arrival order, so a capture whose clock stepped back has last < first:
 * both ends count for the pair's time span.
 */
export const PAIR_GROUPS_SQL = `${flowGroupsSql()} UNION ALL ${FLOWLESS_SQL}`;

const META_KEY = 'graph_pairs';

/** "last packet id:last flow id": what the summary was built from. */
function coverage(db: CaseDb): string {
  const packets = db.prepare('SELECT coalesce(max(id), 0) FROM packets').pluck().get() as number;
  const flows = db.prepare('SELECT coalesce(max(id), 0) FROM flows').pluck().get() as number;
  return `${packets}:${flows}`;
}

/** A temporary table: the summary's flow rows, each with the ids of its flows (a JSON array). */
const GROUPS = 'temp.graph_pair_groups';

/**
 * Rebuild the summary from `flows` and flowless packets, and number each flow with its summary row
 * (`flows.pair_row`, migration 0013); run inside the indexing transaction. The flows are grouped
 * once: each group becomes a summary row with the ids of its flows, which number them.
 * The rows equal PAIR_GROUPS_SQL's (test/integration/graph-summary.test.ts).
 */
export function rebuildGraphPairs(db: CaseDb): void {
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS ${GROUPS}`);
    db.exec('DELETE FROM graph_pairs');
    db.exec(`CREATE TABLE ${GROUPS} AS ${flowGroupsSql(', json_group_array(f.id) AS ids')}`);
    db.exec(`INSERT INTO graph_pairs (rowid, ${PAIR_COLUMNS}) SELECT rowid, ${PAIR_COLUMNS} FROM ${GROUPS}`);
    db.exec(`UPDATE flows SET pair_row = k.r FROM (SELECT g.rowid AS r, j.value AS id FROM ${GROUPS} AS g, json_each(g.ids) AS j) AS k
      WHERE flows.id = k.id`);
    db.exec(`DROP TABLE ${GROUPS}`);
    db.exec(`INSERT INTO graph_pairs (${PAIR_COLUMNS}) ${FLOWLESS_SQL}`);
    setCaseMeta(db, META_KEY, coverage(db));
  })();
}

/**
 * Whether `graph_pairs` describes the case as it is now (two primary-key lookups); when it does,
 * every flow's `pair_row` names its summary row.
 */
export function graphPairsCurrent(db: CaseDb): boolean {
  const built = getCaseMeta(db, META_KEY);
  return built !== undefined && built === coverage(db);
}
