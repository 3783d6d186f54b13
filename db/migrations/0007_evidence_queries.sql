-- Each finding's evidence, role by role, as a display filter plus a time window that reproduces
-- the role's full packet set (finding_evidence keeps only a capped sample, for reports).
-- `exact` = 1 when the query was checked, at analysis time, to match exactly the role's packets;
-- a role whose set could not be described (exact = 0) falls back to its cited sample.
CREATE TABLE finding_queries (
  finding_id  INTEGER NOT NULL,
  role        TEXT    NOT NULL,
  filter      TEXT    NOT NULL,
  from_ts_ns  INTEGER NOT NULL,
  to_ts_ns    INTEGER NOT NULL,
  total       INTEGER NOT NULL,   -- packets in this role (the detector's count)
  exact       INTEGER NOT NULL,
  PRIMARY KEY (finding_id, role)
) STRICT;  -- rowid order = the roles' priority order
