-- Flowcase case file, schema 4: the report as a document stored in the case.
-- Every save is a new version holding a full copy of its sections (a report is a few dozen KB),
-- so versions are immutable rows and any two can be diffed. Finalising a version freezes it: its
-- resolved Markdown is hashed (content_sha256) and the triggers refuse any later change.
CREATE TABLE report_documents (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  kind        TEXT    NOT NULL,            -- attack | unreachable | none: the structure it was drafted in
  created_at  TEXT    NOT NULL
) STRICT;

CREATE TABLE report_versions (
  id              INTEGER PRIMARY KEY,
  document_id     INTEGER NOT NULL REFERENCES report_documents(id),
  number          INTEGER NOT NULL,       -- 1, 2, 3 … per document
  title           TEXT    NOT NULL,
  author          TEXT    NOT NULL,
  note            TEXT    NOT NULL DEFAULT '',
  created_at      TEXT    NOT NULL,
  finalised_at    TEXT,                   -- set once, by Finalise
  finalised_by    TEXT,
  frozen_markdown TEXT,                   -- the report as finalised, linked numbers resolved
  frozen_sections TEXT,                   -- the same, per section: JSON [{key, title, level, markdown}]
  content_sha256  TEXT,                   -- SHA-256 of frozen_markdown (UTF-8)
  UNIQUE (document_id, number)
) STRICT;

CREATE TABLE report_sections (
  version_id  INTEGER NOT NULL REFERENCES report_versions(id),
  position    INTEGER NOT NULL,
  key         TEXT    NOT NULL,           -- stable id across versions (generated:<slug> or analyst:<n>)
  title       TEXT    NOT NULL,
  level       INTEGER NOT NULL DEFAULT 2,
  markdown    TEXT    NOT NULL,
  generated   TEXT,                       -- the Markdown as drafted from the case, for "regenerate"
  PRIMARY KEY (version_id, position)
) STRICT;

-- A version's sections are written once, with the version.
CREATE TRIGGER report_sections_immutable_update BEFORE UPDATE ON report_sections
BEGIN SELECT RAISE(ABORT, 'report versions are immutable: save a new version'); END;
CREATE TRIGGER report_sections_immutable_delete BEFORE DELETE ON report_sections
BEGIN SELECT RAISE(ABORT, 'report versions are immutable: save a new version'); END;
-- The only change a version ever gets is being finalised, once.
CREATE TRIGGER report_versions_finalise_once BEFORE UPDATE ON report_versions
WHEN OLD.finalised_at IS NOT NULL OR NEW.finalised_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.document_id IS NOT OLD.document_id OR NEW.number IS NOT OLD.number
  OR NEW.title IS NOT OLD.title OR NEW.author IS NOT OLD.author OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'a report version can only be finalised, once; a finalised version never changes'); END;
CREATE TRIGGER report_versions_no_delete BEFORE DELETE ON report_versions
BEGIN SELECT RAISE(ABORT, 'report versions are kept: they cannot be deleted'); END;
