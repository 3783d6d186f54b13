/**
 * The only bridge between the sandboxed renderer and the main process. It exposes one named
 * method per contract channel (each invokes exactly its own channel), a subscription limited to
 * the known event names, the native capture dialog and the dropped-file → path lookup.
 * `ipcRenderer` itself is never exposed, so a compromised page cannot reach other channels.
 *
 * Sandboxed preloads may only require 'electron', so the channel and event names come from the
 * main process on the preload's command line (electron/main/ipc-names.ts#preloadArguments), which
 * takes them from the channel and event tables.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiError, Channel, EventName, Events, PreloadApi } from '../ipc/contract';

// Copies of electron/main/ipc-names.ts (see the note there).
const EVENT_CHANNEL_PREFIX = 'flowcase:event:';
const CHOOSE_CAPTURES_CHANNEL = 'flowcase:choose-captures';
const DROP_HANDLE_CHANNEL = 'flowcase:drop-handle';
const CHANNELS_ARG = '--flowcase-channels=';
const EVENTS_ARG = '--flowcase-events=';

/** A comma-separated list the main process passed as `<prefix>a,b,c`. */
function namesFromArgv(prefix: string): string[] {
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return arg ? arg.slice(prefix.length).split(',').filter((name) => name.length > 0) : [];
}

const CHANNELS = namesFromArgv(CHANNELS_ARG) as Channel[];
const EVENTS: ReadonlySet<string> = new Set(namesFromArgv(EVENTS_ARG));

type Envelope = { ok: true; result: unknown } | { ok: false; error: ApiError };

function method(channel: Channel) {
  return async (args: unknown): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(channel, args ?? {})) as Envelope;
    if (reply && reply.ok) return reply.result;
    // Rejects with a plain ApiError object, the same shape browser mode gets in its HTTP body.
    throw reply && !reply.ok ? reply.error : { code: 'internal', message: `no reply from ${channel}` };
  };
}

const methods = Object.fromEntries(CHANNELS.map((c) => [c, method(c)]));

const api = {
  ...methods,
  transport: 'electron',
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!EVENTS.has(event)) throw new Error(`unknown event '${String(event)}'`);
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
    // The page gets a handle the main process issued for it, never the path itself.
    const dropped = webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
    return dropped ? (ipcRenderer.sendSync(DROP_HANDLE_CHANNEL, dropped) as string) : '';
  },
} as unknown as PreloadApi;

contextBridge.exposeInMainWorld('flowcase', api);
