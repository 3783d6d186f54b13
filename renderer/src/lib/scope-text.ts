/**
 * Words for the scope chips: what stays applied after an action, and which chip emptied a list.
 * Pure functions so the rules are tested without a browser.
 */

/** The three restrictions that make up the scope every view shows. */
export type ChipKind = 'filter' | 'time' | 'evidence';

export const CHIP_NAME: Record<ChipKind, string> = { filter: 'FILTER', time: 'TIME', evidence: 'EVIDENCE' };

function list(chips: ChipKind[]): string {
  const names = chips.map((c) => `the ${CHIP_NAME[c]} chip`);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** After `changed` was set or replaced: which other chips still narrow the views, or null when none. */
export function stillAppliedText(changed: ChipKind, chips: ChipKind[]): string | null {
  const others = chips.filter((c) => c !== changed);
  if (others.length === 0) return null;
  const what = changed === 'filter' ? 'The filter was replaced' : changed === 'time' ? 'The time range was set' : 'The evidence chip was set';
  return `${what}; ${list(others)} still ${others.length === 1 ? 'applies' : 'apply'} (× removes one, Clear all removes every chip).`;
}

export interface EmptyExplanation {
  message: string;
  /** The chips whose removal alone would bring packets back. */
  culprits: ChipKind[];
}

/**
 * Why a scope holds no packets. `countWithout[c]`: packets in the scope with chip `c` taken off.
 */
export function explainEmpty(chips: ChipKind[], countWithout: Partial<Record<ChipKind, number>>): EmptyExplanation {
  if (chips.length === 0) return { message: '0 packets: this case has no packets yet.', culprits: [] };
  if (chips.length === 1) {
    const only = chips[0];
    const message = only === 'filter' ? '0 packets: no packet in the case matches the FILTER chip — change the filter or remove it.'
      : only === 'time' ? '0 packets: the TIME chip’s range holds no packets — remove it.'
      : '0 packets: the EVIDENCE chip selects no packets in this case (the analysis may be out of date) — remove it.';
    return { message, culprits: [only] };
  }
  const culprits = chips.filter((c) => (countWithout[c] ?? 0) > 0);
  if (culprits.length === 1) {
    const c = culprits[0];
    const n = countWithout[c]!.toLocaleString('en-US');
    return { message: `0 packets: the ${CHIP_NAME[c]} chip excludes them — remove it (${n} packets without it).`, culprits };
  }
  if (culprits.length > 1) {
    const counts = culprits.map((c) => `${countWithout[c]!.toLocaleString('en-US')} without ${CHIP_NAME[c]}`).join(', ');
    return { message: `0 packets: ${list(culprits)} each exclude them — remove one (${counts}).`, culprits };
  }
  return { message: `0 packets: ${list(chips)} together exclude every packet — remove chips, or Clear all.`, culprits: [] };
}
