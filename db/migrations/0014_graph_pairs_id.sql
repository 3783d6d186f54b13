-- Host graph (issue 9): flows.pair_row (0013) names a graph_pairs row by its rowid. A table without
-- an INTEGER PRIMARY KEY may have its rowids renumbered by VACUUM, which open-case.ts runs after
-- 0010; an `id INTEGER PRIMARY KEY` keeps them. Derived data: the table is recreated empty and
-- rebuilt with the flows' numbers on this writable open (db/open-case.ts).
DROP TABLE graph_pairs;
CREATE TABLE graph_pairs (
  id       INTEGER PRIMARY KEY,       -- what flows.pair_row names
  a        INTEGER NOT NULL,          -- addrs.id of the originator (packet source for flowless rows)
  b        INTEGER NOT NULL,          -- addrs.id of the responder
  ip_proto INTEGER,                   -- NULL for flowless packets (ARP and other non-IP frames)
  port     INTEGER,                   -- the responder's port (ICMP: code), as flows.resp_port
  service  TEXT,
  outcome  TEXT    NOT NULL,          -- completed, half-open, rejected, icmp-unreachable, other
  flows    INTEGER NOT NULL,
  pa       INTEGER NOT NULL,          -- packets sent by a
  pb       INTEGER NOT NULL,
  ba       INTEGER NOT NULL,          -- bytes sent by a
  bb       INTEGER NOT NULL,
  t0       INTEGER NOT NULL,          -- first and last packet time, ns
  t1       INTEGER NOT NULL
) STRICT;
DELETE FROM case_meta WHERE key = 'graph_pairs';
