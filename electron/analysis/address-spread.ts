/**
 * How scattered a set of source addresses is. Spoofed floods draw sources at random from the
 * whole address space, so they land in many unrelated /8 and /16 networks; a real botnet or a
 * single site clusters. IPv6 uses /32 and /48 (the usual allocation sizes) in their place.
 */

export function prefixOf(addr: string, wide: boolean): string {
  if (addr.includes(':')) {
    const groups = expandV6(addr);
    return groups.slice(0, wide ? 2 : 3).join(':');
  }
  const parts = addr.split('.');
  return parts.slice(0, wide ? 1 : 2).join('.');
}

function expandV6(addr: string): string[] {
  const [h, t] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const head = h ? h.split(':') : [];
  const tail = t ? t.split(':') : [];
  const fill = t === undefined ? 0 : Math.max(0, 8 - head.length - tail.length);
  return [...head, ...Array(fill).fill('0'), ...tail];
}

export interface Spread {
  sources: number;
  /** Distinct /8 (IPv6 /32) and /16 (IPv6 /48) networks. */
  wideNets: number;
  narrowNets: number;
}

export function spreadOf(addrs: Iterable<string>): Spread {
  const wide = new Set<string>();
  const narrow = new Set<string>();
  let sources = 0;
  for (const a of addrs) {
    sources++;
    wide.add(prefixOf(a, true));
    narrow.add(prefixOf(a, false));
  }
  return { sources, wideNets: wide.size, narrowNets: narrow.size };
}
