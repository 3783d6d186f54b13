/**
 * The renderer never names a file by path: the main process hands it opaque handles for files the
 * user chose in the open dialog or dropped on the window, and resolves them when the renderer asks
 * to import or relocate. A compromised renderer can therefore not probe arbitrary paths (existence,
 * size, SHA-256, first bytes) through capture.import / capture.relocate.
 * Plain Node (no electron import), so it is tested directly.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { ApiFailure } from '../ipc/api-failure';
import type { Handlers } from '../ipc/handlers';

const PREFIX = 'fh:';
const MAX_HANDLES = 10_000;

export class FileHandles {
  private readonly paths = new Map<string, string>();

  /** A handle for `file`: "fh:<random>:<file name>" (the name only for display). */
  issue(file: string): string {
    if (this.paths.size >= MAX_HANDLES) this.paths.delete(this.paths.keys().next().value as string);
    const handle = `${PREFIX}${crypto.randomBytes(16).toString('hex')}:${path.basename(file)}`;
    this.paths.set(handle, path.resolve(file));
    return handle;
  }

  /** The path behind a handle this process issued; anything else is refused. */
  resolve(handle: unknown): string {
    const file = typeof handle === 'string' ? this.paths.get(handle) : undefined;
    if (!file) throw new ApiFailure('bad-argument', 'files are named through Open capture… or by dropping them on the window; this is not a file handle Flowcase issued');
    return file;
  }
}

/** Wrap the two handlers that take paths so they accept only handles. */
export function withFileHandles(handlers: Handlers, handles: FileHandles): Handlers {
  type Loose = (args: unknown) => Promise<unknown>;
  const wrapped = { ...handlers };
  const imp = handlers['capture.import'] as Loose | undefined;
  const rel = handlers['capture.relocate'] as Loose | undefined;
  if (imp) (wrapped as Record<string, unknown>)['capture.import'] = async (args: unknown) => {
    const a = args as { paths?: unknown };
    if (!a || !Array.isArray(a.paths)) return imp(args);
    return imp({ ...a, paths: a.paths.map((h) => handles.resolve(h)) });
  };
  if (rel) (wrapped as Record<string, unknown>)['capture.relocate'] = async (args: unknown) => {
    const a = args as { path?: unknown };
    if (!a || typeof a.path !== 'string') return rel(args);
    return rel({ ...a, path: handles.resolve(a.path) });
  };
  return wrapped;
}

/** The desktop app has no WebSocket: browser mode's ws://127.0.0.1:* allowance is dropped from its CSP. */
export function desktopCsp(csp: string): string {
  return csp.split(';').map((d) => d.trim()).filter(Boolean).map((directive) => {
    const [name, ...sources] = directive.split(/\s+/);
    if (name !== 'connect-src') return directive;
    const kept = sources.filter((s) => !/^wss?:/i.test(s));
    return [name, ...(kept.length ? kept : ["'self'"])].join(' ');
  }).join('; ');
}
