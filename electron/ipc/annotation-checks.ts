/** Runtime checks for the annotation channels' arguments (channels.ts uses them). */
import { ANNOTATION_LIMITS, type AnnotationTarget, type AnnotationTargetKind } from '../model/annotation';
import { ApiFailure } from './api-failure';
import { arrayOf, id, nsString, object, oneOf, str, type Check } from './validate';

const KINDS = ['packet', 'flow', 'host', 'range', 'finding', 'case'] as const satisfies readonly AnnotationTargetKind[];

const TARGET_SHAPES: { [K in AnnotationTargetKind]: Check<Extract<AnnotationTarget, { kind: K }>> } = {
  packet: object({ kind: oneOf('packet'), packetId: id }, {}),
  flow: object({ kind: oneOf('flow'), flowId: id }, {}),
  host: object({ kind: oneOf('host'), addr: str({ min: 1, max: ANNOTATION_LIMITS.addrChars }) }, {}),
  range: object({ kind: oneOf('range'), startNs: nsString, endNs: nsString }, {}),
  finding: object({ kind: oneOf('finding'), findingId: id }, {}),
  case: object({ kind: oneOf('case') }, {}),
};

/** A target: its `kind` chooses which reference fields it must have (and no others). */
export const annotationTarget: Check<AnnotationTarget> = (v, where) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    throw new ApiFailure('bad-argument', `${where} must be an object whose 'kind' is one of ${KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  return TARGET_SHAPES[kind as AnnotationTargetKind](v, where);
};

export const annotationKind = oneOf(...KINDS);
export const noteText = str({ max: ANNOTATION_LIMITS.noteChars });
/** Tags are checked in full by the store (characters, duplicates); here only their size. */
export const tagList = arrayOf(str({ min: 1, max: ANNOTATION_LIMITS.tagChars }), 0, ANNOTATION_LIMITS.tags * 2);
export const analystName = str({ min: 1, max: 128 });
export const includeFlag: Check<boolean> = (v, where) => {
  if (typeof v !== 'boolean') throw new ApiFailure('bad-argument', `${where} must be true or false`);
  return v;
};
export const annotationPatchShape = { text: noteText, tags: tagList, includeInReport: includeFlag };
