import type { CaseDb } from './open-case';

/**
 * Indexes on `packets` are built after a bulk load rather than maintained row by row:
 * one sort per index is several times cheaper than millions of B-tree inserts.
 * There is deliberately no per-address index: address filters go through `flows`
 * (indexed by originator and responder) and then `packets_by_flow`, which saves two
 * full-table sorts at ingest and a fifth of the case file.
 */
export const PACKET_INDEXES: Array<[name: string, columns: string]> = [
  ['packets_by_ts', 'ts_ns'],
  ['packets_by_flow', 'flow_id'],
];

export function buildPacketIndexes(db: CaseDb): void {
  db.pragma('threads = 2'); // let SQLite's sorter use the second core
  for (const [name, cols] of PACKET_INDEXES) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON packets(${cols})`);
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
