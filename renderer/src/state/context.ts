/**
 * The workbench reaches the views through Svelte context rather than a `wb` prop on each one:
 * App.svelte creates it and calls `setWorkbench`; a view or panel calls `getWorkbench()` while it
 * initialises (Svelte throws if no ancestor set it).
 */
import { createContext } from 'svelte';
import type { Workbench } from './workbench.svelte.js';

export const [getWorkbench, setWorkbench] = createContext<Workbench>();
