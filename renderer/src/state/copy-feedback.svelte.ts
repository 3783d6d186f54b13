/**
 * "Copy cell" / "Copy row" with the short notice the tables show after it: what was copied, or
 * that the clipboard could not be reached. One per table; CopyStatus.svelte shows it.
 */
import { copyText } from '../lib/copy-text';

export class CopyFeedback {
  current = $state<{ what: 'cell' | 'row'; ok: boolean } | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  async copy(text: string, what: 'cell' | 'row'): Promise<void> {
    const ok = await copyText(text);
    this.current = { what, ok };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.current = null), 2500);
  }
}
