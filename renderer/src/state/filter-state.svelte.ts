/**
 * The display filter as typed (draft, validated as you type) and as applied, plus the other
 * restrictions of the packet list: a time range (timeline brush) and a finding's evidence.
 */
import type { PacketQuery } from '../../../electron/ipc/contract.js';
import { call, toCallError } from '../lib/api.js';
import type { ChipKind } from '../lib/scope-text.js';
import { loadHistory, pushHistory, saveHistory, type KeyValueStore } from '../lib/filter-text.js';

function storage(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export interface FilterError {
  position: number;
  message: string;
}

export class FilterState {
  draft = $state('');
  /** Result of checking `draft`; null while unchecked or empty. */
  draftError = $state.raw<FilterError | null>(null);
  checking = $state(false);
  applied = $state('');
  from = $state<string | null>(null);
  to = $state<string | null>(null);
  findingId = $state<number | null>(null);
  history = $state.raw<string[]>(loadHistory(storage()));

  query: PacketQuery = $derived.by(() => {
    const q: PacketQuery = {};
    if (this.applied) q.filter = this.applied;
    if (this.from !== null) q.from = this.from;
    if (this.to !== null) q.to = this.to;
    if (this.findingId !== null) q.findingId = this.findingId;
    return q;
  });

  dirty = $derived(this.draft.trim() !== this.applied);

  /** The chips that are on, in display order. */
  chips: ChipKind[] = $derived.by(() => {
    const out: ChipKind[] = [];
    if (this.applied) out.push('filter');
    if (this.from !== null || this.to !== null) out.push('time');
    if (this.findingId !== null) out.push('evidence');
    return out;
  });

  /** The query with one chip taken off (to find which chip empties a list). */
  without(chip: ChipKind): PacketQuery {
    const q: PacketQuery = { ...this.query };
    if (chip === 'filter') delete q.filter;
    if (chip === 'time') { delete q.from; delete q.to; }
    if (chip === 'evidence') delete q.findingId;
    return q;
  }

  private checkGen = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Validate as you type, debounced. */
  setDraft(text: string): void {
    this.draft = text;
    if (this.timer) clearTimeout(this.timer);
    if (!text.trim()) {
      this.checkGen++;
      this.draftError = null;
      this.checking = false;
      return;
    }
    this.checking = true;
    this.timer = setTimeout(() => void this.check(text), 220);
  }

  /** Checks `text`; resolves to the error or null when valid. */
  async check(text: string): Promise<FilterError | null> {
    const g = ++this.checkGen;
    if (!text.trim()) return null;
    try {
      const r = await call('filter.check', { filter: text });
      const err = r.ok ? null : { position: r.error?.position ?? 0, message: r.error?.message ?? 'Invalid filter' };
      if (g === this.checkGen) {
        this.draftError = err;
        this.checking = false;
      }
      return err;
    } catch (e) {
      const a = toCallError(e);
      const err = { position: a.position ?? 0, message: a.message };
      if (g === this.checkGen) {
        this.draftError = err;
        this.checking = false;
      }
      return err;
    }
  }

  /** Records a successfully applied filter. */
  remember(text: string): void {
    this.history = pushHistory(this.history, text);
    saveHistory(storage(), this.history);
  }
}
