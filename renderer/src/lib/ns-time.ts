/**
 * Nanosecond timestamps cross the API as decimal strings (epoch ns does not fit in a double).
 * Everything exact goes through BigInt here; charts work in float seconds relative to an origin.
 */

export function nsFromPair(ts: readonly [number, number]): string {
  return (BigInt(ts[0]) * 1_000_000_000n + BigInt(ts[1])).toString();
}

/** a - b in seconds (float). */
export function nsDiffSec(a: string, b: string): number {
  return Number(BigInt(a) - BigInt(b)) / 1e9;
}

/** ns + seconds, rounded to the nanosecond. */
export function nsAddSec(ns: string, sec: number): string {
  return (BigInt(ns) + BigInt(Math.round(sec * 1e9))).toString();
}

export function nsMin(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? a : b;
}

export function nsMax(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

/** Epoch milliseconds as a float (sub-ms kept as the fraction), for Date-based scales. */
export function nsToEpochMs(ns: string): number {
  const v = BigInt(ns);
  const ms = v / 1_000_000n;
  const rest = v % 1_000_000n;
  return Number(ms) + Number(rest) / 1e6;
}

function pad(n: number | bigint, width: number): string {
  return n.toString().padStart(width, '0');
}

/**
 * "2024-05-01 12:00:03.123456 UTC". `digits` = fractional digits (0..9).
 */
export function formatUtc(ns: string, digits = 6, withZone = true): string {
  const v = BigInt(ns);
  const sec = v / 1_000_000_000n;
  const frac = v % 1_000_000_000n;
  const iso = new Date(Number(sec) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const f = digits > 0 ? '.' + pad(frac, 9).slice(0, digits) : '';
  return base + f + (withZone ? ' UTC' : '');
}

/** Time of day only: "12:00:03.123456". */
export function formatUtcTime(ns: string, digits = 6): string {
  return formatUtc(ns, digits, false).slice(11);
}

/** "2 h 03 min", "4 min 05 s", "3.250 s", "850 ms", "12.5 µs". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  const s = Math.abs(sec);
  const sign = sec < 0 ? '-' : '';
  if (s === 0) return '0 s';
  if (s < 1e-6) return `${sign}${trim(s * 1e9, 0)} ns`;
  if (s < 1e-3) return `${sign}${trim(s * 1e6, 1)} µs`;
  if (s < 1) return `${sign}${trim(s * 1e3, 1)} ms`;
  if (s < 60) return `${sign}${trim(s, 3)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${sign}${m} min ${pad(Math.floor(s - m * 60), 2)} s`;
  }
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    return `${sign}${h} h ${pad(Math.floor((s - h * 3600) / 60), 2)} min`;
  }
  const d = Math.floor(s / 86400);
  return `${sign}${d} d ${Math.floor((s - d * 86400) / 3600)} h`;
}

function trim(v: number, digits: number): string {
  return Number(v.toFixed(digits)).toString();
}
