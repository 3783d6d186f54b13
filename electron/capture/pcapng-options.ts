/**
 * Steps through pcapng options (pcapng §3.5: 2-byte code, 2-byte length, value padded to 32
 * bits) without allocating. NRB records share the same layout, so this walks them too.
 * One walker is reused per reader; call `reset` before each block.
 */
export class OptionWalker {
  code = 0;
  /** Buffer index of the current value and its unpadded length. */
  start = 0;
  length = 0;
  /** Set when an option claims more bytes than its block has left. */
  overrun = false;
  private b: Buffer = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  private le = true;

  reset(b: Buffer, start: number, end: number, le: boolean): this {
    this.b = b;
    this.pos = start;
    this.end = end;
    this.le = le;
    this.overrun = false;
    return this;
  }

  /** Moves to the next option; false at opt_endofopt, at the end of the block, or on overrun. */
  next(): boolean {
    const b = this.b;
    const p = this.pos;
    if (p + 4 > this.end) return false;
    const code = this.le ? b.readUInt16LE(p) : b.readUInt16BE(p);
    const length = this.le ? b.readUInt16LE(p + 2) : b.readUInt16BE(p + 2);
    if (code === 0) return false;
    if (p + 4 + length > this.end) {
      this.overrun = true;
      return false;
    }
    this.code = code;
    this.start = p + 4;
    this.length = length;
    this.pos = p + 4 + ((length + 3) & ~3);
    return true;
  }

  /** The value as UTF-8 text; writers differ on NUL-terminating strings, so trailing NULs go. */
  text(): string {
    let n = this.length;
    while (n > 0 && this.b[this.start + n - 1] === 0) n--;
    return this.b.toString('utf8', this.start, this.start + n);
  }

  u8(): number {
    return this.b[this.start];
  }
}
