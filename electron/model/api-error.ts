/**
 * Errors a user sees, shared by every stage: the error-code table, the ApiError shape that crosses
 * either transport, and ApiFailure, the one error type code throws on purpose to answer with a
 * specific ApiError. (ipc/api-failure.ts maps everything else that escapes a handler.)
 */

/**
 * The error codes, once: each with the HTTP status browser mode answers with. `ApiError['code']`
 * derives from this table; the renderer's list (renderer/src/lib/transport.ts) is checked against
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
