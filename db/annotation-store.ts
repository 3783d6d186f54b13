/**
 * The annotations table and its history: every statement that reads or writes them. Each change
 * adds a version row and a custody entry in the same IMMEDIATE transaction, so a crash never
 * leaves an annotation change without its history or its custody entry (or the reverse).
 */
import type { CaseDb } from './open-case';
import { appendCustody, currentAnalyst, ANALYST_MAX_CHARS } from './custody';
import {
  ANNOTATION_LIMITS, FIXED_TAGS, type Annotation, type AnnotationInput, type AnnotationPatch, type AnnotationTarget,
  type AnnotationVersion,
} from '../electron/model/annotation';

/** A refused annotation request: `code` maps to the IPC error code, the message says what to do. */
export class AnnotationError extends Error {
  override name = 'AnnotationError';
  constructor(readonly code: 'bad-argument' | 'not-found', message: string) { super(message); }
}

export interface AnnotationDbRow {
  id: number; target_kind: string; target_ref: string; packet_id: number | null; flow_id: number | null; finding_id: number | null;
  host_addr: string | null; range_start_ns: bigint | number | null; range_end_ns: bigint | number | null; text: string; tags: string;
  author: string; source: string; supersedes_id: number | null; include_in_report: number; version: number; deleted: number;
  created_at: string; updated_at: string; superseded_by: number | null;
}

const SELECT_ANNOTATION = `SELECT a.*, (SELECT s.id FROM annotations s WHERE s.supersedes_id = a.id AND s.deleted = 0 ORDER BY s.id LIMIT 1) AS superseded_by
  FROM annotations a`;

// eslint-disable-next-line no-control-regex
const TAG_PATTERN = /^[^\p{Cc}\p{Cf}\s,](?:[^\p{Cc}\p{Cf},]*[^\p{Cc}\p{Cf}\s,])?$/u;

export function targetOf(r: Pick<AnnotationDbRow, 'target_kind' | 'target_ref' | 'packet_id' | 'flow_id' | 'finding_id' | 'host_addr' | 'range_start_ns' | 'range_end_ns'>): AnnotationTarget {
  switch (r.target_kind) {
    case 'packet': return { kind: 'packet', packetId: Number(r.packet_id ?? r.target_ref) };
    case 'flow': return { kind: 'flow', flowId: Number(r.flow_id ?? r.target_ref) };
    case 'host': return { kind: 'host', addr: r.host_addr ?? r.target_ref };
    case 'range': return { kind: 'range', startNs: String(r.range_start_ns), endNs: String(r.range_end_ns) };
    case 'finding': return { kind: 'finding', findingId: Number(r.finding_id ?? r.target_ref) };
    default: return { kind: 'case' };
  }
}

export function annotationFrom(r: AnnotationDbRow): Annotation {
  return {
    id: r.id,
    target: targetOf(r),
    tags: parseTags(r.tags),
    text: r.text,
    author: r.author,
    source: r.source === 'capture-comment' ? 'capture-comment' : 'analyst',
    includeInReport: r.include_in_report !== 0,
    version: r.version,
    deleted: r.deleted !== 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    supersedesId: r.supersedes_id,
    supersededBy: r.superseded_by,
  };
}

function parseTags(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch { return []; }
}

/** The canonical reference text of a target (the `target_ref` column). */
export function targetRef(t: AnnotationTarget): string {
  switch (t.kind) {
    case 'packet': return String(t.packetId);
    case 'flow': return String(t.flowId);
    case 'host': return t.addr;
    case 'range': return `${t.startNs}..${t.endNs}`;
    case 'finding': return String(t.findingId);
    case 'case': return '';
  }
}

