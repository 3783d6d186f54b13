import { setCaseMeta, tsFollowsIds } from './case-meta';
import type { CaseDb } from './case-db';

/**
 * Indexes on `packets` are built after a bulk load rather than maintained row by row:
 * one sort per index is several times cheaper than millions of B-tree inserts.
 * There is deliberately no per-address index: address filters go through `flows`
 * (indexed by originator and responder) and then `packets_by_flow`, which saves two
 * full-table sorts at ingest and a fifth of the case file.
 */
export const PACKET_INDEXES: Array<[name: string, columns: string]> = [
  ['packets_by_flow', 'flow_id'],
];

/**
 * The flow indexes (migration 0002) likewise: flows arrive as they close, not in id order, so
 * indexes kept up while loading end up with pages two-thirds full; built after, they are
 * packed (0.6 MB less per 200k flows) and the load does less work.
 */
export const FLOW_INDEXES: Array<[name: string, columns: string]> = [
  ['flows_by_orig', 'orig_id'],
  ['flows_by_resp', 'resp_id, resp_port'],
];

/**
 * When every packet's time is no earlier than the previous packet's (one capture, or captures added
 * in time order, each written in time order), ids follow time and a time range is an id range,
 * found by binary search over the primary key (packetIdRange in electron/query/time-range.ts):
 * the ts index (17 bytes a packet) is built only for cases where that does not hold.
 * case_meta 'ts_order' records which: 'ids' or 'index'.
 */
export const TS_INDEX: [name: string, columns: string] = ['packets_by_ts', 'ts_ns'];

/**
 * Before a bulk load: a case without packets drops the packet indexes (a migrated-to schema
 * creates them) so the load does not maintain them row by row. Returns whether the packets
 * already in the case, if any, have ids that follow time: the state the load continues from.
 */
export function preparePacketLoad(db: CaseDb): boolean {
  const empty = db.prepare('SELECT 1 FROM packets LIMIT 1').get() === undefined;
  if (empty) {
    for (const [name] of [...PACKET_INDEXES, TS_INDEX, ...FLOW_INDEXES]) db.exec(`DROP INDEX IF EXISTS ${name}`);
    return true;
  }
  return tsFollowsIds(db);
}

/** After a bulk load: `tsFollowsIds` says whether the case's ids follow time, before and during this load. */
export function buildPacketIndexes(db: CaseDb, tsFollowsIds: boolean): void {
  // One sorter thread (SQLite's default, threads = 0). With `threads = 2` each of three sorter tasks
  // fills its own in-memory run of up to cache_size (32 MiB) before it spills: at 5M packets that
  // added 64 MB to the process's peak for a sort that took as long on this 2-core machine.
  db.pragma('threads = 0');
  for (const [name, cols] of PACKET_INDEXES) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON packets(${cols})`);
  for (const [name, cols] of FLOW_INDEXES) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON flows(${cols})`);
  if (!tsFollowsIds) db.exec(`CREATE INDEX IF NOT EXISTS ${TS_INDEX[0]} ON packets(${TS_INDEX[1]})`);
  setCaseMeta(db, 'ts_order', tsFollowsIds ? 'ids' : 'index');
}

/**
 * After migration 0010 rebuilt `packets`: the ts index comes back unless the case records that its
 * ids follow time (a case older than that record gets it, as migration 0006 gave it to every case).
 */
export function restoreTsIndex(db: CaseDb): void {
  if (!tsFollowsIds(db)) db.exec(`CREATE INDEX IF NOT EXISTS ${TS_INDEX[0]} ON packets(${TS_INDEX[1]})`);
}

/** Coarser timeline resolutions are derived from the 1-second rows, for long captures. */
export function rollUpTimeline(db: CaseDb): void {
  db.transaction(() => {
    db.exec('DELETE FROM timeline WHERE resolution > 1');
    for (const res of [60, 3600]) {
      // The width is a constant of ours, inlined: a bound JS number would arrive as REAL and make the division fractional.
      db.exec(`INSERT INTO timeline (resolution, bucket, dim, key, packets, bytes)
        SELECT ${res}, bucket / ${res}, dim, key, sum(packets), sum(bytes) FROM timeline WHERE resolution = 1
        GROUP BY bucket / ${res}, dim, key`);
    }
  })();
}
