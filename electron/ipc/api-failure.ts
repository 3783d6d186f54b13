/**
 * Errors at the boundary: an ApiFailure (model/api-error.ts) carries its ApiError verbatim to
 * either transport; anything else that escapes a handler is reported as 'internal' without its
 * stack, because the renderer is not trusted with file paths from deep inside the service.
 */
import { ApiFailure, ERROR_CODES, type ApiError, type ErrorCode } from '../model/api-error';

export { ApiFailure, ERROR_CODES, type ApiError, type ErrorCode };

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
