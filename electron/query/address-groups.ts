/**
 * Address arithmetic for the host graph: the /24 (IPv6 /64) a host belongs to, and whether it is
 * internal (RFC 1918, RFC 4193, loopback/link-local, or one of the analyst's home networks).
 * Works on the network-order bytes stored in `addrs.bin`; MAC-only hosts have none.
 */

export interface Cidr { bytes: Uint8Array; bits: number; text: string }

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128'];

function parseIpv4(text: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? Uint8Array.from(b) : null;
}

function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return null;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const part of s.split(':')) {
      if (part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const h = groups(head);
  const t = tail === null ? [] : groups(tail);
  if (!h || !t) return null;
  const fill = 8 - h.length - t.length;
  if ((tail === null && fill !== 0) || fill < 0) return null;
  const all = [...h, ...Array(tail === null ? 0 : fill).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

/** Address text → network-order bytes (4 or 16), or null when it is not an IP address. */
export function addressBytes(text: string): Uint8Array | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** "10.1.0.0/16" → a CIDR with its host bits cleared; null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  const bytes = addressBytes(m[1]);
  const bits = Number(m[2]);
  if (!bytes || bits > bytes.length * 8) return null;
  const masked = maskBytes(bytes, bits);
  return { bytes: masked, bits, text: `${formatBytes(masked)}/${bits}` };
}

function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] &= keep === 8 ? 0xff : (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

function formatBytes(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i] << 8) | b[2 * i + 1]).toString(16));
  // RFC 5952: compress the longest run of zero groups (two or more).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function inCidr(bytes: Uint8Array, c: Cidr): boolean {
  if (bytes.length !== c.bytes.length) return false;
  const masked = maskBytes(bytes, c.bits);
  return masked.every((x, i) => x === c.bytes[i]);
}

const PRIVATE_CIDRS = PRIVATE.map((t) => parseCidr(t)!);

/** RFC 1918 / RFC 4193 / loopback / link-local, or inside one of `home`. */
export function isInternal(bytes: Uint8Array | null, home: readonly Cidr[]): boolean {
  if (!bytes) return true; // MAC-only hosts are on the captured link
  return PRIVATE_CIDRS.some((c) => inCidr(bytes, c)) || home.some((c) => inCidr(bytes, c));
}

/** The /24 (IPv4) or /64 (IPv6) a host belongs to, as "203.0.113.0/24"; null for MAC-only hosts. */
export function groupPrefix(bytes: Uint8Array | null): string | null {
  if (!bytes) return null;
  const bits = bytes.length === 4 ? 24 : 64;
  return `${formatBytes(maskBytes(bytes, bits))}/${bits}`;
}
