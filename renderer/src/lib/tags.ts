/**
 * Annotation tag colours. The vocabulary itself is defined once in electron/model/annotation.ts;
 * `satisfies` makes the compiler ask for a colour here when a fixed tag is added there.
 */
import type { FixedTag } from '../../../electron/model/annotation.js';

export const TAG_COLOURS = {
  malicious: '#c0392b',
  suspicious: '#e8842c',
  benign: '#2e8b57',
  'false-positive': '#7f8c8d',
  evidence: '#2f6fd6',
  todo: '#9c6ade',
} as const satisfies Record<FixedTag, string>;

/** The fixed tags in shortcut order: T then 1 is malicious, T then 6 is todo. */
export const FIXED_TAG_ORDER = Object.keys(TAG_COLOURS) as FixedTag[];

const FREE_TAG_COLOUR = '#5d6878';

export function tagColour(tag: string): string {
  return (TAG_COLOURS as Record<string, string>)[tag] ?? FREE_TAG_COLOUR;
}

/** The colour that marks a row or a point: the most serious tag it carries, in vocabulary order. */
export function markColour(tags: readonly string[]): string {
  for (const t of FIXED_TAG_ORDER) if (tags.includes(t)) return TAG_COLOURS[t];
  return tags.length ? FREE_TAG_COLOUR : '#d4a017';
}

/** Tags typed as "a, b c" → ['a', 'b c']: commas separate, spaces inside a tag stay. */
export function parseTagText(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
}
