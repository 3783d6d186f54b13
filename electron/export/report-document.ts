/**
 * The report as a document stored in the case: drafted once from the findings (in the incident's
 * structure, plus the analyst notes), then edited section by section. Every save is a new
 * version; Finalise freezes one (linked numbers resolved, hashed, recorded in the custody log) and
 * later edits start a new draft version on top of it.
 */
import { createHash } from 'node:crypto';
import type { CaseDb } from '../../db/open-case';
import {
  finaliseVersion, insertDocument, insertVersion, latestDocumentId, latestVersionId, listVersions, readVersion,
  StoredSection, StoredVersion, StoredVersionInfo,
} from '../../db/report-store';
import { buildReport } from './report-content';
import { blockMarkdown, packetCitation } from './report-markdown';
import { escapeMarkdown } from './markdown-escape';
import { readLinkValues, resolveLinks } from './report-links';
import { appendCustody, currentAnalyst } from '../../db/custody';
import { allAnnotations } from '../../db/annotation-store';
import type { AnnotationTarget } from '../model/annotation';
import type { ReportDoc } from './report-model';

export type { StoredSection, StoredVersion, StoredVersionInfo };

/** "[Analyst: …]": text the analyst must write before the report is final. */
const PLACEHOLDER = /\[Analyst:[^\]\n]*\]/g;

export interface Placeholder { sectionKey: string; sectionTitle: string; text: string }

export class ReportError extends Error { override name = 'ReportError'; }

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'section';
}

/** The generated report as editable sections, numbers linked to the case. */
export function draftSections(doc: ReportDoc, notes: StoredSection | null): StoredSection[] {
  const seen = new Map<string, number>();
  const sections: StoredSection[] = [];
  const about = doc.preface.slice(1).map((p) => escapeMarkdown(p)).join('\n\n');
  if (about) sections.push({ key: 'generated:about', title: 'About this case', level: 2, markdown: about, generated: about });
  for (const s of doc.sections) {
    const base = `generated:${slug(s.title)}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const markdown = s.blocks.map((b) => blockMarkdown(b, { linked: true })).join('\n\n');
    sections.push({ key: count === 1 ? base : `${base}-${count}`, title: s.title, level: s.level, markdown, generated: markdown });
  }
  if (notes) sections.splice(Math.min(sections.length, 2), 0, notes);
  return sections;
}

/** "Analyst notes": the annotations marked "include in report", each with what it is about. */
export function analystNotesSection(db: CaseDb): StoredSection | null {
  const notes = allAnnotations(db).filter((a) => a.includeInReport && a.supersededBy === null);
  if (notes.length === 0) return null;
  const label = (t: AnnotationTarget) => (t.kind === 'packet' ? packetCitation(t.packetId, targetLabel(t)) : escapeMarkdown(targetLabel(t)));
  const md = notes.map((a) => `- ${label(a.target)}: ${escapeMarkdown(a.text)}${a.author ? ` (${escapeMarkdown(a.author)})` : ''}`).join('\n');
  return { key: 'generated:analyst-notes', title: 'Analyst notes', level: 2, markdown: md, generated: md };
}

function targetLabel(t: AnnotationTarget): string {
  switch (t.kind) {
    case 'packet': return `Packet ${t.packetId}`;
    case 'flow': return `Flow ${t.flowId}`;
    case 'host': return `Host ${t.addr}`;
    case 'range': return `Time range ${t.startNs}..${t.endNs}`;
    case 'finding': return `Finding #${t.findingId}`;
    case 'case': return 'Case';
  }
}

function nowIso(): string { return new Date().toISOString(); }

export interface ReportState {
  documentId: number;
  versions: StoredVersionInfo[];
  current: StoredVersion;
  placeholders: Placeholder[];
}

/** The case's report, drafted from the findings on first use. */
export function openReport(db: CaseDb): ReportState {
  let documentId = latestDocumentId(db);
  if (documentId === null) documentId = createDraft(db);
  return reportState(db, documentId);
}

