import { createHash } from 'node:crypto';
import type { CaseDb } from '../../db/open-case';

/**
 * Community ID flow hash, version 1 (Corelight spec): lets an analyst pivot from a Flowcase
 * flow to the same connection in Zeek, Suricata or Arkime.
 * Layout hashed: seed(2, BE) | src ip | dst ip | proto(1) | pad(1) | sport(2, BE) | dport(2, BE),
 * endpoints ordered so that both directions give the same hash.
 */

// ICMP types that have a counterpart ("port" pairs in the spec); others are one-way.
const ICMP4_COUNTERPART: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
const ICMP6_COUNTERPART: Record<number, number> = { 128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 144: 145, 145: 144 };

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * @param src, dst network-order address bytes (4 or 16)
 * @param sport, dport TCP/UDP ports, or for ICMP/ICMPv6 the type and code
 */
export function communityId(proto: number, src: Uint8Array, dst: Uint8Array, sport: number, dport: number, seed = 0): string {
  let oneWay = false;
  if (proto === 1 || proto === 58) {
    const table = proto === 1 ? ICMP4_COUNTERPART : ICMP6_COUNTERPART;
    const type = sport;
    const counterpart = table[type];
    if (counterpart === undefined) { oneWay = true; dport = dport & 0xffff; }
    else dport = counterpart;
  }
  const hasPorts = proto === 6 || proto === 17 || proto === 132 || proto === 1 || proto === 58;
  let a = src, b = dst, pa = sport, pb = dport;
  const c = compareBytes(a, b);
  if (!oneWay && (c > 0 || (c === 0 && pa > pb))) { a = dst; b = src; pa = dport; pb = sport; }
  const len = 2 + a.length + b.length + 2 + (hasPorts ? 4 : 0);
  const buf = Buffer.alloc(len);
  let o = 0;
  buf.writeUInt16BE(seed & 0xffff, o); o += 2;
  buf.set(a, o); o += a.length;
  buf.set(b, o); o += b.length;
  buf[o++] = proto & 0xff;
  buf[o++] = 0;
  if (hasPorts) { buf.writeUInt16BE(pa & 0xffff, o); o += 2; buf.writeUInt16BE(pb & 0xffff, o); }
  return '1:' + createHash('sha1').update(buf).digest('base64');
}

const registered = new WeakSet<CaseDb>();

/**
 * `community_id(ip_proto, orig_bin, resp_bin, orig_port, resp_port)` in SQL: a flow's Community ID
 * from its row and its addresses' bytes (addrs.bin), '' for flows between MAC addresses. Cases
 * indexed since issue 11 store '' in flows.community_id and compute it when read (30 bytes a flow
 * less; the Conversations search compares it row by row either way); older cases keep theirs.
 */
export function registerCommunityIdFunction(db: CaseDb): void {
  if (registered.has(db)) return;
  db.function('community_id', { deterministic: true }, (proto: unknown, a: unknown, b: unknown, sport: unknown, dport: unknown) => {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return '';
    return communityId(Number(proto), a, b, Number(sport), Number(dport));
  });
  registered.add(db);
}

/** The flow's Community ID as SQL over `flows f` joined to its addresses `o` (originator) and `r` (responder). */
export const COMMUNITY_ID_SQL = "coalesce(nullif(f.community_id, ''), community_id(f.ip_proto, o.bin, r.bin, f.orig_port, f.resp_port))";
