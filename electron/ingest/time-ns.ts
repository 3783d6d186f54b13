/** Exact epoch nanoseconds from a (seconds, nanoseconds) pair: doubles cannot hold them. */
export function nsOf(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}
