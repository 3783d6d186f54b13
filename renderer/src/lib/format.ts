/** Number and size formatting for tables and badges. */

const countFmt = new Intl.NumberFormat('en-US');

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return countFmt.format(n);
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal (SI) sizes, as capture tools print them: "1.5 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${n < 0 ? '-' : ''}${v.toFixed(digits)} ${UNITS[u]}`;
}

/** "a1b2c3d4e5f6…9a8b7c" for long hashes; the full value goes in a title/copy button. */
export function shortHash(hash: string, head = 12, tail = 6): string {
  if (hash.length <= head + tail + 1) return hash;
  return `${hash.slice(0, head)}…${hash.slice(-tail)}`;
}

/** Byte offsets in read errors: "0x1f40 (8000)". */
export function formatOffset(offset: number): string {
  return `0x${offset.toString(16)} (${countFmt.format(offset)})`;
}

/** Rate with unit, e.g. "12.3k pkt/s". */
export function formatRate(perSec: number, unit: string): string {
  if (!Number.isFinite(perSec)) return '—';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(1)}M ${unit}`;
  if (perSec >= 1e4) return `${(perSec / 1e3).toFixed(1)}k ${unit}`;
  return `${Math.round(perSec)} ${unit}`;
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export interface EndpointLike {
  addr: string;
  port?: number;
  proto?: string;
  service?: string;
}

/** "192.0.2.1:443/tcp (https)"; IPv6 addresses get brackets before a port. */
export function formatEndpoint(e: EndpointLike): string {
  const addr = e.port !== undefined && e.addr.includes(':') ? `[${e.addr}]` : e.addr;
  let s = e.port !== undefined ? `${addr}:${e.port}` : addr;
  if (e.proto) s += `/${e.proto.toLowerCase()}`;
  if (e.service) s += ` (${e.service})`;
  return s;
}

/** A list of endpoints, shortened to `max` with "+N more". */
export function formatEndpoints(list: readonly EndpointLike[], max = 2): string {
  if (list.length === 0) return '—';
  const shown = list.slice(0, max).map(formatEndpoint).join(', ');
  return list.length > max ? `${shown} +${list.length - max} more` : shown;
}
