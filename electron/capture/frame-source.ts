/**
 * Reads many frames from one source capture in file order (an export): one open file for plain
 * captures, one forward pass of the decompressor for gzip ones (readFrameBytes would decompress
 * from the start for every frame). Offsets are those the case recorded (CaptureRecord.dataOffset).
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { readFrameBytes } from './read-back';

export class FrameSource {
  private fh: FileHandle | null = null;
  private gz: AsyncIterator<Buffer> | null = null;
  private gzClose: (() => void) | null = null;
  /** Decompressed bytes held from gzPos on. */
  private gzBuf: Buffer = Buffer.alloc(0);
  private gzPos = 0;

  constructor(private readonly path: string, private readonly compressed: boolean) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (!this.compressed) return this.readPlain(offset, length);
    if (offset < this.gzPos) return Buffer.from(await readFrameBytes(this.path, offset, length, true)); // out of order: rare
    return this.readGzip(offset, length);
  }

  private async readPlain(offset: number, length: number): Promise<Buffer> {
    this.fh ??= await open(this.path, 'r');
    const out = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.fh.read(out, got, length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < length) throw new Error(`${basename(this.path)}: needed ${length} bytes at byte ${offset}, but the file ends at byte ${offset + got}; the capture was shortened or replaced after it was indexed`);
    return out;
  }

  private async readGzip(offset: number, length: number): Promise<Buffer> {
    if (!this.gz) {
      const file = createReadStream(this.path, { highWaterMark: 1 << 20 });
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      file.on('error', (err) => gunzip.destroy(err));
      file.pipe(gunzip);
      this.gz = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      this.gzClose = () => { file.destroy(); gunzip.destroy(); };
    }
    // Drop what lies before the offset, then pull until the frame is held.
    while (this.gzPos + this.gzBuf.length < offset + length) {
      if (this.gzPos + this.gzBuf.length <= offset) { this.gzPos += this.gzBuf.length; this.gzBuf = Buffer.alloc(0); }
      const next = await this.gz.next();
      if (next.done) throw new Error(`${basename(this.path)}: its decompressed data ends before byte ${offset + length}; the capture was shortened or replaced after it was indexed`);
      this.gzBuf = this.gzBuf.length ? Buffer.concat([this.gzBuf, next.value]) : next.value;
    }
    const start = offset - this.gzPos;
    const out = Buffer.from(this.gzBuf.subarray(start, start + length));
    this.gzBuf = this.gzBuf.subarray(start + length);
    this.gzPos = offset + length;
    return out;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
    this.gzClose?.();
    this.gz = null;
  }
}
