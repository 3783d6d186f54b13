/** Dotted-quad text of the 4 bytes at `p`. */
export function ipv4Text(b: Uint8Array, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

/** RFC 5952 text of the 16 bytes at `p`: lower case, longest run (≥ 2) of zero groups as "::". */
export function ipv6Text(b: Uint8Array, p: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[p + 2 * i] << 8) | b[p + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}