export function reportState(db: CaseDb, documentId: number, versionId?: number): ReportState {
  const id = versionId ?? latestVersionId(db, documentId);
  const current = id !== null ? readVersion(db, id) : null;
  if (!current || current.documentId !== documentId) throw new ReportError(`report version ${versionId ?? '(latest)'} not found`);
  return { documentId, versions: listVersions(db, documentId), current, placeholders: listPlaceholders(current.sections) };
}

function createDraft(db: CaseDb): number {
  const doc = buildReport(db);
  const title = doc.title.replace(/ \(DRAFT\)/, '');
  const sections = draftSections(doc, analystNotesSection(db));
  const at = nowIso();
  return db.transaction(() => {
    const documentId = insertDocument(db, title, doc.sections.some((s) => s.title === 'Likely cause') ? 'unreachable' : 'attack', at);
    const v = insertVersion(db, documentId, { title, author: currentAnalyst(db), note: 'drafted from the findings', at, sections });
    appendCustody(db, 'report.drafted', { document: documentId, version: v.number, sha256: sha256(documentMarkdown(title, sections)) });
    return documentId;
  })();
}

export function listPlaceholders(sections: StoredSection[]): Placeholder[] {
  return sections.flatMap((s) => [...s.markdown.matchAll(PLACEHOLDER)].map((m) => ({ sectionKey: s.key, sectionTitle: s.title, text: m[0] })));
}

export interface SaveInput { title: string; sections: Array<Pick<StoredSection, 'key' | 'title' | 'level' | 'markdown'>>; note?: string }

const MAX_SECTIONS = 500;
const MAX_SECTION_CHARS = 1_000_000;

/** Every save is a new version; the previous one (finalised or not) stays as it was. */
export function saveReport(db: CaseDb, documentId: number, input: SaveInput): ReportState {
  if (input.sections.length > MAX_SECTIONS) throw new ReportError(`a report holds at most ${MAX_SECTIONS} sections`);
  const latest = latestVersionId(db, documentId);
  const previous = latest !== null ? readVersion(db, latest) : null;
  if (!previous) throw new ReportError(`report ${documentId} not found`);
  const generatedOf = new Map(previous.sections.map((s) => [s.key, s.generated]));
  const keys = new Set<string>();
  const sections: StoredSection[] = input.sections.map((s, i) => {
    if (s.markdown.length > MAX_SECTION_CHARS) throw new ReportError(`section "${s.title}" is longer than ${MAX_SECTION_CHARS} characters`);
    let key = s.key || `analyst:${i + 1}`;
    while (keys.has(key)) key = `${key}+`;
    keys.add(key);
    return { key, title: s.title.replace(/[\r\n]+/g, ' ').slice(0, 300), level: s.level === 3 ? 3 : 2, markdown: s.markdown, generated: generatedOf.get(key) ?? null };
  });
  const title = input.title.replace(/[\r\n]+/g, ' ').slice(0, 300) || previous.title;
  db.transaction(() => {
    const v = insertVersion(db, documentId, { title, author: currentAnalyst(db), note: input.note ?? '', at: nowIso(), sections });
    appendCustody(db, 'report.saved', { document: documentId, version: v.number, sha256: sha256(documentMarkdown(title, sections)) });
  })();
  return reportState(db, documentId);
}

/**
 * Re-drafts the generated sections from the case as it is now. A section the analyst has not
 * edited takes the new text; an edited one keeps the analyst's text. Linked numbers follow the
 * case anyway. Saved as a new version.
 */
