/**
 * The reader's bounded buffer: bytes [start, end) of `buf` are read but not yet consumed, and
 * `buf[0]` sits at stream offset `base`. Parsers hand out subarray views of `buf`, so the window
 * only moves bytes (compact) between parse calls, never while a record is being delivered.
 */
export class ByteWindow {
  buf: Buffer;
  start = 0;
  end = 0;
  base = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Stream offset of the first unconsumed byte. */
  get offset(): number {
    return this.base + this.start;
  }

  /** Makes at least `n` bytes of free space after `end`, moving unconsumed bytes to the front first. */
  ensureFree(n: number): void {
    if (this.buf.length - this.end >= n) return;
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (this.buf.length - this.end >= n) return;
    // Only a record larger than the chunk size gets here; callers cap record sizes, so the
    // buffer stays bounded by (largest allowed record + one chunk).
    const grown = Buffer.allocUnsafe(this.end + n);
    this.buf.copy(grown, 0, 0, this.end);
    this.buf = grown;
  }

  /** Appends bytes from `src` (gzip output); returns how many fitted. */
  append(src: Uint8Array): number {
    const n = Math.min(src.length, this.buf.length - this.end);
    this.buf.set(n === src.length ? src : src.subarray(0, n), this.end);
    this.end += n;
    return n;
  }
}
