/**
 * Wireshark's picture of a bit field within a `bits`-wide value: the bits of `mask` as 0/1, the
 * others as '.', in groups of four ("0... .... .... ...."). Used for the detail tree's flag lines.
 */
export function bitPattern(value: number, mask: number, bits: number): string {
  let s = '';
  for (let b = bits - 1; b >= 0; b--) {
    const m = 2 ** b;
    s += Math.floor(mask / m) % 2 === 1 ? (Math.floor(value / m) % 2 === 1 ? '1' : '0') : '.';
    if (b % 4 === 0 && b > 0) s += ' ';
  }
  return s;
}
