-- Host graph (issue 9): traffic per (originator, responder) address pair, split by service and
-- flow outcome, so the whole-case graph reads a few thousand rows instead of every flow.
-- Derived data only (rebuilt from `flows`, `icmp_errors` and flowless packets by
-- db/graph-pair-summary.ts after each indexing run and by repair); case_meta 'graph_pairs'
-- records the packet and flow ids it covers, and readers fall back to `flows` when it is stale.
CREATE TABLE graph_pairs (
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