export function refreshReport(db: CaseDb, documentId: number): ReportState {
  const latest = latestVersionId(db, documentId);
  const previous = latest !== null ? readVersion(db, latest) : null;
  if (!previous) throw new ReportError(`report ${documentId} not found`);
  const fresh = new Map(draftSections(buildReport(db), analystNotesSection(db)).map((s) => [s.key, s]));
  const sections = previous.sections.map((s) => {
    const f = fresh.get(s.key);
    if (!f) return s;
    return s.markdown === s.generated ? { ...s, markdown: f.markdown, generated: f.generated } : { ...s, generated: f.generated };
  });
  db.transaction(() => {
    const v = insertVersion(db, documentId, { title: previous.title, author: currentAnalyst(db), note: 'refreshed from the case', at: nowIso(), sections });
    appendCustody(db, 'report.saved', { document: documentId, version: v.number, sha256: sha256(documentMarkdown(previous.title, sections)), refreshed: true });
  })();
  return reportState(db, documentId);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The whole report as one Markdown text: what is hashed when finalised and what the .md export holds. */
export function documentMarkdown(title: string, sections: Array<Pick<StoredSection, 'title' | 'level' | 'markdown'>>): string {
  const out = [`# ${escapeMarkdown(title)}`];
  for (const s of sections) out.push(`${'#'.repeat(s.level)} ${escapeMarkdown(s.title)}`, s.markdown.trim());
  return out.join('\n\n') + '\n';
}

/** A version's Markdown with linked numbers resolved: frozen text for a finalised one, the case's values otherwise. */
export function resolvedMarkdown(db: CaseDb, v: StoredVersion): string {
  if (v.frozenMarkdown !== null) return v.frozenMarkdown;
  return resolveLinks(documentMarkdown(v.title, v.sections), readLinkValues(db));
}

export function resolvedSections(db: CaseDb, v: StoredVersion): StoredSection[] {
  const values = readLinkValues(db);
  return v.sections.map((s) => ({ ...s, markdown: resolveLinks(s.markdown, values) }));
}

export interface FinaliseResult { versionId: number; number: number; sha256: string; custody: { seq: number; hash: string } }

/**
 * Freezes the latest version: refuses while placeholders remain, resolves the linked numbers,
 * hashes the text and records it in the custody log. A finalised version never changes again
 * (the schema's triggers refuse it); the next save starts a new draft version.
 */
export function finaliseReport(db: CaseDb, documentId: number): FinaliseResult {
  const id = latestVersionId(db, documentId);
  const v = id !== null ? readVersion(db, id) : null;
  if (!v) throw new ReportError(`report ${documentId} not found`);
  if (v.finalisedAt) throw new ReportError(`version ${v.number} is already finalised (SHA-256 ${v.contentSha256}); edit and save to start a new version`);
  const open = listPlaceholders(v.sections);
  if (open.length) {
    throw new ReportError(`${open.length} placeholder${open.length === 1 ? '' : 's'} still to fill: ${open.map((p) => `"${p.sectionTitle}": ${p.text}`).join('; ')}`);
  }
  const sections = resolvedSections(db, v);
  const frozen = documentMarkdown(v.title, sections);
  const hash = sha256(frozen);
  const by = currentAnalyst(db);
  const custody = db.transaction(() => {
    finaliseVersion(db, v.id, by, nowIso(), { markdown: frozen, sections }, hash);
    const e = appendCustody(db, 'report.finalised', { document: documentId, version: v.number, sha256: hash });
    return { seq: e.seq, hash: e.hash };
  })();
  return { versionId: v.id, number: v.number, sha256: hash, custody };
}

export interface DiffLine { op: ' ' | '+' | '-'; text: string }

/** Line diff of two versions' Markdown (LCS); reports are small, and the table is capped. */
export function diffVersions(db: CaseDb, fromId: number, toId: number): DiffLine[] {
  const a = readVersion(db, fromId), b = readVersion(db, toId);
  if (!a || !b) throw new ReportError('report version not found');
  return diffLines(documentMarkdown(a.title, a.sections).split('\n'), documentMarkdown(b.title, b.sections).split('\n'));
}

export function diffLines(a: string[], b: string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const midA = a.slice(start, endA), midB = b.slice(start, endB);
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: ' ' as const, text }));
  if (midA.length * midB.length > 25_000_000) {
    // Too large for the table: show the changed block whole.
    out.push(...midA.map((text) => ({ op: '-' as const, text })), ...midB.map((text) => ({ op: '+' as const, text })));
  } else {
    const w = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * w);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) { out.push({ op: ' ', text: midA[i] }); i++; j++; }
      else if (j < midB.length && (i === midA.length || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) { out.push({ op: '+', text: midB[j] }); j++; }
      else { out.push({ op: '-', text: midA[i] }); i++; }
    }
  }
  out.push(...a.slice(endA).map((text) => ({ op: ' ' as const, text })));
  return out;
}
