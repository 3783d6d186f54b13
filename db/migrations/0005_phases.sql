-- Flowcase case file, schema 5: crash truth. Each capture and each ingest run record the phase
-- they are in, changed in the same transaction as the work of that phase, so a case found after
-- a crash (kill -9, power loss, disk full) says what was interrupted and what is missing.
--   reading   → packets are being written (the run's rows are partial: `flowcase repair` removes them)
--   indexing  → all packets are in; packet indexes and the timeline roll-up are being built
--   analysing → indexes are in; the detectors are running
--   complete  → done          failed → nothing could be read (or the run stopped with an error)

-- Captures indexed before this schema finished their work (or said otherwise in `status`).
ALTER TABLE captures ADD COLUMN phase TEXT NOT NULL DEFAULT 'complete';

-- One row per `index` / import run: where its rows start, so an interrupted run can be undone.
CREATE TABLE ingest_runs (
  id              INTEGER PRIMARY KEY,
  started_at      TEXT    NOT NULL,
  phase           TEXT    NOT NULL,   -- reading | indexing | analysing | complete | failed
  pid             INTEGER NOT NULL,   -- the writing process, to tell "running" from "interrupted"
  host            TEXT    NOT NULL,
  first_packet_id INTEGER NOT NULL,
  first_flow_id   INTEGER NOT NULL,
  capture_ids     TEXT    NOT NULL    -- JSON array of captures.id
) STRICT;
