/**
 * Checks every browser-mode request passes before it reaches a handler. The server only listens
 * on 127.0.0.1, but a web page the user visits can still reach it: DNS rebinding (a hostile name
 * resolving to 127.0.0.1) is stopped by the Host check, cross-site requests by the Origin check,
 * and anything else by the per-run token, which only the URL we printed carries.
 */
import crypto from 'node:crypto';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Host must be exactly 127.0.0.1:PORT or localhost:PORT. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** An absent Origin is fine (same-origin GETs, curl); a present one must be ours. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(given: string | string[] | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
