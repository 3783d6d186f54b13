/**
 * The only module that touches the transport.
 *
 * Electron: the preload exposes `window.flowcase` (PreloadApi): one method per channel.
 * Browser mode (`flowcase serve`): POST /api/<channel> with a JSON body and the session token
 * in X-Flowcase-Token; push events over the WebSocket /api/events?token=…; uploads with
 * POST /api/upload?name=<file> (raw body). The token arrives once in the page URL (?token=),
 * is kept in sessionStorage and removed from the visible URL.
 */
import type { ApiError, ArgsOf, Channel, EventName, Events, PreloadApi, ResultOf } from '../../../electron/ipc/contract.js';
import { ApiCallError, asApiError, toCallError, type Transport } from './transport.js';

export { ApiCallError, toCallError } from './transport.js';

// ---------------------------------------------------------------- Electron

function electronTransport(p: PreloadApi): Transport {
  return {
    kind: 'electron',
    async call(channel, args) {
      const fn = p[channel] as (a: typeof args) => Promise<ResultOf<typeof channel>>;
      try {
        return await fn(args);
      } catch (e) {
        throw toCallError(e);
      }
    },
    on: (event, listener) => p.on(event, listener),
    chooseCaptures: () => p.chooseCaptures(),
    pathForFile: (file) => (typeof p.pathForFile === 'function' ? p.pathForFile(file) || null : null),
  };
}

// ---------------------------------------------------------------- Browser mode

const TOKEN_KEY = 'flowcase.token';

function takeToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function errorFrom(res: Response): Promise<ApiCallError> {
  let body: unknown = null;
  const text = await res.text().catch(() => '');
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  const e = asApiError(body);
  if (e) return new ApiCallError(e);
  const code: ApiError['code'] = res.status === 404 ? 'not-found' : res.status === 400 ? 'bad-argument' : 'internal';
  const hint = res.status === 401 || res.status === 403 ? ' — reopen the link printed by `flowcase serve` (it carries the session token)' : '';
  return new ApiCallError({ code, message: `${res.status} ${res.statusText || 'error'}${text && !e ? `: ${text.slice(0, 200)}` : ''}${hint}` });
}

function browserTransport(): Transport {
  const token = takeToken();
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retry = 500;

  const connect = () => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(`${proto}//${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (ev) => {
      let msg: unknown;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : '');
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const { event, payload } = msg as { event?: unknown; payload?: unknown };
      if (typeof event !== 'string') return;
      for (const l of listeners.get(event as EventName) ?? []) l(payload);
    };
    socket.onclose = () => {
      socket = null;
      // The server may restart or the laptop may sleep: reconnect with backoff.
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  connect();

  const headers = { 'Content-Type': 'application/json', 'X-Flowcase-Token': token };

  return {
    kind: 'browser',
    async call(channel, args) {
      let res: Response;
      try {
        res = await fetch(`/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(args ?? {}) });
      } catch {
        throw new ApiCallError({ code: 'internal', message: `Cannot reach the Flowcase server (${channel}). Is \`flowcase serve\` still running?` });
      }
      if (!res.ok) throw await errorFrom(res);
      return (await res.json()) as ResultOf<typeof channel>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    async upload(file) {
      let res: Response;
      try {
        res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream', 'X-Flowcase-Token': token },
          body: file,
        });
      } catch {
        throw new ApiCallError({ code: 'internal', message: `Upload of ${file.name} failed: the server is not reachable.` });
      }
      if (!res.ok) throw await errorFrom(res);
      return (await res.json()) as { jobId: number };
    },
  };
}

// ---------------------------------------------------------------- Selection

let transport: Transport | null = null;

/** Picks the transport once at start-up. `?mock` loads the dev-only mock (never in a production build). */
export async function connectApi(): Promise<Transport> {
  if (transport) return transport;
  const w = window as unknown as { flowcase?: PreloadApi };
  if (w.flowcase && w.flowcase.transport === 'electron') {
    transport = electronTransport(w.flowcase);
  } else if (import.meta.env.DEV && new URLSearchParams(location.search).has('mock')) {
    const mock = await import('../dev/mock-transport.js');
    transport = mock.createMockTransport();
  } else {
    transport = browserTransport();
  }
  return transport;
}

function current(): Transport {
  if (!transport) throw new Error('connectApi() has not run');
  return transport;
}

export function call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
  return current().call(channel, args);
}

export function onEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return current().on(event, listener);
}

export function canChooseNatively(): boolean {
  return typeof current().chooseCaptures === 'function';
}

export function chooseCaptures(): Promise<string[]> {
  const t = current();
  return t.chooseCaptures ? t.chooseCaptures() : Promise.resolve([]);
}

export function uploadCapture(file: File): Promise<{ jobId: number }> {
  const t = current();
  if (!t.upload) return Promise.reject(new ApiCallError({ code: 'bad-argument', message: 'Uploading is only available in browser mode.' }));
  return t.upload(file);
}

export function pathForFile(file: File): string | null {
  return current().pathForFile?.(file) ?? null;
}
