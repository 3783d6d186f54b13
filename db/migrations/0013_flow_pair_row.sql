-- Host graph (issue 9): the graph_pairs row each flow counts in moves into the flow row
-- (flows.pair_row), replacing the `flow_pairs` map of 0011-0012: a map table cost 3.2 MB on the
-- 1M-packet small bench case (211k flows), where the column costs about 0.5 MB, and a scoped graph
-- reads the flow row per packet anyway to tell the flow's directions apart.
-- Derived data, written with the summary (db/graph-pair-summary.ts) and trusted only while the
-- summary's coverage record matches the case; rebuilt on this writable open (db/open-case.ts).
DROP TABLE flow_pairs;
ALTER TABLE flows ADD COLUMN pair_row INTEGER;
DELETE FROM case_meta WHERE key = 'graph_pairs';
