import fs from 'node:fs';
import { MAX_BLOCK_BYTES } from './capture-parser';

/** Read-ahead window: a page of packets (or a stream of them in id order) lies mostly within one. */
const WINDOW_BYTES = 1 << 20;

/**
 * Reads frames back from an uncompressed capture, synchronously, through a read-ahead window:
 * packets in id order have rising offsets, so a page of 200 rows or a stream over the whole
 * capture costs one read per megabyte rather than one per packet. Opened read-only; `close()`
 * releases the descriptor.
 */
export class FrameReader {
  private readonly fd: number;
  private window = Buffer.alloc(0);
  private windowStart = 0;
  private windowEnd = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'r');
  }

  /**
   * The `length` bytes at `offset`, as a view valid until the next call. Throws when the file no
   * longer holds them (shortened or replaced since indexing).
   */
  read(offset: number, length: number): Uint8Array {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0 || length > MAX_BLOCK_BYTES) {
      throw new RangeError(`frame at ${offset} (${length} bytes) is out of range`);
    }
    if (offset < this.windowStart || offset + length > this.windowEnd) this.fill(offset, length);
    if (offset + length > this.windowEnd) {
      throw new Error(`${this.path}: needed ${length} bytes at byte ${offset}, but the file ends at byte ${this.windowEnd}; the capture was shortened or replaced after it was indexed`);
    }
    return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
  }

  private fill(offset: number, length: number): void {
    const size = Math.max(WINDOW_BYTES, length);
    if (this.window.length < size) this.window = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(this.fd, this.window, got, size - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    this.windowStart = offset;
    this.windowEnd = offset + got;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
