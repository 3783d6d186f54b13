/**
 * Typed main → renderer pushes. The session emits here; each transport (Electron webContents,
 * browser-mode WebSocket) subscribes once with `onAny` and forwards to its clients.
 */
import type { EventName, Events } from './contract';

export const EVENT_NAMES = ['ingest.progress', 'ingest.done', 'case.changed', 'menu.command'] as const satisfies readonly EventName[];

type Listener<E extends EventName> = (payload: Events[E]) => void;
type AnyListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventHub {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<AnyListener>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => { set.delete(listener as (payload: never) => void); };
  }

  onAny(listener: AnyListener): () => void {
    this.anyListeners.add(listener);
    return () => { this.anyListeners.delete(listener); };
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    // A failing subscriber (e.g. a closed socket) must not stop the others or the emitter.
    for (const l of this.listeners.get(event) ?? []) {
      try { (l as Listener<E>)(payload); } catch { /* subscriber's problem */ }
    }
    for (const l of this.anyListeners) {
      try { l(event, payload); } catch { /* subscriber's problem */ }
    }
  }
}

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
