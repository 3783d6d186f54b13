/**
 * The keyboard shortcuts, as data: the help sheet lists this table and App's key handler looks keys
 * up in it, so the two cannot disagree.
 */
export type ShortcutAction =
  | { kind: 'view'; view: (typeof VIEW_ORDER)[number] }
  | { kind: 'finding'; step: 1 | -1 }
  | { kind: 'follow' }
  | { kind: 'help' }
  | { kind: 'find' }
  | { kind: 'goto' }
  | { kind: 'open' }
  | { kind: 'clear-scope' }
  /** Handled by the annotation keys in App (listed here for the help sheet). */
  | { kind: 'annotate' };

export interface Shortcut {
  keys: string;
  what: string;
  action: ShortcutAction;
}

export const VIEW_ORDER = ['overview', 'timeline', 'packets', 'conversations', 'endpoints', 'findings', 'graph', 'ladder'] as const;

export const SHORTCUTS: readonly Shortcut[] = [
  ...VIEW_ORDER.map((view, i): Shortcut => ({ keys: `Ctrl+${i + 1} (or Alt+${i + 1})`, what: `Show ${view}`, action: { kind: 'view', view } })),
  { keys: 'n  or  ]', what: 'Next finding (opens it and shows its evidence)', action: { kind: 'finding', step: 1 } },
  { keys: 'p  or  [', what: 'Previous finding', action: { kind: 'finding', step: -1 } },
  { keys: 'c  (or Ctrl+Alt+Shift+T)', what: 'Follow the selected packet’s conversation', action: { kind: 'follow' } },
  { keys: 'a,  t then 1…6', what: 'Annotate the selection; tag it', action: { kind: 'annotate' } },
  { keys: 'Ctrl+F', what: 'Focus the display filter', action: { kind: 'find' } },
  { keys: 'Ctrl+G', what: 'Go to packet number', action: { kind: 'goto' } },
  { keys: 'Ctrl+O', what: 'Open a capture', action: { kind: 'open' } },
  { keys: 'Ctrl+Shift+X', what: 'Clear all chips (filter, time, evidence)', action: { kind: 'clear-scope' } },
  { keys: '?', what: 'This list of shortcuts', action: { kind: 'help' } },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The action for a key press, or null. `typing`: the focus is in a text field, where plain
 * letters belong to the field and only modified keys are shortcuts.
 */
export function actionFor(e: KeyLike, typing: boolean): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const digit = new RegExp(`^[1-${VIEW_ORDER.length}]$`).test(e.key) ? Number(e.key) : 0;
  if (digit && ((mod && !e.altKey) || (e.altKey && !mod)) && !e.shiftKey) return { kind: 'view', view: VIEW_ORDER[digit - 1]! };
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'f' && !e.shiftKey) return { kind: 'find' };
    if (k === 'g' && !e.shiftKey) return { kind: 'goto' };
    if (k === 'o' && !e.shiftKey) return { kind: 'open' };
    if (k === 'x' && e.shiftKey) return { kind: 'clear-scope' };
    return null;
  }
  if (typing || mod || e.altKey) return null;
  switch (e.key) {
    case 'n': case ']': return { kind: 'finding', step: 1 };
    case 'p': case '[': return { kind: 'finding', step: -1 };
    case 'c': return { kind: 'follow' };
    case '?': return { kind: 'help' };
    default: return null;
  }
}
