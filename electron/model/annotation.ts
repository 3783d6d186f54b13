/**
 * Annotations: an analyst's (or a capture file's) note and tags on one target of the case.
 * Domain types shared by the store, the queries, the IPC contract, the CLI and the renderer.
 */

/** The fixed tag vocabulary; each has a colour in the UI. Free tags are allowed beside them. */
export const FIXED_TAGS = ['malicious', 'suspicious', 'benign', 'false-positive', 'evidence', 'todo'] as const;
export type FixedTag = (typeof FIXED_TAGS)[number];

export type AnnotationTargetKind = 'packet' | 'flow' | 'host' | 'range' | 'finding' | 'case';

/** What an annotation is about; every reference stays valid across reopening the case. */
export type AnnotationTarget =
  | { kind: 'packet'; packetId: number }
  | { kind: 'flow'; flowId: number }
  | { kind: 'host'; addr: string }
  /** Nanoseconds since the epoch, as decimal strings, inclusive. */
  | { kind: 'range'; startNs: string; endNs: string }
  | { kind: 'finding'; findingId: number }
  | { kind: 'case' };

export type AnnotationSource = 'analyst' | 'capture-comment';

export interface Annotation {
  id: number;
  target: AnnotationTarget;
  tags: string[];
  /** Plain text / Markdown source; always shown as text. */
  text: string;
  author: string;
  source: AnnotationSource;
  includeInReport: boolean;
  /** 1 for a new annotation; each edit, delete and restore adds a version. */
  version: number;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
  /** The annotation this one supersedes (e.g. a capture comment), and the one superseding this. */
  supersedesId: number | null;
  supersededBy: number | null;
}

export interface AnnotationVersion {
  version: number;
  text: string;
  tags: string[];
  includeInReport: boolean;
  deleted: boolean;
  author: string;
  at: string;
}

/** What an analyst writes; the author and times are filled in by the store. */
export interface AnnotationInput {
  target: AnnotationTarget;
  text?: string;
  tags?: string[];
  includeInReport?: boolean;
  supersedesId?: number;
}

export interface AnnotationPatch {
  text?: string;
  tags?: string[];
  includeInReport?: boolean;
}

/** The Annotations view's (and `flowcase annotations`') filters; all optional, combined with AND. */
export interface AnnotationQuery {
  tag?: string;
  author?: string;
  kind?: AnnotationTargetKind;
  /** Case-insensitive substring of the note. */
  text?: string;
  /** Only annotations on packets matching this display filter. */
  filter?: string;
  includeDeleted?: boolean;
  limit?: number;
}

/** What the detail pane shows for one packet: its own annotations, its flow's and its hosts'. */
export interface PacketAnnotations {
  packet: Annotation[];
  flow: Annotation[];
  hosts: Annotation[];
}

/** What the timeline draws. Times are ns strings. */
export interface AnnotationMarks {
  /** Annotated packets: one point per packet, with the union of their tags. */
  points: Array<{ tsNs: string; packetId: number; annotationIds: number[]; tags: string[] }>;
  /** Annotated time ranges. */
  ranges: Array<{ id: number; startNs: string; endNs: string; tags: string[]; text: string }>;
}

/** The overview's custody line: the hash chain checked (captures are re-hashed by `verify`). */
export interface CustodyStatus {
  state: 'verified' | 'broken' | 'empty';
  entries: number;
  brokenAt?: number;
  problem?: string;
  head: string | null;
}

/**
 * Limits on what is stored. A note is stored exactly as given (markup, control characters, RTL
 * overrides included: it is only ever shown as text), up to NOTE_MAX_CHARS characters.
 */
export const ANNOTATION_LIMITS = {
  noteChars: 65_536,
  tags: 16,
  tagChars: 40,
  addrChars: 64,
} as const;

/** One line describing a target, for lists and the CLI: "packet 17", "host 10.0.0.1". */
export function describeTarget(t: AnnotationTarget): string {
  switch (t.kind) {
    case 'packet': return `packet ${t.packetId}`;
    case 'flow': return `flow ${t.flowId}`;
    case 'host': return `host ${t.addr}`;
    case 'range': return `range ${t.startNs}..${t.endNs}`;
    case 'finding': return `finding ${t.findingId}`;
    case 'case': return 'case';
  }
}
