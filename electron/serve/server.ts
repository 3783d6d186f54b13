/**
 * Browser mode: the same handler table as the desktop app, served over HTTP + WebSocket on
 * 127.0.0.1 only. Wire format (agreed with renderer/src/lib/api.ts):
 *   POST /api/<channel>   JSON args → 200 JSON result, or 4xx/5xx with an ApiError JSON body
 *   header X-Flowcase-Token: <token> on every /api request
 *   WS   /api/events?token=<token>  → {event, payload} JSON messages
 *   POST /api/upload?name=<file>    raw capture bytes → { jobId, path }
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { ApiFailure, httpStatusFor, toApiError, type ApiError } from '../ipc/api-failure';
import { createHandlers, invoke, type Handlers } from '../ipc/handlers';
import { isChannel } from '../ipc/channels';
import { CaseSession, caseHasCapture } from '../session/case-session';
import { privateFolder } from '../session/data-folder';
import { hostAllowed, newToken, originAllowed, tokenMatches } from './request-guards';
import { cacheControlFor, contentTypeFor, defaultRendererDir, headerCsp, rendererCsp, resolveStatic, securityHeaders } from './static-files';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_TOTAL_BYTES, drainRequest, receiveUpload, type UploadBudget } from './upload';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const TOKEN_HEADER = 'x-flowcase-token';

export interface ServeOptions {
  /** Case to open (created when it does not exist). */
  casePath?: string;
  /** Captures to index into the case in the background (ones already in it are skipped). */
  capturePaths?: string[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only 127.0.0.1 is accepted: browser mode is for the local user only. */
  host?: '127.0.0.1';
  rendererDir?: string;
  maxUploadBytes?: number;
  /** Total bytes all uploads of this run may take (default 16 GiB). */
  maxUploadTotalBytes?: number;
  /** Reuse a session (tests); otherwise one is created. */
  session?: CaseSession;
  /** Run detectors after indexing (default true). */
  detect?: boolean;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  session: CaseSession;
  /** Job ids started for `capturePaths`. */
  jobIds: number[];
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) { res.destroy(); return; }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, error);
}

/**
 * Buffer a JSON body up to `limit`. Past the limit the rest is drained, not buffered, so the
 * client still receives the 413 instead of a reset connection.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (n: string) => new ApiFailure('bad-argument', `request body is ${n}; the limit is ${limit} bytes`).withStatus(413);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      void drainRequest(req).then(() => reject(tooLarge(`${declared} bytes`)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => (size > limit ? reject(tooLarge(`over ${size} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Refuse a WebSocket upgrade with a plain HTTP status (the ws handshake never starts). */
function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  socket.destroy();
}

/** A request URL's path (still percent-encoded) and its query. */
function splitUrl(raw: string): { rawPath: string; query: URLSearchParams } {
  const queryAt = raw.indexOf('?');
  return {
    rawPath: queryAt < 0 ? raw : raw.slice(0, queryAt),
    query: new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1)),
  };
}

