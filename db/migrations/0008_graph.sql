-- Host graph (issue 9): what the analyst arranges and declares about the network, per case.
-- Neither table touches evidence: both describe how the case is looked at.

-- "Home networks": CIDR blocks the analyst counts as internal, beside RFC 1918 / RFC 4193.
CREATE TABLE home_networks (
  cidr     TEXT PRIMARY KEY,             -- canonical text, e.g. 192.0.2.0/24 or 2001:db8::/48
  added_at TEXT NOT NULL
) STRICT;

-- Node positions in the Graph view, so the picture the analyst arranged comes back.
-- `node` is the graph node key: an address, a prefix ("203.0.113.0/24") or a fold key.
CREATE TABLE graph_positions (
  node   TEXT PRIMARY KEY,
  x      REAL NOT NULL,
  y      REAL NOT NULL,
  pinned INTEGER NOT NULL DEFAULT 0
) STRICT;
