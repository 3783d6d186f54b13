/**
 * What a transport is (Electron preload, browser mode, the dev mock) and the error its calls
 * reject with. Kept apart from api.ts so the dev mock and api.ts both depend on it without
 * depending on each other.
 */
import type { ApiError, ArgsOf, Channel, ErrorCode, EventName, Events, ResultOf } from '../../../electron/ipc/contract.js';

export type TransportKind = 'electron' | 'browser' | 'mock';

export interface Transport {
  readonly kind: TransportKind;
  call<C extends Channel>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Native file dialog (Electron). */
  chooseCaptures?(): Promise<string[]>;
  /** Sends a local file's bytes to the server, which starts an import job (browser mode). */
  upload?(file: File): Promise<{ jobId: number }>;
  /** The local path of a dropped file (Electron), when the shell can tell. */
  pathForFile?(file: File): string | null;
}

/** A failed call, carrying the ApiError fields so the UI can decide how to show it. */
export class ApiCallError extends Error implements ApiError {
  readonly code: ApiError['code'];
  readonly position?: number;
  constructor(err: ApiError) {
    super(err.message);
    this.name = 'ApiCallError';
    this.code = err.code;
    if (typeof err.position === 'number') this.position = err.position;
  }
}

/**
 * The error codes the service sends (electron/model/api-error.ts#ERROR_CODES). The renderer may
 * import only types from electron/, so this is a copy the compiler keeps complete: a code missing
 * here or unknown there fails the build.
 */
const CODES = {
  'bad-argument': true, 'not-found': true, 'bad-filter': true, 'source-missing': true, 'source-changed': true, 'busy': true, 'internal': true,
} as const satisfies Record<ErrorCode, true>;

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(CODES, code);
}

export function asApiError(v: unknown): ApiError | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.code !== 'string' || !isErrorCode(o.code) || typeof o.message !== 'string') return null;
  const e: ApiError = { code: o.code, message: o.message };
  if (typeof o.position === 'number') e.position = o.position;
  return e;
}

/**
 * Any rejection of a call, as an ApiCallError. Electron's ipcRenderer.invoke rejects with a plain
 * Error whose message wraps the handler's error ("Error invoking remote method 'x': …"). Accept an
 * ApiError shaped object, or an ApiError JSON embedded in the message, and fall back to 'internal'.
 */
export function toCallError(err: unknown): ApiCallError {
  if (err instanceof ApiCallError) return err;
  const direct = asApiError(err);
  if (direct) return new ApiCallError(direct);
  const message = err instanceof Error ? err.message : String(err);
  const brace = message.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed = asApiError(JSON.parse(message.slice(brace)));
      if (parsed) return new ApiCallError(parsed);
    } catch {
      // not JSON: use the text
    }
  }
  const clean = message.replace(/^Error invoking remote method '[^']*':\s*(Error:\s*)?/, '');
  return new ApiCallError({ code: 'internal', message: clean || 'The request failed.' });
}
