import { FilterError, quote } from './filter-error';
import type { Value } from './parser';

/**
 * Turns the text of a filter value into a typed SQL parameter, or a FilterError pointing at it.
 * Quoted and unquoted values are read the same way, so `ip.addr == "10.0.0.1"` works too.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A SQLite integer parameter: a number when exact, else a bigint (better-sqlite3 binds both). */
export function sqlInt(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Decimal, 0x hex, 0b binary or leading-0 octal, as in Wireshark. */
export function parseInteger(v: Value): bigint {
  const m = /^([-+]?)(0x[0-9a-f]+|0b[01]+|0[0-7]*|[1-9][0-9]*)$/i.exec(v.text);
  if (!m) throw new FilterError(`${quote(v.text)} is not an integer`, v.pos, 'integer');
  const body = m[2];
  const magnitude = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
  const n = m[1] === '-' ? -magnitude : magnitude;
  if (n < INT64_MIN || n > INT64_MAX) throw new FilterError(`${quote(v.text)} is too large`, v.pos, 'integer');
  return n;
}

export function parseBoolean(v: Value): 0 | 1 {
  const t = v.text.toLowerCase();
  if (t === '1' || t === 'true') return 1;
  if (t === '0' || t === 'false') return 0;
  throw new FilterError(`${quote(v.text)} is not a boolean (use 1, 0, true or false)`, v.pos, 'boolean');
}

/** Seconds with an optional fraction, converted exactly to integer nanoseconds (digits past 1 ns are dropped). */
export function parseSecondsAsNs(v: Value): bigint {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(v.text);
  if (!m || (m[2] === '' && !m[3])) throw new FilterError(`${quote(v.text)} is not a number of seconds`, v.pos, 'seconds');
  if (m[2].length > 12) throw new FilterError(`${quote(v.text)} is too large`, v.pos, 'seconds');
  const ns = BigInt(m[2] || '0') * 1_000_000_000n + BigInt((m[3] ?? '').slice(0, 9).padEnd(9, '0'));
  return m[1] === '-' ? -ns : ns;
}

/** An address value: the range [lo, hi] of network-order bytes it covers (lo == hi without a prefix). */
export interface AddressRange {
  lo: Buffer;
  hi: Buffer;
}

function ipv4Bytes(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : 256));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

function ipv6Groups(part: string, allowIpv4Tail: boolean): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  const items = part.split(':');
  for (let k = 0; k < items.length; k++) {
    const g = items[k];
    if (allowIpv4Tail && k === items.length - 1 && g.includes('.')) {
      const b = ipv4Bytes(g);
      if (!b) return null;
      out.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    } else if (/^[0-9a-f]{1,4}$/i.test(g)) {
      out.push(parseInt(g, 16));
    } else {
      return null;
    }
  }
  return out;
}

/** RFC 4291 §2.2 text forms: full, "::"-compressed, and with a dotted IPv4 tail. */
function ipv6Bytes(text: string): number[] | null {
  const halves = text.split('::');
  let groups: number[] | null;
  if (halves.length === 1) {
    groups = ipv6Groups(text, true);
    if (!groups || groups.length !== 8) return null;
  } else if (halves.length === 2) {
    const left = ipv6Groups(halves[0], false);
    const right = ipv6Groups(halves[1], true);
    if (!left || !right || left.length + right.length > 7) return null;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    return null;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function withPrefix(bytes: number[], prefix: number): AddressRange {
  const lo = Buffer.from(bytes);
  const hi = Buffer.from(bytes);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8)); // network bits of this byte
    const mask = (0xff << (8 - keep)) & 0xff;
    lo[i] = bytes[i] & mask;
    hi[i] = lo[i] | (~mask & 0xff);
  }
  return { lo, hi };
}

/** IPv4 or IPv6 address, optionally in CIDR form (`10.0.0.0/8`, `2001:db8::/32`). */
export function parseAddress(v: Value, family: 4 | 6): AddressRange {
  const name = family === 4 ? 'IPv4' : 'IPv6';
  const slash = v.text.indexOf('/');
  const addrText = slash < 0 ? v.text : v.text.slice(0, slash);
  const bytes = family === 4 ? ipv4Bytes(addrText) : ipv6Bytes(addrText);
  if (!bytes) throw new FilterError(`${quote(v.text)} is not an ${name} address`, v.pos, `${name} address`);
  const bits = bytes.length * 8;
  let prefix = bits;
  if (slash >= 0) {
    const p = v.text.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(p) ? Number(p) : -1;
    if (prefix < 0 || prefix > bits) {
      throw new FilterError(`${quote(v.text)} has an invalid prefix length (0 to ${bits})`, v.pos + (v.quoted ? 1 : 0) + slash + 1, 'prefix length');
    }
  }
  return withPrefix(bytes, prefix);
}
