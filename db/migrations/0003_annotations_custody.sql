-- Flowcase case file, schema 3: analyst annotations and the chain-of-custody log.

-- The append-only custody log. hash = SHA-256(previous entry's hash ‖ canonical entry), see
-- db/custody.ts for the canonical form; the first entry chains from 64 zeros. The triggers below
-- refuse UPDATE and DELETE; anything done around them (a dropped trigger, an edited file) breaks
-- the hash chain, which `flowcase verify` reports with the first broken entry.
CREATE TABLE custody (
  seq         INTEGER PRIMARY KEY,   -- entry number, 1, 2, 3 … without gaps
  at          TEXT    NOT NULL,      -- UTC, ISO 8601 with milliseconds
  analyst     TEXT    NOT NULL,
  host        TEXT    NOT NULL,      -- host name of the machine that wrote the entry
  app_version TEXT    NOT NULL,      -- Flowcase version that wrote the entry
  action      TEXT    NOT NULL,      -- case.created, capture.imported, annotation.added, export.pcapng, …
  details     TEXT    NOT NULL,      -- canonical JSON (sorted keys, no spaces)
  hash        TEXT    NOT NULL       -- lower-case hex SHA-256
) STRICT;

CREATE TRIGGER custody_append_only_update BEFORE UPDATE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only: entries cannot be changed'); END;
CREATE TRIGGER custody_append_only_delete BEFORE DELETE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only: entries cannot be deleted'); END;

-- Annotations: one row per annotation holding its latest version; every version (including the
-- tombstone of a delete and its recovery) is kept in annotation_versions.
-- The target is a kind plus a reference that stays valid across reopening the case:
--   packet → packet id, flow → flow id, host → address text, range → 'start_ns..end_ns',
--   finding → finding id, case → ''.
CREATE TABLE annotations_v3 (
  id                 INTEGER PRIMARY KEY,
  target_kind        TEXT    NOT NULL CHECK (target_kind IN ('packet', 'flow', 'host', 'range', 'finding', 'case')),
  target_ref         TEXT    NOT NULL,
  packet_id          INTEGER,            -- set for packet targets (filters, list markers)
  flow_id            INTEGER,            -- set for flow targets
  finding_id         INTEGER,            -- set for finding targets
  host_addr          TEXT,               -- set for host targets
  range_start_ns     INTEGER,            -- set for range targets
  range_end_ns       INTEGER,
  text               TEXT    NOT NULL,   -- plain text / Markdown, shown as text
  tags               TEXT    NOT NULL DEFAULT '[]', -- JSON array of tag names
  author             TEXT    NOT NULL,
  source             TEXT    NOT NULL DEFAULT 'analyst' CHECK (source IN ('analyst', 'capture-comment')),
  capture_comment_id INTEGER UNIQUE,     -- capture_comments.id for source 'capture-comment'
  supersedes_id      INTEGER,            -- an annotation (e.g. a capture comment) this one supersedes
  include_in_report  INTEGER NOT NULL DEFAULT 0,
  version            INTEGER NOT NULL DEFAULT 1,
  deleted            INTEGER NOT NULL DEFAULT 0, -- 1: tombstoned (recoverable)
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL
) STRICT;

-- Schema 1 defined `annotations` but nothing wrote analyst notes into it; carry any rows over.
INSERT INTO annotations_v3 (id, target_kind, target_ref, packet_id, finding_id, text, tags, author, source, created_at, updated_at)
SELECT id,
       CASE WHEN packet_id IS NOT NULL THEN 'packet' WHEN finding_id IS NOT NULL THEN 'finding' ELSE 'case' END,
       coalesce(CAST(packet_id AS TEXT), CAST(finding_id AS TEXT), ''),
       packet_id, CASE WHEN packet_id IS NULL THEN finding_id END, text, tags, author,
       CASE WHEN source = 'analyst' THEN 'analyst' ELSE 'capture-comment' END, created_at, updated_at
FROM annotations;
DROP INDEX IF EXISTS annotations_by_packet;
DROP TABLE annotations;
ALTER TABLE annotations_v3 RENAME TO annotations;
CREATE INDEX annotations_by_packet ON annotations(packet_id) WHERE packet_id IS NOT NULL;
CREATE INDEX annotations_by_target ON annotations(target_kind, target_ref);

CREATE TABLE annotation_versions (
  annotation_id     INTEGER NOT NULL,
  version           INTEGER NOT NULL,
  text              TEXT    NOT NULL,
  tags              TEXT    NOT NULL,
  include_in_report INTEGER NOT NULL,
  deleted           INTEGER NOT NULL,
  author            TEXT    NOT NULL,   -- who wrote this version
  at                TEXT    NOT NULL,
  PRIMARY KEY (annotation_id, version)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER annotation_versions_append_only_update BEFORE UPDATE ON annotation_versions
BEGIN SELECT RAISE(ABORT, 'annotation history is append-only'); END;
CREATE TRIGGER annotation_versions_append_only_delete BEFORE DELETE ON annotation_versions
BEGIN SELECT RAISE(ABORT, 'annotation history is append-only'); END;

INSERT INTO annotation_versions (annotation_id, version, text, tags, include_in_report, deleted, author, at)
SELECT id, 1, text, tags, include_in_report, deleted, author, created_at FROM annotations;

-- pcapng comments already indexed become annotations with source 'capture-comment' (the same
-- statement runs after every import: db/annotations.ts adoptCaptureComments).
INSERT INTO annotations (target_kind, target_ref, packet_id, text, author, source, capture_comment_id, created_at, updated_at)
SELECT CASE WHEN c.scope = 'packet' AND c.packet_id IS NOT NULL THEN 'packet' ELSE 'case' END,
       CASE WHEN c.scope = 'packet' AND c.packet_id IS NOT NULL THEN CAST(c.packet_id AS TEXT) ELSE '' END,
       CASE WHEN c.scope = 'packet' THEN c.packet_id END,
       c.text, 'capture file ' || cap.name, 'capture-comment', c.id, cap.imported_at, cap.imported_at
FROM capture_comments c JOIN captures cap ON cap.id = c.capture_id
WHERE c.id NOT IN (SELECT capture_comment_id FROM annotations WHERE capture_comment_id IS NOT NULL)
ORDER BY c.id;
INSERT INTO annotation_versions (annotation_id, version, text, tags, include_in_report, deleted, author, at)
SELECT id, 1, text, tags, include_in_report, deleted, author, created_at FROM annotations
WHERE source = 'capture-comment' AND id NOT IN (SELECT annotation_id FROM annotation_versions);

-- What the display filter sees of a packet's annotations (annotation.*, frame.comment): the
-- live (not deleted) annotations whose target is that packet.
CREATE VIEW packet_annotation_notes AS
  SELECT packet_id, text, author FROM annotations WHERE target_kind = 'packet' AND deleted = 0;
CREATE VIEW packet_annotation_tags AS
  SELECT a.packet_id AS packet_id, t.value AS tag
  FROM annotations a, json_each(a.tags) t WHERE a.target_kind = 'packet' AND a.deleted = 0;
