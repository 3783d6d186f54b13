/**
 * Colours for timeline series and packet-row classes. Known keys keep a fixed colour so the
 * same protocol looks the same in every case; unknown keys take the next free colour.
 */

export const KNOWN_SERIES: Record<string, string> = {
  // TCP flag classes
  syn: '#e8842c',
  synack: '#e3c04a',
  rst: '#d64541',
  fin: '#8e6bb8',
  other: '#9aa6b2',
  // protocols
  TCP: '#4e79a7',
  UDP: '#59a14f',
  DNS: '#2aa198',
  ICMP: '#d64541',
  ICMPv6: '#c0504d',
  HTTP: '#9c6ade',
  TLS: '#8c6d4f',
  ARP: '#b5a642',
  IPv6: '#7f8c8d',
  SSH: '#3d8eb9',
};

const FALLBACK = ['#76b7b2', '#ff9da7', '#9c755f', '#edc948', '#b07aa1', '#86bcb6', '#f1ce63', '#d4a6c8', '#499894', '#a0cbe8', '#8cd17d', '#b6992d'];

function knownColour(key: string): string | undefined {
  if (KNOWN_SERIES[key]) return KNOWN_SERIES[key];
  if (/^TLS/i.test(key) || /^SSL/i.test(key)) return KNOWN_SERIES.TLS;
  const upper = key.toUpperCase();
  for (const k of Object.keys(KNOWN_SERIES)) if (k.toUpperCase() === upper) return KNOWN_SERIES[k];
  return undefined;
}

/** A colour per key, stable for known keys, distinct for the rest. */
export function seriesColours(keys: readonly string[]): string[] {
  const used = new Set<string>();
  // A known colour goes to the first key that claims it (TLSv1.2 and TLSv1 both map to TLS):
  // later claimants take a free colour so no two series look the same.
  const out: string[] = keys.map((k) => {
    const c = knownColour(k);
    if (!c || used.has(c)) return '';
    used.add(c);
    return c;
  });
  let next = 0;
  const free = FALLBACK.filter((c) => !used.has(c));
  for (let i = 0; i < out.length; i++) {
    if (!out[i]) out[i] = free.length ? free[next++ % free.length]! : '#999999';
  }
  return out;
}

/** Human labels for TCP flag classes. */
export const TCP_CLASS_LABEL: Record<string, string> = {
  syn: 'SYN',
  synack: 'SYN/ACK',
  rst: 'RST',
  fin: 'FIN',
  other: 'other',
};

/** Packet-row colouring rules (PacketRow.color), in legend order. */
export const ROW_CLASSES: Array<{ key: string; label: string }> = [
  { key: 'syn', label: 'TCP SYN' },
  { key: 'rst', label: 'TCP RST' },
  { key: 'icmp-error', label: 'ICMP error' },
  { key: 'dns-error', label: 'DNS error' },
  { key: 'malformed', label: 'Malformed' },
];

export const SEVERITY_COLOUR: Record<string, string> = {
  critical: '#a3122a',
  high: '#d64541',
  medium: '#e8842c',
  low: '#c9a227',
  info: '#5b7a99',
};