export async function startServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`browser mode only listens on 127.0.0.1 (asked for ${String(host)})`);
  const session = opts.session ?? new CaseSession({ detect: opts.detect });
  const handlers: Handlers = createHandlers(session);
  const token = newToken();
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const uploadBudget: UploadBudget = { used: 0, limit: opts.maxUploadTotalBytes ?? DEFAULT_MAX_UPLOAD_TOTAL_BYTES };
  let port = 0;
  // Read once per request for index.html so a rebuilt renderer is picked up without a restart.
  const csp = () => headerCsp(rendererCsp(rendererDir));

  if (opts.casePath) session.open(opts.casePath, { create: true });
  const jobIds: number[] = [];
  const toIndex = (opts.capturePaths ?? []).filter((capturePath) => !(session.casePath && caseHasCapture(session.casePath, capturePath)));
  if (toIndex.length) jobIds.push(session.importCaptures(toIndex));

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, route: string, query: URLSearchParams): Promise<void> {
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
      sendError(res, 401, { code: 'bad-argument', message: 'missing or wrong X-Flowcase-Token: open the URL that `flowcase serve` printed' });
      return;
    }
    if (route === 'events') {
      sendError(res, 426, { code: 'bad-argument', message: '/api/events is a WebSocket endpoint' });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendError(res, 405, { code: 'bad-argument', message: `use POST for /api/${route.slice(0, 60)}` });
      return;
    }
    if (route === 'upload') {
      const dir = session.casePath
        ? path.join(path.dirname(session.casePath), `${path.basename(session.casePath, '.flowcase')}-uploads`)
        : privateFolder('uploads');
      const file = await receiveUpload(req, dir, query.get('name') ?? '', maxUpload, uploadBudget);
      let jobId: number;
      try {
        jobId = session.importCaptures([file]);
      } catch (err) {
        fs.rmSync(file, { force: true });
        throw err;
      }
      // An upload whose import fails (not a capture, a duplicate, unreadable) is removed: the
      // case keeps no trace of it and the disk no copy.
      const stop = session.events.on('ingest.done', (done) => {
        if (done.jobId !== jobId) return;
        stop();
        if (!done.ok && done.packets === 0) fs.rmSync(file, { force: true });
      });
      sendJson(res, 200, { jobId, path: file });
      return;
    }
    if (!isChannel(route)) {
      sendError(res, 404, { code: 'not-found', message: `unknown channel '${route.slice(0, 60)}'` });
      return;
    }
    const body = await readBody(req, MAX_JSON_BODY_BYTES);
    let args: unknown = {};
    if (body.length > 0) {
      try {
        args = JSON.parse(body.toString('utf8'));
      } catch {
        sendError(res, 400, { code: 'bad-argument', message: `${route}: request body is not valid JSON` });
        return;
      }
    }
    const out = await invoke(handlers, route, args);
    if (out.ok) sendJson(res, 200, out.result);
    else sendError(res, httpStatusFor(out.error.code), out.error);
  }

  function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('method not allowed');
      return;
    }
    const found = resolveStatic(rendererDir, rawPath);
    if (!found.ok) {
      const notBuilt = found.status === 404 && (rawPath === '/' || rawPath === '/index.html');
      res.writeHead(notBuilt ? 503 : found.status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
      res.end(notBuilt ? `The renderer is not built (${rendererDir}/index.html is missing): run npm run build:renderer` : found.reason);
      return;
    }
    // The file can vanish or fail between the lookup and the read (a rebuild, a removed renderer):
    // answer 404/500, never let the error escape and stop the server.
    let fd: number;
    let st: fs.Stats;
    try {
      fd = fs.openSync(found.file, 'r');
      st = fs.fstatSync(fd);
    } catch {
      sendText(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      ...securityHeaders(csp()),
      'Content-Type': contentTypeFor(found.file),
      'Content-Length': st.size,
      'Cache-Control': cacheControlFor(rawPath, found.isIndex),
    });
    if (req.method === 'HEAD') { fs.closeSync(fd); res.end(); return; }
    const stream = fs.createReadStream('', { fd, autoClose: true });
    stream.on('error', () => {
      if (!res.headersSent) sendText(res, 500, 'read error');
      else res.destroy();
    });
    stream.pipe(res);
  }

  const server = http.createServer((req, res) => {
    // A client that resets mid-request must cost its own request only.
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('forbidden: unexpected Host header (only 127.0.0.1 and localhost are served)');
      return;
    }
    if (!originAllowed(req.headers.origin, port)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end('forbidden: cross-origin request');
      return;
    }
    const { rawPath, query } = splitUrl(req.url ?? '/');
    if (rawPath === '/api' || rawPath.startsWith('/api/')) {
      handleApi(req, res, rawPath.slice('/api/'.length), query).catch((err: unknown) => {
        const apiError = toApiError(err);
        const status = err instanceof ApiFailure && err.httpStatus ? err.httpStatus : httpStatusFor(apiError.code);
        if (!res.headersSent) sendError(res, status, apiError);
        else res.destroy();
      });
      return;
    }
    handleStatic(req, res, rawPath);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const { rawPath, query } = splitUrl(req.url ?? '');
    if (!hostAllowed(req.headers.host, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!originAllowed(req.headers.origin, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (rawPath !== '/api/events') return refuseUpgrade(socket, 404, 'Not Found');
    if (!tokenMatches(query.get('token'), token)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('error', () => { /* per-socket errors are handled on each socket */ });
  wss.on('connection', (ws) => {
    // An oversized frame (> maxPayload), invalid UTF-8 or a protocol error is this client's
    // problem: drop its socket, never the server (ws emits 'error', which would otherwise throw).
    ws.on('error', () => ws.terminate());
    // A page that connects mid-job (e.g. `serve capture.pcap` indexing before the tab opened) sees where it is.
    for (const progress of session.jobs.snapshot()) ws.send(JSON.stringify({ event: 'ingest.progress', payload: progress }));
    ws.on('message', () => { /* the channel is push-only; requests go over POST */ });
  });
  const unsubscribe = session.events.onAny((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;

  let closed: Promise<void> | null = null;
  return {
    url, token, port, session, jobIds,
    close() {
      closed ??= (async () => {
        unsubscribe();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (!opts.session) await session.close();
      })();
      return closed;
    },
  };
}
