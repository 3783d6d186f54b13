/**
 * Converts pcapng 64-bit timestamps (a count of 10^-k or 2^-n second units, split into two
 * 32-bit halves) to whole seconds + nanoseconds, exactly.
 *
 * Divisors up to 2^32 (every 10^-k with k <= 9 and 2^-n with n <= 32, i.e. all real writers) use
 * double arithmetic on 16-bit limbs, where every intermediate stays below 2^53 and is exact.
 * Anything finer (picoseconds, 2^-40) falls back to BigInt.
 */

const TWO_32 = 4294967296;

/** Anything with writable timestamp fields (a CaptureRecord). */
interface Stamped {
  tsSec: number;
  tsNsec: number;
}

export class TimestampScale {
  /** Units per second (may be inexact as a double for absurd resolutions; display only). */
  readonly unitsPerSec: number;
  private readonly div: number;
  private readonly decimalMul: number;
  private readonly binaryShift: number;
  private readonly bigDiv: bigint | null;

  /**
   * pcapng if_tsresol: bit 7 clear → 10^-value seconds, set → 2^-(value & 0x7f) seconds.
   * `offsetSec` is if_tsoffset, added to every timestamp.
   */
  constructor(
    tsresol: number,
    readonly offsetSec = 0,
  ) {
    const binary = (tsresol & 0x80) !== 0;
    const exp = tsresol & 0x7f;
    this.unitsPerSec = binary ? 2 ** exp : 10 ** exp;
    const small = binary ? exp <= 32 : exp <= 9;
    this.div = small ? this.unitsPerSec : 0;
    this.decimalMul = small && !binary ? 10 ** (9 - exp) : 0;
    this.binaryShift = small && binary ? exp : -1;
    this.bigDiv = small ? null : binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  }

  /** Writes the timestamp for units = hi·2^32 + lo into `out`. */
  apply(out: Stamped, hi: number, lo: number): void {
    const d = this.div;
    if (d === 0) {
      this.applyBig(out, hi, lo);
      return;
    }
    // Long division of (hi, lo_hi16, lo_lo16) by d; each partial dividend is < d·2^16 <= 2^48.
    const qh = Math.floor(hi / d);
    const rh = hi - qh * d;
    const a = rh * 65536 + (lo >>> 16);
    const qa = Math.floor(a / d);
    const ra = a - qa * d;
    const b = ra * 65536 + (lo & 0xffff);
    const qb = Math.floor(b / d);
    const rem = b - qb * d;
    out.tsSec = qh * TWO_32 + qa * 65536 + qb + this.offsetSec;
    if (this.decimalMul !== 0) {
      out.tsNsec = rem * this.decimalMul;
    } else if (this.binaryShift >= 9) {
      // 10^9 = 2^9 · 1953125: rem·1953125 < 2^53 and dividing by a power of two is exact.
      out.tsNsec = Math.floor((rem * 1953125) / 2 ** (this.binaryShift - 9));
    } else {
      out.tsNsec = Math.floor((rem * 1e9) / d);
    }
  }

  private applyBig(out: Stamped, hi: number, lo: number): void {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const d = this.bigDiv as bigint;
    out.tsSec = Number(units / d) + this.offsetSec;
    out.tsNsec = Number(((units % d) * 1_000_000_000n) / d);
  }
}
