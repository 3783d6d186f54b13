/**
 * Time in a case: epoch nanoseconds do not fit a JavaScript number, so detectors ask SQLite for
 * `ts_ns - base` (exact 64-bit arithmetic) and work in nanoseconds relative to the case start.
 * These helpers turn relative or absolute times back into text for explanations and reports.
 */
/** "2024-03-12 09:01:00.123 UTC" */
export function formatUtc(absNs: bigint): string {
  const ms = Number(absNs / 1_000_000n);
  const iso = new Date(ms).toISOString(); // 2024-03-12T09:01:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}

/** Seconds since the case start, as Wireshark's default Time column shows them. */
export function formatRel(relNs: number, digits = 3): string {
  return (relNs / 1e9).toFixed(digits);
}

/** "09:01:00.123 UTC (t+60.123 s)" — absolute for the analyst's log, relative for the capture. */
export function formatWhen(baseNs: bigint, relNs: number): string {
  const abs = baseNs + BigInt(Math.round(relNs));
  return `${formatUtc(abs)} (t+${formatRel(relNs)} s)`;
}

export function formatDuration(ns: number): string {
  const s = ns / 1e9;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

/** Thousands separators, so "3,600 SYNs" reads at a glance; the digits are the SQL count. */
export function n(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 1 });
}
