import { createReadStream, type ReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import type { ByteWindow } from './byte-window';

/** Where the window's bytes come from: the file itself, or the file through gunzip. */
export interface ByteSource {
  /**
   * Appends up to one chunk of stream bytes into the window's free space (the caller makes room).
   * Resolves to the count appended; 0 means the stream ended (check `damage`).
   */
  fill(win: ByteWindow): Promise<number>;
  /** File bytes read so far (compressed bytes for gzip input): what progress is measured in. */
  readonly fileBytesRead: number;
  /** Why the stream ended early, when it did (gzip damage or truncation). */
  readonly damage: string | null;
  close(): Promise<void>;
}

export class PlainSource implements ByteSource {
  fileBytesRead = 0;
  readonly damage = null;

  constructor(
    private readonly fh: FileHandle,
    private readonly chunkSize: number,
  ) {}

  async fill(win: ByteWindow): Promise<number> {
    const want = Math.min(this.chunkSize, win.buf.length - win.end);
    const { bytesRead } = await this.fh.read(win.buf, win.end, want, this.fileBytesRead);
    win.end += bytesRead;
    this.fileBytesRead += bytesRead;
    return bytesRead;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/**
 * Compressed input is fed in small pieces: deflate expands at most ~1032:1, so one piece can
 * never produce more than ~17 MiB of output, whatever the file holds (gzip bombs included).
 */
const GZIP_INPUT_PIECE = 16 * 1024;

/**
 * Decompresses with zlib while keeping memory bounded: decompressed output is queued here (not in
 * the stream, which would drop it if a later part of the file turns out damaged), and the file
 * is paused while the queue holds more than a chunk or so.
 */
export class GzipSource implements ByteSource {
  fileBytesRead = 0;
  damage: string | null = null;
  private readonly file: ReadStream;
  private readonly gunzip: Gunzip;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private readonly queueLimit: number;
  private waitingDrain = false;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(path: string, chunkSize: number) {
    this.queueLimit = Math.max(chunkSize, 64 * 1024);
    this.file = createReadStream(path, { highWaterMark: GZIP_INPUT_PIECE });
    this.gunzip = createGunzip({ chunkSize: Math.min(Math.max(chunkSize, 1024), 1024 * 1024) });
    this.file.on('data', (piece) => {
      this.fileBytesRead += piece.length;
      if (!this.gunzip.write(piece)) this.waitingDrain = true;
      this.updateFlow();
    });
    this.file.on('end', () => this.gunzip.end());
    this.file.on('error', (err) => this.finish(err.message));
    this.gunzip.on('drain', () => {
      this.waitingDrain = false;
      this.updateFlow();
    });
    this.gunzip.on('data', (out: Buffer) => {
      this.queue.push(out);
      this.queued += out.length;
      this.updateFlow();
      this.notify();
    });
    this.gunzip.on('end', () => this.finish(null));
    this.gunzip.on('error', (err) => this.finish(err.message));
  }

  async fill(win: ByteWindow): Promise<number> {
    while (this.queue.length === 0) {
      if (this.ended) return 0;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const head = this.queue[0];
    const n = win.append(head);
    if (n === head.length) this.queue.shift();
    else this.queue[0] = head.subarray(n);
    this.queued -= n;
    this.updateFlow();
    return n;
  }

  async close(): Promise<void> {
    this.ended = true;
    this.file.destroy();
    this.gunzip.destroy();
    this.notify();
  }

  private updateFlow(): void {
    if (this.ended) return;
    if (this.waitingDrain || this.queued >= this.queueLimit) this.file.pause();
    else this.file.resume();
  }

  private finish(damage: string | null): void {
    if (this.ended) return;
    this.ended = true;
    this.damage = damage;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
