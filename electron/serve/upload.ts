/**
 * POST /api/upload?name=<file>: browser mode has no native file dialog, so the page streams a
 * capture here. It is written (never buffered whole) into an uploads folder beside the case,
 * under a sanitised name that cannot escape that folder, then imported like any other capture.
 */
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

function uniquePath(dir: string, name: string): string {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const p = path.join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    if (!fs.existsSync(p)) return p;
  }
}

/** Stream the request body to `dir/<name>`; returns the final path. */
export async function receiveUpload(req: http.IncomingMessage, dir: string, rawName: string, maxBytes: number): Promise<string> {
  const name = safeUploadName(rawName);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume(); // drain, so the client reads the 413 instead of a reset
    throw new ApiFailure('bad-argument', `upload: ${name} is ${declared} bytes; the limit is ${maxBytes} bytes. Use capture.import with a path on this machine instead.`).withStatus(413);
  }
  fs.mkdirSync(dir, { recursive: true });
  const partial = uniquePath(dir, `${name}.part`);
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes) done(new ApiFailure('bad-argument', `upload: ${name} exceeds the ${maxBytes}-byte limit`).withStatus(413));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, limiter, fs.createWriteStream(partial, { flags: 'wx' }));
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err instanceof ApiFailure ? err : new ApiFailure('bad-argument', `upload of ${name} was interrupted: ${(err as Error).message}`);
  }
  if (received === 0) {
    fs.rmSync(partial, { force: true });
    throw new ApiFailure('bad-argument', `upload: ${name} is empty`);
  }
  const final = uniquePath(dir, name);
  fs.renameSync(partial, final);
  return final;
}
