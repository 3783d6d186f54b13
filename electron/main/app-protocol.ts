/**
 * Serves the built renderer from app://flowcase/ instead of file://, so the page has a real
 * origin (IPC sender checks compare against it), file:// keeps no special powers, and every
 * response carries the same CSP and security headers as browser mode.
 */
import fs from 'node:fs';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './ipc-names';
import { desktopCsp } from './file-handles';
import { cacheControlFor, contentTypeFor, headerCsp, rendererCsp, resolveStatic, securityHeaders } from '../serve/static-files';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(rendererDir: string): string {
  const csp = desktopCsp(headerCsp(rendererCsp(rendererDir)));
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const found = resolveStatic(rendererDir, url.pathname);
    if (!found.ok) return new Response(found.reason, { status: found.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const body = await fs.promises.readFile(found.file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: { ...securityHeaders(csp), 'Content-Type': contentTypeFor(found.file), 'Cache-Control': cacheControlFor(url.pathname, found.isIndex) },
    });
  });
  return csp;
}
