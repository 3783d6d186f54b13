import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';

/**
 * SHA-256 of a capture as stored on disk, advanced in step with the reader so the file is
 * hashed during the one indexing pass (the second read hits the page cache) instead of by a
 * separate pass on the writer's thread.
 */
export class FileHasher {
  private readonly hash: Hash = createHash('sha256');
  private fd: number | null = null;
  private pos = 0;
  private readonly buf = Buffer.allocUnsafe(1 << 20);

  constructor(path: string) {
    try { this.fd = fs.openSync(path, 'r'); } catch { this.fd = null; }
  }

  /** Hash the file up to `upTo` bytes. */
  catchUp(upTo: number): void {
    if (this.fd === null) return;
    while (this.pos < upTo) {
      const n = fs.readSync(this.fd, this.buf, 0, Math.min(this.buf.length, upTo - this.pos), this.pos);
      if (n <= 0) break;
      this.hash.update(this.buf.subarray(0, n));
      this.pos += n;
    }
  }

  /** Hash whatever is left (the reader may stop early on damage) and return the hex digest, '' if unreadable. */
  finish(): string {
    if (this.fd === null) return '';
    this.catchUp(Number.MAX_SAFE_INTEGER);
    fs.closeSync(this.fd);
    this.fd = null;
    return this.hash.digest('hex');
  }
}

/** SHA-256 of a whole file, synchronously and in constant memory (integrity re-checks). Throws if unreadable. */
export function sha256FileSync(path: string): string {
  fs.accessSync(path, fs.constants.R_OK);
  return new FileHasher(path).finish();
}

/** SHA-256 of a whole file without blocking the event loop (relocation checks). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
