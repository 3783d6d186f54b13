/**
 * What an empty Conversations or Endpoints table says: which search or chip emptied it, with the
 * chip's value, and what to do. Pure, so the wording is tested without a browser.
 */
import type { EmptyExplanation } from './scope-text.js';

export interface TableScope {
  filter?: string;
  from?: string;
  to?: string;
  findingId?: number;
}

/** "the FILTER chip (ip.addr == 10.0.0.1) and the TIME chip" */
export function scopeChipsText(scope: TableScope): string {
  const parts: string[] = [];
  if (scope.filter) parts.push(`the FILTER chip (${scope.filter})`);
  if (scope.from || scope.to) parts.push('the TIME chip');
  if (scope.findingId !== undefined) parts.push(`the EVIDENCE chip (finding #${scope.findingId})`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * `noun`: "conversations" or "endpoints". `packetsEmpty`: why the packet scope itself is empty (the
 * packet list's explanation), when it is.
 */
export function tableEmptyText(noun: string, search: string, scope: TableScope, packetsEmpty: EmptyExplanation | null): string {
  const q = search.trim();
  const chips = scopeChipsText(scope);
  if (q) return `No ${noun} match “${q}”${chips ? ` within ${chips}` : ''}: clear the search box${chips ? ' or remove a chip' : ''}.`;
  if (!chips) return `No ${noun} in this case yet: open a capture, or wait for indexing to finish.`;
  if (packetsEmpty) return `No ${noun}, as the scope holds ${packetsEmpty.message} Scope: ${chips}.`;
  return `No ${noun} in the scope: its packets (${chips}) belong to no ${noun === 'endpoints' ? 'IP or MAC endpoint' : 'conversation (e.g. ARP or other non-IP traffic)'} — remove a chip to see more.`;
}