/** Note text: stored exactly as given, within the documented size. */
export function checkNote(text: unknown): string {
  if (typeof text !== 'string') throw new AnnotationError('bad-argument', 'the note must be text');
  if (text.length > ANNOTATION_LIMITS.noteChars) {
    throw new AnnotationError('bad-argument', `the note is too long (${text.length.toLocaleString('en-US')} characters; the limit is ${ANNOTATION_LIMITS.noteChars.toLocaleString('en-US')}): shorten it or attach the material as a file in the report`);
  }
  if (text.includes('\0')) throw new AnnotationError('bad-argument', 'the note must not contain NUL characters');
  return text;
}

/** Tags: trimmed, de-duplicated, no control or invisible formatting characters, no commas. */
export function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) throw new AnnotationError('bad-argument', 'tags must be a list');
  const out: string[] = [];
  for (const raw of tags) {
    if (typeof raw !== 'string') throw new AnnotationError('bad-argument', 'each tag must be text');
    const tag = raw.trim();
    if (!tag) continue;
    if (tag.length > ANNOTATION_LIMITS.tagChars) throw new AnnotationError('bad-argument', `tag "${tag.slice(0, 20)}…" is too long (the limit is ${ANNOTATION_LIMITS.tagChars} characters)`);
    if (!TAG_PATTERN.test(tag)) throw new AnnotationError('bad-argument', `tag ${JSON.stringify(tag)} contains a comma, a control or an invisible formatting character`);
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > ANNOTATION_LIMITS.tags) throw new AnnotationError('bad-argument', `too many tags (${out.length}; the limit is ${ANNOTATION_LIMITS.tags})`);
  return out;
}

export const isFixedTag = (t: string) => (FIXED_TAGS as readonly string[]).includes(t);

const NS_PATTERN = /^\d{1,19}$/;

/** Checks that the target exists in this case (a range only needs start ≤ end). */
export function checkTarget(db: CaseDb, t: AnnotationTarget): AnnotationTarget {
  const missing = (what: string) => { throw new AnnotationError('not-found', `${what} is not in this case`); };
  switch (t.kind) {
    case 'packet':
      if (!db.prepare('SELECT 1 FROM packets WHERE id = ?').get(t.packetId)) missing(`packet ${t.packetId}`);
      return { kind: 'packet', packetId: t.packetId };
    case 'flow':
      if (!db.prepare('SELECT 1 FROM flows WHERE id = ?').get(t.flowId)) missing(`flow ${t.flowId}`);
      return { kind: 'flow', flowId: t.flowId };
    case 'host': {
      const addr = String(t.addr).trim().toLowerCase();
      if (!addr || addr.length > ANNOTATION_LIMITS.addrChars) throw new AnnotationError('bad-argument', 'the host address is empty or too long');
      if (!db.prepare('SELECT 1 FROM addrs WHERE addr = ?').get(addr)) missing(`host ${addr}`);
      return { kind: 'host', addr };
    }
    case 'range': {
      if (!NS_PATTERN.test(t.startNs) || !NS_PATTERN.test(t.endNs) || BigInt(t.startNs) >= 2n ** 63n || BigInt(t.endNs) >= 2n ** 63n) {
        throw new AnnotationError('bad-argument', 'a time range needs start and end in nanoseconds since the epoch');
      }
      if (BigInt(t.startNs) > BigInt(t.endNs)) throw new AnnotationError('bad-argument', 'the range starts after it ends');
      return { kind: 'range', startNs: t.startNs, endNs: t.endNs };
    }
    case 'finding':
      if (!db.prepare('SELECT 1 FROM findings WHERE id = ?').get(t.findingId)) missing(`finding ${t.findingId}`);
      return { kind: 'finding', findingId: t.findingId };
    case 'case':
      return { kind: 'case' };
    default:
      throw new AnnotationError('bad-argument', 'unknown annotation target');
  }
}

/** The case-wide analyst name: set on the first annotation (FLOWCASE_ANALYST or the OS user). */
export function ensureAnalyst(db: CaseDb): string {
  const row = db.prepare("SELECT value FROM case_meta WHERE key = 'analyst'").get() as { value: string } | undefined;
  const name = currentAnalyst(db);
  if (!row) {
    db.prepare("INSERT INTO case_meta (key, value) VALUES ('analyst', ?)").run(name);
    appendCustody(db, 'analyst.set', { analyst: name });
  }
  return name;
}

