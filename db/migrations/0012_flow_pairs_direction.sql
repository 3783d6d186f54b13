-- Host graph (issue 9): `flow_pairs` also carries what tells a flow's two directions apart (its
-- originator's address, and for a flow between two ports of one address its originator's port),
-- so a scoped graph reads the map alone per packet instead of the map and the flow row.
-- Derived data: rebuilt with the summary (db/graph-pair-summary.ts) on this writable open.
DROP TABLE flow_pairs;
CREATE TABLE flow_pairs (
  flow_id   INTEGER PRIMARY KEY,       -- flows.id
  pair_row  INTEGER NOT NULL,          -- graph_pairs.rowid
  orig_id   INTEGER NOT NULL,          -- flows.orig_id
  loop_port INTEGER                    -- flows.orig_port when both ends share the address (TCP, UDP, SCTP); else NULL
) STRICT;

DELETE FROM case_meta WHERE key = 'graph_pairs';
