/**
 * Prepared statements for the stored report (migration 0004): documents, versions and their
 * sections. Versions are written whole and never changed, except once by finaliseVersion.
 */
import type { CaseDb } from './open-case';

import type { ReportSection, ReportVersion, ReportVersionInfo } from '../electron/model/report';

export type StoredSection = ReportSection;
export type StoredVersionInfo = ReportVersionInfo;
export type StoredVersion = ReportVersion;

export function hasReportTables(db: CaseDb): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_versions'").get();
}

export function latestDocumentId(db: CaseDb): number | null {
  if (!hasReportTables(db)) return null;
  return (db.prepare('SELECT max(id) FROM report_documents').pluck().get() as number | null) ?? null;
}

export function insertDocument(db: CaseDb, title: string, kind: string, at: string): number {
  return Number(db.prepare('INSERT INTO report_documents (title, kind, created_at) VALUES (?, ?, ?)').run(title, kind, at).lastInsertRowid);
}

const VERSION_COLUMNS = `id, document_id AS documentId, number, title, author, note, created_at AS createdAt,
  finalised_at AS finalisedAt, finalised_by AS finalisedBy, content_sha256 AS contentSha256`;

export function listVersions(db: CaseDb, documentId: number): StoredVersionInfo[] {
  return db.prepare(`SELECT ${VERSION_COLUMNS} FROM report_versions WHERE document_id = ? ORDER BY number`).all(documentId) as StoredVersionInfo[];
}

export function readVersion(db: CaseDb, versionId: number): StoredVersion | null {
  const row = db.prepare(`SELECT ${VERSION_COLUMNS}, frozen_markdown AS frozenMarkdown, frozen_sections AS frozenSections
    FROM report_versions WHERE id = ?`).get(versionId) as (StoredVersionInfo & { frozenMarkdown: string | null; frozenSections: string | null }) | undefined;
  if (!row) return null;
  const sections = db.prepare('SELECT key, title, level, markdown, generated FROM report_sections WHERE version_id = ? ORDER BY position')
    .all(versionId) as StoredSection[];
  return { ...row, sections, frozenSections: row.frozenSections ? JSON.parse(row.frozenSections) as StoredSection[] : null };
}

export function versionIdByNumber(db: CaseDb, documentId: number, number: number): number | null {
  return (db.prepare('SELECT id FROM report_versions WHERE document_id = ? AND number = ?').pluck().get(documentId, number) as number | undefined) ?? null;
}

export function latestVersionId(db: CaseDb, documentId: number): number | null {
  return (db.prepare('SELECT id FROM report_versions WHERE document_id = ? ORDER BY number DESC LIMIT 1').pluck().get(documentId) as number | undefined) ?? null;
}

export function latestFinalisedVersionId(db: CaseDb, documentId: number): number | null {
  return (db.prepare('SELECT id FROM report_versions WHERE document_id = ? AND finalised_at IS NOT NULL ORDER BY number DESC LIMIT 1')
    .pluck().get(documentId) as number | undefined) ?? null;
}

export interface NewVersion { title: string; author: string; note: string; at: string; sections: StoredSection[] }

/** Inserts a version with the next number and all its sections; call inside a transaction. */
export function insertVersion(db: CaseDb, documentId: number, v: NewVersion): { id: number; number: number } {
  const number = ((db.prepare('SELECT max(number) FROM report_versions WHERE document_id = ?').pluck().get(documentId) as number | null) ?? 0) + 1;
  const id = Number(db.prepare('INSERT INTO report_versions (document_id, number, title, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(documentId, number, v.title, v.author, v.note, v.at).lastInsertRowid);
  const add = db.prepare('INSERT INTO report_sections (version_id, position, key, title, level, markdown, generated) VALUES (?, ?, ?, ?, ?, ?, ?)');
  v.sections.forEach((s, i) => add.run(id, i, s.key, s.title, s.level, s.markdown, s.generated));
  return { id, number };
}

export function finaliseVersion(db: CaseDb, versionId: number, by: string, at: string, frozen: { markdown: string; sections: StoredSection[] }, sha256: string): void {
  db.prepare('UPDATE report_versions SET finalised_at = ?, finalised_by = ?, frozen_markdown = ?, frozen_sections = ?, content_sha256 = ? WHERE id = ?')
    .run(at, by, frozen.markdown, JSON.stringify(frozen.sections), sha256, versionId);
}
