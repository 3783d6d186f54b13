/**
 * POST /api/upload?name=<file>: browser mode has no native file dialog, so the page streams a
 * capture here. It is written (never buffered whole) into an uploads folder beside the case,
 * under a sanitised name that cannot escape that folder, then imported like any other capture.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ApiFailure } from '../ipc/api-failure';

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3; // 4 GiB

/** Keep letters, digits, dot, dash, underscore; drop any directory part. */
export function safeUploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 120);
  if (!cleaned || !/[A-Za-z0-9]/.test(cleaned)) throw new ApiFailure('bad-argument', `upload: '${name.slice(0, 60)}' is not a usable file name`);
  return cleaned;
}

/** Uploads of one server run share a total budget, so a page cannot fill the disk one upload at a time. */
export interface UploadBudget { used: number; limit: number }
export const DEFAULT_MAX_UPLOAD_TOTAL_BYTES = 16 * 1024 ** 3; // 16 GiB per run

/** Make `dir` (0700) if needed; it must be a real folder, not a link. */
function ensureUploadDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) throw new ApiFailure('internal', `upload folder ${dir} is not a folder (a link?); refusing to write there`);
}

/**
 * Give the finished upload its final name without ever replacing a file: link(2) fails with
 * EEXIST when the name is taken, so two uploads of "dump.pcap" get dump.pcap and dump-2.pcap.
 */
function claimUniqueName(dir: string, name: string, partial: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n < 10_000; n++) {
    const candidate = path.join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    try {
      fs.linkSync(partial, candidate);
      fs.rmSync(partial, { force: true });
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new ApiFailure('internal', `upload: no free name for ${name} in ${dir}`);
}

/** Bodies up to this size are read and dropped before a refusal is sent; larger ones get it at once. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Read and drop a refused request's body before answering. Node closes a connection whose response
 * ends while the request is still arriving, and a client still writing then sees a reset instead of
 * the 413; draining first lets it read the answer. Past MAX_DRAIN_BYTES the answer goes at once.
 */
export function drainRequest(req: http.IncomingMessage): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (req.complete || (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES)) { req.resume(); return Promise.resolve(); }
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => resolve();
    req.on('data', (c: Buffer) => { seen += c.length; if (seen > MAX_DRAIN_BYTES) done(); });
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
    req.resume();
  });
}

/** Stream the request body to `dir/<name>` (0600, never through a link); returns the final path. */
export async function receiveUpload(req: http.IncomingMessage, dir: string, rawName: string, maxBytes: number, budget?: UploadBudget): Promise<string> {
  const name = safeUploadName(rawName);
  const declared = Number(req.headers['content-length']);
  const remaining = budget ? budget.limit - budget.used : Infinity;
  if (Number.isFinite(declared) && (declared > maxBytes || declared > remaining)) {
    await drainRequest(req); // so the client reads the 413 instead of a reset
    throw new ApiFailure('bad-argument', declared > maxBytes
      ? `upload: ${name} is ${declared} bytes; the limit is ${maxBytes} bytes. Use capture.import with a path on this machine instead.`
      : `upload: ${name} would pass this session's total upload limit of ${budget!.limit} bytes (${budget!.used} used). Use capture.import with a path on this machine instead.`).withStatus(413);
  }
  ensureUploadDir(dir);
  const partial = path.join(dir, `.${name}.${crypto.randomBytes(6).toString('hex')}.partial`);
  let received = 0;
  // Over a limit, the rest of the body is read and dropped (up to MAX_DRAIN_BYTES) and the refusal
  // comes after it, for the reason drainRequest gives; past that the pipeline fails at once.
  let refused: ApiFailure | null = null;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (!refused && received > maxBytes) refused = new ApiFailure('bad-argument', `upload: ${name} exceeds the ${maxBytes}-byte limit`).withStatus(413);
      else if (!refused && budget && budget.used + received > budget.limit) refused = new ApiFailure('bad-argument', `upload: this session's total upload limit of ${budget.limit} bytes is reached`).withStatus(413);
      if (!refused) done(null, chunk);
      else if (received > maxBytes + MAX_DRAIN_BYTES) done(refused);
      else done();
    },
  });
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  try {
    const fd = fs.openSync(partial, flags, 0o600);
    await pipeline(req, limiter, fs.createWriteStream('', { fd, autoClose: true }));
    if (refused) throw refused;
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err instanceof ApiFailure ? err : new ApiFailure('bad-argument', `upload of ${name} was interrupted: ${(err as Error).message}`);
  }
  if (received === 0) {
    fs.rmSync(partial, { force: true });
    throw new ApiFailure('bad-argument', `upload: ${name} is empty`);
  }
  if (budget) budget.used += received;
  try {
    return claimUniqueName(dir, name, partial);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
