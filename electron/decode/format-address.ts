/*
 * Address text for the Source/Destination columns. Ingest formats two addresses per packet, so IPv4
 * and MAC text are memoised in small direct-mapped caches: traffic repeats the same few hosts, and a
 * hit costs two array reads instead of building a string.
 */
import { u16, u32 } from './read-bytes';

const DEC: string[] = [];
const HEX2: string[] = [];
for (let i = 0; i < 256; i++) {
  DEC.push(String(i));
  HEX2.push((i < 16 ? '0' : '') + i.toString(16));
}

const V4_SLOTS = 1024;
/** Key + 1, so that the zero-filled array never matches 0.0.0.0 by accident. */
const v4Keys = new Float64Array(V4_SLOTS);
const v4Text: string[] = new Array<string>(V4_SLOTS).fill('');

/** Dotted-quad text of the IPv4 address at data[o..o+4) (caller checked bounds). */
export function ipv4Text(d: Uint8Array, o: number): string {
  const v = u32(d, o);
  const slot = (v ^ (v >>> 10) ^ (v >>> 20)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === v + 1) return v4Text[slot];
  const s = DEC[d[o]] + '.' + DEC[d[o + 1]] + '.' + DEC[d[o + 2]] + '.' + DEC[d[o + 3]];
  v4Keys[slot] = v + 1;
  v4Text[slot] = s;
  return s;
}

const MAC_SLOTS = 256;
const macKeys = new Float64Array(MAC_SLOTS);
const macTextCache: string[] = new Array<string>(MAC_SLOTS).fill('');

/** `aa:bb:cc:dd:ee:ff` for the 6 bytes at data[o..o+6) (caller checked bounds). */
export function macText(d: Uint8Array, o: number): string {
  const hi = u16(d, o);
  const lo = u32(d, o + 2);
  const key = hi * 4294967296 + lo + 1; // exact: < 2^53
  const slot = (lo ^ (lo >>> 13) ^ hi ^ (hi >>> 7)) & (MAC_SLOTS - 1);
  if (macKeys[slot] === key) return macTextCache[slot];
  const s = HEX2[d[o]] + ':' + HEX2[d[o + 1]] + ':' + HEX2[d[o + 2]] + ':' + HEX2[d[o + 3]] + ':' + HEX2[d[o + 4]] + ':' + HEX2[d[o + 5]];
  macKeys[slot] = key;
  macTextCache[slot] = s;
  return s;
}

/** Colon-separated hex of a hardware address of any length (SLL addresses, ARP with odd hardware types). */
export function hwAddrText(d: Uint8Array, o: number, len: number): string {
  if (len === 6) return macText(d, o);
  let s = '';
  for (let i = 0; i < len; i++) s += (i === 0 ? '' : ':') + HEX2[d[o + i]];
  return s;
}

/**
 * RFC 5952 text of the IPv6 address at data[o..o+16): lowercase, no leading zeros, the longest run
 * (first on a tie) of two or more zero groups becomes "::", and IPv4-mapped addresses end in
 * dotted-quad (§5).
 */
export function ipv6Text(d: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 1; // a single zero group is not compressed (§4.2.2)
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = d[o + 2 * i] === 0 && d[o + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) { bestLen = len; bestStart = runStart; }
    } else {
      runStart = -1;
    }
  }
  if (bestStart === 0 && bestLen === 5 && d[o + 10] === 0xff && d[o + 11] === 0xff) {
    return '::ffff:' + ipv4Text(d, o + 12);
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && s[s.length - 1] !== ':') s += ':';
    s += u16(d, o + 2 * i).toString(16);
  }
  return s;
}
