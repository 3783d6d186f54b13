/**
 * The only bridge between the sandboxed renderer and the main process. It exposes one named
 * method per contract channel (each invokes exactly its own channel), a subscription limited to
 * the known event names, the native capture dialog and the dropped-file → path lookup.
 * `ipcRenderer` itself is never exposed, so a compromised page cannot reach other channels.
 *
 * Sandboxed preloads may only require 'electron', so the channel and event tables are written
 * out here; `satisfies Record<…, true>` makes a missing or unknown name a compile error.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiError, Channel, EventName, Events, PreloadApi } from '../ipc/contract';

const CHANNEL_TABLE = {
  'case.overview': true, 'capture.import': true, 'capture.cancel': true, 'capture.relocate': true, 'filter.check': true,
  'packets.page': true, 'packets.count': true, 'packets.locate': true, 'packet.detail': true, 'timeline.get': true,
  'flows.list': true, 'hosts.list': true, 'findings.list': true, 'findings.get': true, 'report.export': true,
} as const satisfies Record<Channel, true>;

const EVENT_TABLE = {
  'ingest.progress': true, 'ingest.done': true, 'case.changed': true, 'menu.command': true,
} as const satisfies Record<EventName, true>;

// Copies of electron/main/ipc-names.ts (see the note there).
const EVENT_CHANNEL_PREFIX = 'flowcase:event:';
const CHOOSE_CAPTURES_CHANNEL = 'flowcase:choose-captures';

type Envelope = { ok: true; result: unknown } | { ok: false; error: ApiError };

function method(channel: Channel) {
  return async (args: unknown): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(channel, args ?? {})) as Envelope;
    if (reply && reply.ok) return reply.result;
    // Rejects with a plain ApiError object, the same shape browser mode gets in its HTTP body.
    throw reply && !reply.ok ? reply.error : { code: 'internal', message: `no reply from ${channel}` };
  };
}

const methods = Object.fromEntries((Object.keys(CHANNEL_TABLE) as Channel[]).map((c) => [c, method(c)]));

const api = {
  ...methods,
  transport: 'electron',
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(EVENT_TABLE, event)) throw new Error(`unknown event '${String(event)}'`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    const channel = EVENT_CHANNEL_PREFIX + event;
    // The IpcRendererEvent (which exposes sender internals) is dropped; the page gets the payload only.
    const wrapped = (_e: unknown, payload: Events[E]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => { ipcRenderer.removeListener(channel, wrapped); };
  },
  chooseCaptures(): Promise<string[]> {
    return ipcRenderer.invoke(CHOOSE_CAPTURES_CHANNEL) as Promise<string[]>;
  },
  pathForFile(file: object): string {
    // With sandbox on, File.path is gone; webUtils is the supported way to learn a dropped file's path.
    return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
  },
} as unknown as PreloadApi;

contextBridge.exposeInMainWorld('flowcase', api);
