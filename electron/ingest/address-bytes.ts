/** Address text ↔ network-order bytes, for CIDR matching (addrs.bin) and the Community ID hash. */

/** Dotted-quad parser without split or regex: it runs once per new address and per flow. */
export function ipv4Bytes(text: string): Uint8Array | null {
  const out = new Uint8Array(4);
  let part = 0, value = 0, digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual '.' ends the last part
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return null;
    } else if (c === 46) {
      if (digits === 0 || part > 3) return null;
      out[part++] = value;
      value = 0; digits = 0;
    } else return null;
  }
  return part === 4 ? out : null;
}

export function ipv6Bytes(text: string): Uint8Array | null {
  if (!text.includes(':')) return null;
  let head = text;
  let tailV4: Uint8Array | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    tailV4 = ipv4Bytes(text.slice(lastColon + 1));
    if (!tailV4) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...new Array(halves.length === 2 ? missing : 0).fill(0), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) { out[i * 2] = groups[i] >> 8; out[i * 2 + 1] = groups[i] & 0xff; }
  if (tailV4) out.set(tailV4, 12);
  return out;
}

export function addressBytes(text: string): Uint8Array | null {
  return text.includes(':') ? ipv6Bytes(text) : ipv4Bytes(text);
}
