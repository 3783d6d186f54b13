-- Host graph (issue 9): the `graph_pairs` row each flow is counted in, so a graph scoped by a
-- packet filter groups the selected packets by one integer instead of by originator, responder,
-- protocol, port, service and outcome worked out again per packet.
-- Derived data, written with the summary (db/graph-pair-summary.ts) in the same transaction and
-- trusted only while the summary's coverage record matches the case. A table of its own rather
-- than a column of `flows`: written in one append, not by rewriting every flow row.
CREATE TABLE flow_pairs (
  flow_id  INTEGER PRIMARY KEY,        -- flows.id
  pair_row INTEGER NOT NULL            -- graph_pairs.rowid
) STRICT;

-- Summaries written before this table have no flow map: mark them stale, so readers use `flows`
-- until the summary is rebuilt (on this writable open, see db/open-case.ts).
DELETE FROM case_meta WHERE key = 'graph_pairs';