/** Set the case's analyst name explicitly (the UI asks on first annotate). */
export function setAnalyst(db: CaseDb, name: string): string {
  const clean = name.trim();
  if (!clean || clean.length > ANALYST_MAX_CHARS || /[\p{Cc}\p{Cf}]/u.test(clean)) {
    throw new AnnotationError('bad-argument', `the analyst name must be 1–${ANALYST_MAX_CHARS} visible characters`);
  }
  return db.transaction(() => {
    db.prepare("INSERT INTO case_meta (key, value) VALUES ('analyst', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(clean);
    appendCustody(db, 'analyst.set', { analyst: clean }, { analyst: clean });
    return clean;
  }).immediate();
}

export function getAnnotation(db: CaseDb, id: number): Annotation | undefined {
  const r = db.prepare(`${SELECT_ANNOTATION} WHERE a.id = ?`).safeIntegers(false).get(id) as AnnotationDbRow | undefined;
  return r ? annotationFrom(rangeAsText(db, r)) : undefined;
}

/** Range bounds exceed 2^53: read them as text so no nanosecond is lost. */
function rangeAsText(db: CaseDb, r: AnnotationDbRow): AnnotationDbRow {
  if (r.target_kind !== 'range') return r;
  const b = db.prepare('SELECT CAST(range_start_ns AS TEXT) AS s, CAST(range_end_ns AS TEXT) AS e FROM annotations WHERE id = ?').get(r.id) as { s: string; e: string };
  return { ...r, range_start_ns: b.s as unknown as bigint, range_end_ns: b.e as unknown as bigint };
}

function mustGet(db: CaseDb, id: number): Annotation {
  const a = getAnnotation(db, id);
  if (!a) throw new AnnotationError('not-found', `annotation ${id} is not in this case`);
  return a;
}

function insertVersion(db: CaseDb, a: Annotation, author: string, at: string): void {
  db.prepare('INSERT INTO annotation_versions (annotation_id, version, text, tags, include_in_report, deleted, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(a.id, a.version, a.text, JSON.stringify(a.tags), a.includeInReport ? 1 : 0, a.deleted ? 1 : 0, author, at);
}

/** Custody details of an annotation state: enough to reconstruct what was written. */
function custodyDetails(a: Annotation, extra: Record<string, unknown> = {}) {
  return { id: a.id, target: a.target, version: a.version, tags: a.tags, text: a.text, includeInReport: a.includeInReport, ...extra };
}

export function addAnnotation(db: CaseDb, input: AnnotationInput): Annotation {
  const text = checkNote(input.text ?? '');
  const tags = checkTags(input.tags ?? []);
  return db.transaction(() => {
    const target = checkTarget(db, input.target);
    if (!text && tags.length === 0) throw new AnnotationError('bad-argument', 'an annotation needs a note or at least one tag');
    if (input.supersedesId !== undefined) mustGet(db, input.supersedesId);
    const author = ensureAnalyst(db);
    const now = new Date().toISOString();
    const t = target;
    const info = db.prepare(`INSERT INTO annotations (target_kind, target_ref, packet_id, flow_id, finding_id, host_addr, range_start_ns, range_end_ns,
      text, tags, author, source, supersedes_id, include_in_report, version, deleted, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'analyst', ?, ?, 1, 0, ?, ?)`).run(
      t.kind, targetRef(t), t.kind === 'packet' ? t.packetId : null, t.kind === 'flow' ? t.flowId : null,
      t.kind === 'finding' ? t.findingId : null, t.kind === 'host' ? t.addr : null,
      t.kind === 'range' ? BigInt(t.startNs) : null, t.kind === 'range' ? BigInt(t.endNs) : null,
      text, JSON.stringify(tags), author, input.supersedesId ?? null, input.includeInReport ? 1 : 0, now, now);
    const a = mustGet(db, Number(info.lastInsertRowid));
    insertVersion(db, a, author, now);
    appendCustody(db, 'annotation.added', custodyDetails(a, input.supersedesId !== undefined ? { supersedes: input.supersedesId } : {}));
    return a;
  }).immediate();
}

function writeState(db: CaseDb, before: Annotation, next: { text: string; tags: string[]; includeInReport: boolean; deleted: boolean }, action: string): Annotation {
  const author = ensureAnalyst(db);
  const now = new Date().toISOString();
  db.prepare('UPDATE annotations SET text = ?, tags = ?, include_in_report = ?, deleted = ?, version = version + 1, updated_at = ? WHERE id = ?')
    .run(next.text, JSON.stringify(next.tags), next.includeInReport ? 1 : 0, next.deleted ? 1 : 0, now, before.id);
  const a = mustGet(db, before.id);
  insertVersion(db, a, author, now);
  appendCustody(db, action, custodyDetails(a, { previousVersion: before.version }));
  return a;
}

/**
 * Edit note, tags or the report switch. Capture comments are the capture's own words: they are
 * never altered; supersede them with a new annotation instead (supersedeAnnotation).
 */
export function editAnnotation(db: CaseDb, id: number, patch: AnnotationPatch): Annotation {
  const text = patch.text === undefined ? undefined : checkNote(patch.text);
  const tags = patch.tags === undefined ? undefined : checkTags(patch.tags);
  return db.transaction(() => {
    const before = mustGet(db, id);
    if (before.source === 'capture-comment') {
      throw new AnnotationError('bad-argument', `annotation ${id} is a comment from the capture file and cannot be altered; supersede it with your own annotation instead`);
    }
    if (before.deleted) throw new AnnotationError('bad-argument', `annotation ${id} is deleted; restore it before editing`);
    const next = { text: text ?? before.text, tags: tags ?? before.tags, includeInReport: patch.includeInReport ?? before.includeInReport, deleted: false };
    if (!next.text && next.tags.length === 0) throw new AnnotationError('bad-argument', 'an annotation needs a note or at least one tag (delete it instead)');
    return writeState(db, before, next, 'annotation.edited');
  }).immediate();
}

/** Supersede an annotation (typically a capture comment) with the analyst's own, on the same target. */
export function supersedeAnnotation(db: CaseDb, id: number, patch: AnnotationPatch): Annotation {
  const original = getAnnotation(db, id);
  if (!original) throw new AnnotationError('not-found', `annotation ${id} is not in this case`);
  return addAnnotation(db, {
    target: original.target, text: patch.text ?? original.text, tags: patch.tags ?? original.tags,
    includeInReport: patch.includeInReport ?? original.includeInReport, supersedesId: id,
  });
}

/** Delete = tombstone: the annotation and its history stay, hidden, and can be restored. */
export function deleteAnnotation(db: CaseDb, id: number): Annotation {
  return db.transaction(() => {
    const before = mustGet(db, id);
    if (before.deleted) return before;
    return writeState(db, before, { ...before, deleted: true }, 'annotation.deleted');
  }).immediate();
}

export function restoreAnnotation(db: CaseDb, id: number): Annotation {
  return db.transaction(() => {
    const before = mustGet(db, id);
    if (!before.deleted) return before;
    return writeState(db, before, { ...before, deleted: false }, 'annotation.restored');
  }).immediate();
}

export function annotationHistory(db: CaseDb, id: number): AnnotationVersion[] {
  mustGet(db, id);
  const rows = db.prepare('SELECT version, text, tags, include_in_report, deleted, author, at FROM annotation_versions WHERE annotation_id = ? ORDER BY version')
    .all(id) as Array<{ version: number; text: string; tags: string; include_in_report: number; deleted: number; author: string; at: string }>;
  return rows.map((r) => ({ version: r.version, text: r.text, tags: parseTags(r.tags), includeInReport: r.include_in_report !== 0, deleted: r.deleted !== 0, author: r.author, at: r.at }));
}

/** Every annotation row (deleted ones too when asked), oldest first. */
export function allAnnotations(db: CaseDb, opts: { includeDeleted?: boolean } = {}): Annotation[] {
  const rows = db.prepare(`${SELECT_ANNOTATION} ${opts.includeDeleted ? '' : 'WHERE a.deleted = 0'} ORDER BY a.created_at, a.id`).all() as AnnotationDbRow[];
  return rows.map((r) => annotationFrom(rangeAsText(db, r)));
}

/** Annotations whose target no longer exists in the case (verify). */
export function orphanedAnnotations(db: CaseDb): Array<{ id: number; target: string }> {
  const rows = db.prepare(`SELECT id, target_kind AS kind, target_ref AS ref FROM annotations a WHERE deleted = 0 AND (
      (target_kind = 'packet' AND NOT EXISTS (SELECT 1 FROM packets p WHERE p.id = a.packet_id))
   OR (target_kind = 'flow' AND NOT EXISTS (SELECT 1 FROM flows f WHERE f.id = a.flow_id))
   OR (target_kind = 'finding' AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.id = a.finding_id))
   OR (target_kind = 'host' AND NOT EXISTS (SELECT 1 FROM addrs d WHERE d.addr = a.host_addr))
   OR (target_kind = 'range' AND (range_start_ns IS NULL OR range_end_ns IS NULL OR range_start_ns > range_end_ns))) ORDER BY id`)
    .all() as Array<{ id: number; kind: string; ref: string }>;
  return rows.map((r) => ({ id: r.id, target: `${r.kind} ${r.ref}`.trim() }));
}

/**
 * pcapng comments (capture_comments) not yet adopted become annotations with source
 * 'capture-comment', their original text and the capture file as author. Runs after each import.
 */
export function adoptCaptureComments(db: CaseDb): number {
  const info = db.prepare(`INSERT INTO annotations (target_kind, target_ref, packet_id, text, author, source, capture_comment_id, created_at, updated_at)
    SELECT CASE WHEN c.scope = 'packet' AND c.packet_id IS NOT NULL THEN 'packet' ELSE 'case' END,
           CASE WHEN c.scope = 'packet' AND c.packet_id IS NOT NULL THEN CAST(c.packet_id AS TEXT) ELSE '' END,
           CASE WHEN c.scope = 'packet' THEN c.packet_id END,
           c.text, 'capture file ' || cap.name, 'capture-comment', c.id, cap.imported_at, cap.imported_at
    FROM capture_comments c JOIN captures cap ON cap.id = c.capture_id
    WHERE c.id NOT IN (SELECT capture_comment_id FROM annotations WHERE capture_comment_id IS NOT NULL)
    ORDER BY c.id`).run();
  db.prepare(`INSERT INTO annotation_versions (annotation_id, version, text, tags, include_in_report, deleted, author, at)
    SELECT id, 1, text, tags, include_in_report, deleted, author, created_at FROM annotations
    WHERE source = 'capture-comment' AND id NOT IN (SELECT annotation_id FROM annotation_versions)`).run();
  return info.changes;
}

/** Analyst work a re-index would throw away: analyst annotations and custody entries beyond imports. */
export function analystWork(db: CaseDb): { annotations: number; custodyEntries: number } {
  const annotations = (db.prepare("SELECT count(*) AS n FROM annotations WHERE source = 'analyst'").get() as { n: number }).n;
  const custodyEntries = (db.prepare(`SELECT count(*) AS n FROM custody WHERE action NOT IN
    ('case.created', 'custody.started', 'case.schema-upgraded', 'capture.imported', 'indexing.finished', 'indexing.failed')`).get() as { n: number }).n;
  return { annotations, custodyEntries };
}
