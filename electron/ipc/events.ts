/**
 * Typed main → renderer pushes. The session emits here; each transport (Electron webContents,
 * browser-mode WebSocket) subscribes once with `onAny` and forwards to its clients.
 *
 * The event table is the one list of events: `Events`, `EventName` and `EVENT_NAMES` (which the
 * preload is handed at window creation) derive from it. To add an event: one entry here.
 */
import type { IngestDone, IngestProgress } from '../model/ingest-progress';
import type { PacketLink } from '../../renderer/src/lib/packet-link';

declare const payloadType: unique symbol;
/** An event's payload type, carried as a type only. */
interface EventSpec<P> { readonly [payloadType]?: P }
const payload = <P>(): EventSpec<P> => ({});

export const EVENT_TABLE = {
  'ingest.progress': payload<IngestProgress>(),
  'ingest.done': payload<IngestDone>(),
  /** The open case changed (new case opened, captures added, findings recomputed): refetch. */
  'case.changed': payload<{ casePath: string }>(),
  /** A menu command from the desktop shell, e.g. 'open-capture', 'find', 'goto', 'export-report'. */
  'menu.command': payload<{ command: string }>(),
  /** A flowcase://packet/N?case=ID link the desktop shell received and checked (renderer/src/lib/packet-link.ts). */
  'link.packet': payload<PacketLink>(),
};

type EventTable = typeof EVENT_TABLE;
/** Main → renderer pushes: name → payload. */
export type Events = { [E in keyof EventTable]: EventTable[E] extends EventSpec<infer P> ? P : never };
export type EventName = keyof Events;

export const EVENT_NAMES = Object.keys(EVENT_TABLE) as EventName[];

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
