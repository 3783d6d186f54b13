/**
 * The flow table's index: flows keyed by two numbers (the lower and the higher endpoint, each
 * address id × 65536 + port) rather than by a built string. Numeric keys hash several times
 * faster, and building no key string per packet spares the garbage collector.
 * Most "lo" endpoints have one flow, so the value is the flow itself until a second one appears.
 */
export interface Keyed { lo: number; hi: number }

export class FlowIndex<T extends Keyed> {
  private readonly byLo = new Map<number, T | Map<number, T>>();
  private count = 0;

  get size(): number { return this.count; }

  get(lo: number, hi: number): T | undefined {
    const v = this.byLo.get(lo);
    if (v === undefined) return undefined;
    if (v instanceof Map) return v.get(hi);
    return v.hi === hi ? v : undefined;
  }

  set(f: T): void {
    const v = this.byLo.get(f.lo);
    if (v === undefined) { this.byLo.set(f.lo, f); this.count++; return; }
    if (v instanceof Map) { if (!v.has(f.hi)) this.count++; v.set(f.hi, f); return; }
    if (v.hi === f.hi) { this.byLo.set(f.lo, f); return; }
    this.byLo.set(f.lo, new Map([[v.hi, v], [f.hi, f]]));
    this.count++;
  }

  delete(f: T): void {
    const v = this.byLo.get(f.lo);
    if (v === undefined) return;
    if (v instanceof Map) {
      if (v.delete(f.hi)) this.count--;
      if (v.size === 0) this.byLo.delete(f.lo);
    } else if (v.hi === f.hi) { this.byLo.delete(f.lo); this.count--; }
  }

  *values(): IterableIterator<T> {
    for (const v of this.byLo.values()) {
      if (v instanceof Map) yield* v.values(); else yield v;
    }
  }

  clear(): void { this.byLo.clear(); this.count = 0; }
}
