/**
 * Light and dark themes: the system's preference by default, or the analyst's choice (remembered).
 * The choice is written to <html data-theme>; app.css holds both palettes.
 */
export type ThemePreference = 'system' | 'light' | 'dark';

const KEY = 'flowcase:theme';

function stored(): ThemePreference {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export class ThemeState {
  preference = $state<ThemePreference>(stored());
  #systemDark = $state(false);
  current: 'light' | 'dark' = $derived(this.preference === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.preference);

  constructor() {
    const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    if (query) {
      this.#systemDark = query.matches;
      query.addEventListener('change', (e) => (this.#systemDark = e.matches));
    }
    $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.theme = this.current;
      });
    });
  }

  /** The toggle: system → the opposite of what the system shows → the other one → system. */
  cycle(): void {
    const opposite = this.#systemDark ? 'light' : 'dark';
    const next: ThemePreference = this.preference === 'system' ? opposite : this.preference === opposite ? (opposite === 'dark' ? 'light' : 'dark') : 'system';
    this.set(next);
  }

  set(p: ThemePreference): void {
    this.preference = p;
    try {
      if (p === 'system') window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, p);
    } catch {
      // No storage (private window): the choice lasts for this session.
    }
  }
}
