/**
 * Display-filter strings built by the UI ("Filter on this conversation/endpoint"), and the
 * filter history kept in localStorage (the storage is passed in, so this stays testable).
 */
import type { FlowRow } from '../../../electron/ipc/contract';

function addrField(addr: string): string {
  return addr.includes(':') ? 'ipv6.addr' : 'ip.addr';
}

/** Quotes a value only when the filter language would otherwise misread it. */
function value(v: string): string {
  return /^[0-9A-Za-z.:_-]+$/.test(v) ? v : JSON.stringify(v);
}

/** The fields of a conversations row that identify it. */
export type ConversationKey = Pick<FlowRow, 'proto' | 'ipProto' | 'src' | 'sport' | 'dst' | 'dport'>;

/** `ip.addr == A && ip.addr == B && tcp.port == X && tcp.port == Y` (ports only for TCP/UDP/SCTP). */
export function conversationFilter(c: ConversationKey): string {
  const parts = [`${addrField(c.src)} == ${value(c.src)}`, `${addrField(c.dst)} == ${value(c.dst)}`];
  const l4 = c.ipProto === 6 ? 'tcp' : c.ipProto === 17 ? 'udp' : c.ipProto === 132 ? 'sctp' : null;
  if (l4 && c.sport >= 0 && c.dport >= 0) {
    parts.push(`${l4}.port == ${c.sport}`, `${l4}.port == ${c.dport}`);
  } else if (!l4) {
    const p = c.ipProto === 1 ? 'icmp' : c.ipProto === 58 ? 'icmpv6' : null;
    if (p) parts.push(p);
  }
  return parts.join(' && ');
}

export function endpointFilter(addr: string): string {
  return `${addrField(addr)} == ${value(addr)}`;
}

export const HISTORY_KEY = 'flowcase.filterHistory';
export const HISTORY_MAX = 30;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadHistory(store: KeyValueStore | null): string[] {
  if (!store) return [];
  try {
    const v: unknown = JSON.parse(store.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_MAX) : [];
  } catch {
    return [];
  }
}

/** Most recent first, no duplicates, bounded. */
export function pushHistory(history: readonly string[], filter: string): string[] {
  const f = filter.trim();
  if (!f) return history.slice();
  return [f, ...history.filter((h) => h !== f)].slice(0, HISTORY_MAX);
}

export function saveHistory(store: KeyValueStore | null, history: readonly string[]): void {
  try {
    store?.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    // Storage full or disabled: history is a convenience, not worth an error.
  }
}
