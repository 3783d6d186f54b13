/**
 * Static files of the built renderer (dist/renderer), for browser mode and for the Electron
 * app:// protocol. Paths are checked segment by segment on the *raw* request path, so `..`,
 * `%2e%2e`, encoded slashes and NUL bytes are refused before anything touches the file system.
 */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** dist/renderer, seen from dist/electron/serve/. */
export function defaultRendererDir(): string {
  return path.resolve(__dirname, '..', '..', 'renderer');
}

export type StaticLookup =
  | { ok: true; file: string; isIndex: boolean }
  | { ok: false; status: 400 | 404; reason: string };

/**
 * Map a raw request path (without the query string) to a file under `root`.
 * '/' is index.html. Refuses traversal outright instead of normalising it away.
 */
export function resolveStatic(root: string, rawPath: string): StaticLookup {
  if (!rawPath.startsWith('/')) return { ok: false, status: 400, reason: 'request path must start with /' };
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding in path' };
    }
    if (seg === '..' || seg === '.' || /[\\/\0]/.test(seg) || seg.includes(':')) {
      return { ok: false, status: 400, reason: 'path traversal refused' };
    }
    if (seg !== '') segments.push(seg);
  }
  // Dot-files (e.g. .DS_Store, .vite) are never part of the app.
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404, reason: 'not found' };
  const isIndex = segments.length === 0 || (segments.length === 1 && segments[0] === 'index.html');
  const rootAbs = path.resolve(root);
  const file = isIndex ? path.join(rootAbs, 'index.html') : path.join(rootAbs, ...segments);
  // Belt and braces: the joined path must still be inside the root, symlinks included.
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return { ok: false, status: 400, reason: 'path traversal refused' };
  let real: string;
  try {
    real = fs.realpathSync(file);
    const realRoot = fs.realpathSync(rootAbs);
    if (!real.startsWith(realRoot + path.sep)) return { ok: false, status: 404, reason: 'not found' };
    if (!fs.statSync(real).isFile()) return { ok: false, status: 404, reason: 'not found' };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  return { ok: true, file: real, isIndex };
}

/** Used when the renderer's index.html has no CSP meta tag (it should). */
export const FALLBACK_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The CSP from the renderer's `<meta http-equiv="Content-Security-Policy">`, so header and meta agree. */
export function rendererCsp(root: string): string {
  let html: string;
  try {
    html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  } catch {
    return FALLBACK_CSP;
  }
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?content-security-policy["']?/i.test(tag)) continue;
    const m = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const value = (m?.[1] ?? m?.[2] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
    if (value) return value;
  }
  return FALLBACK_CSP;
}

/** The header form adds what a meta tag cannot express (frame-ancestors is ignored in <meta>). */
export function headerCsp(metaCsp: string): string {
  return /frame-ancestors/.test(metaCsp) ? metaCsp : `${metaCsp.replace(/;\s*$/, '')}; frame-ancestors 'none'`;
}

/** Headers sent with every static response. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** index.html is never cached (it names the current asset hashes); hashed assets may be. */
export function cacheControlFor(rawPath: string, isIndex: boolean): string {
  if (isIndex) return 'no-store';
  return rawPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}
