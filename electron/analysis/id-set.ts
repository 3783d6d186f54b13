/**
 * A set of packet or flow ids that stays small however many it holds. A flood cites hundreds of
 * thousands of packets: as a JavaScript Set or array of numbers that is 8-40 bytes an id, so a
 * detector's memory grew with the capture. Up to 4,096 ids are a sorted array (8 bytes an id: a
 * port scan keeps thousands of such small sets, spread over the whole capture); beyond, the layout
 * of Roaring bitmaps (Chambi, Lemire et al., "Better bitmap performance with Roaring bitmaps",
 * 2016): ids split by their high bits into chunks of 65,536, each a sorted array of 16-bit low parts
 * while it has at most 4,096 of them (2 bytes an id) and an 8 KiB bitmap beyond (under 2 bytes an id).
 * Ids are non-negative integers; iteration is in ascending order.
 */

const CHUNK = 65_536;
/** Past this many ids an array chunk (2 bytes an id) is larger than a bitmap chunk (8 KiB). */
const ARRAY_MAX = 4096;

class Chunk {
  private values: Uint16Array | null = new Uint16Array(4);
  private bits: Uint32Array | null = null;
  size = 0;

  has(low: number): boolean {
    if (this.bits) return (this.bits[low >>> 5] & (1 << (low & 31))) !== 0;
    const at = lowerBound(this.values!, this.size, low);
    return at < this.size && this.values![at] === low;
  }

  add(low: number): boolean {
    if (this.bits) {
      const word = low >>> 5, mask = 1 << (low & 31);
      if (this.bits[word] & mask) return false;
      this.bits[word] |= mask;
      this.size++;
      return true;
    }
    let values = this.values!;
    // Ids mostly arrive in ascending order: appending is the common case.
    const at = this.size === 0 || values[this.size - 1] < low ? this.size : lowerBound(values, this.size, low);
    if (at < this.size && values[at] === low) return false;
    if (this.size === ARRAY_MAX) {
      this.toBitmap();
      return this.add(low);
    }
    if (this.size === values.length) {
      const grown = new Uint16Array(Math.min(ARRAY_MAX, values.length * 2));
      grown.set(values);
      this.values = values = grown;
    }
    values.copyWithin(at + 1, at, this.size);
    values[at] = low;
    this.size++;
    return true;
  }

  /** The low parts, ascending. */
  *lows(): Generator<number> {
    if (!this.bits) {
      for (let i = 0; i < this.size; i++) yield this.values![i];
      return;
    }
    const bits = this.bits;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const lowest = word & -word;
        yield w * 32 + (31 - Math.clz32(lowest));
        word ^= lowest;
      }
    }
  }

  private toBitmap(): void {
    const bits = new Uint32Array(CHUNK / 32);
    for (let i = 0; i < this.size; i++) bits[this.values![i] >>> 5] |= 1 << (this.values![i] & 31);
    this.bits = bits;
    this.values = null;
  }
}

/** First index in `values[0, size)` whose value is >= `x`. */
function lowerBound(values: ArrayLike<number>, size: number, x: number): number {
  let lo = 0, hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export class IdSet implements Iterable<number> {
  /** The ids while there are at most ARRAY_MAX of them, ascending; null once they moved to chunks. */
  private sorted: number[] | null = [];
  private readonly chunks = new Map<number, Chunk>();
  /** The chunks' high parts, ascending. */
  private highs: number[] = [];
  private count = 0;

  /** Adds `id`; false when it was already there. */
  add(id: number): boolean {
    if (!(Number.isSafeInteger(id) && id >= 0)) throw new RangeError(`IdSet holds non-negative integers, got ${id}`);
    const sorted = this.sorted;
    if (sorted) {
      // Ids mostly arrive in ascending order: appending is the common case.
      const at = sorted.length === 0 || sorted[sorted.length - 1] < id ? sorted.length : lowerBound(sorted, sorted.length, id);
      if (at < sorted.length && sorted[at] === id) return false;
      if (sorted.length < ARRAY_MAX) {
        sorted.splice(at, 0, id);
        this.count++;
        return true;
      }
      this.sorted = null;
      for (const x of sorted) this.addToChunk(x);
    }
    if (!this.addToChunk(id)) return false;
    this.count++;
    return true;
  }

  has(id: number): boolean {
    if (!(id >= 0)) return false;
    if (this.sorted) {
      const at = lowerBound(this.sorted, this.sorted.length, id);
      return at < this.sorted.length && this.sorted[at] === id;
    }
    const high = Math.floor(id / CHUNK);
    const chunk = this.chunks.get(high);
    return chunk !== undefined && chunk.has(id - high * CHUNK);
  }

  get size(): number { return this.count; }

  *[Symbol.iterator](): Iterator<number> {
    if (this.sorted) {
      yield* this.sorted;
      return;
    }
    for (const high of this.highs) {
      const base = high * CHUNK;
      for (const low of this.chunks.get(high)!.lows()) yield base + low;
    }
  }

  /** The `n` smallest ids, ascending. */
  smallest(n: number): number[] {
    const out: number[] = [];
    if (n <= 0) return out;
    for (const id of this) {
      out.push(id);
      if (out.length >= n) break;
    }
    return out;
  }

  private addToChunk(id: number): boolean {
    const high = Math.floor(id / CHUNK);
    let chunk = this.chunks.get(high);
    if (!chunk) {
      chunk = new Chunk();
      this.chunks.set(high, chunk);
      const last = this.highs.length ? this.highs[this.highs.length - 1] : -1;
      if (high > last) this.highs.push(high);
      else this.highs.splice(lowerBound(this.highs, this.highs.length, high), 0, high);
    }
    return chunk.add(id - high * CHUNK);
  }
}
