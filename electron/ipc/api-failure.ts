/**
 * Errors that cross the boundary: the error-code table, the ApiError shape, and ApiFailure, the one
 * error type handlers throw on purpose. ApiFailure carries an ApiError verbatim to either
 * transport; anything else that escapes a handler is reported as 'internal' without its stack,
 * because the renderer is not trusted with file paths from deep inside the service.
 */

/**
 * The error codes, once: each with the HTTP status browser mode answers with. `ApiError['code']`
 * derives from this table; the renderer's list (renderer/src/lib/api-error.ts) is checked against
 * it by the compiler. To add a code: one entry here.
 */
export const ERROR_CODES = {
  'bad-argument': { httpStatus: 400 },
  'not-found': { httpStatus: 404 },
  'bad-filter': { httpStatus: 400 },
  'source-missing': { httpStatus: 409 },
  'source-changed': { httpStatus: 409 },
  'busy': { httpStatus: 409 },
  'internal': { httpStatus: 500 },
} as const satisfies Record<string, { httpStatus: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Errors carried over either transport. `code` lets the UI choose how to show it. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  position?: number;
}

/** What a handler throws to answer with a specific ApiError. */
export class ApiFailure extends Error {
  readonly api: ApiError;
  /** Browser mode only: an HTTP status more precise than the code's default (e.g. 413). */
  httpStatus?: number;

  constructor(code: ErrorCode, message: string, position?: number) {
    super(message);
    this.name = 'ApiFailure';
    this.api = position === undefined ? { code, message } : { code, message, position };
  }

  withStatus(status: number): this {
    this.httpStatus = status;
    return this;
  }
}

/** Map anything thrown by a handler to the ApiError that crosses the boundary. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.api;
  // The display-filter module throws FilterError (name + numeric position); match it by shape so
  // this file does not depend on the filter implementation.
  if (err instanceof Error && err.name === 'FilterError' && typeof (err as { position?: unknown }).position === 'number') {
    return { code: 'bad-filter', message: err.message, position: (err as unknown as { position: number }).position };
  }
  // packet-query's own argument checks (a second line of defence behind validate.ts).
  if (err instanceof Error && err.name === 'QueryArgumentError') return { code: 'bad-argument', message: err.message };
  // The annotation store's refusals (db/annotation-store.ts) carry their own code.
  if (err instanceof Error && err.name === 'AnnotationError') {
    const code = (err as Error & { code?: string }).code === 'not-found' ? 'not-found' : 'bad-argument';
    return { code, message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Internal error: ${message}` };
}

/** HTTP status for each ApiError code (browser mode). */
export function httpStatusFor(code: ErrorCode): number {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code) ? ERROR_CODES[code].httpStatus : 500;
}
