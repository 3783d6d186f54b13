import type { PacketRow } from '../model/packet';
import { PKT_MALFORMED, PKT_TRUNCATED, TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-summary';
import { INFO_SOURCE_COLUMNS, type InfoSourceRow } from './packet-info';

/**
 * The columns of a packet-list row, selected from `packets AS p`. Time is split in SQL with integer
 * arithmetic because ts_ns exceeds 2^53 and would lose nanoseconds as a JS number. The floor-style
 * split keeps nsec in [0, 1e9) even for (unlikely) pre-1970 timestamps. Info is not a column: it is
 * derived from the packet's bytes (packet-info.ts) from the INFO_SOURCE_COLUMNS selected here.
 */
export const PACKET_ROW_COLUMNS = `
  p.id AS id,
  (p.ts_ns - ((p.ts_ns % 1000000000) + 1000000000) % 1000000000) / 1000000000 AS sec,
  ((p.ts_ns % 1000000000) + 1000000000) % 1000000000 AS nsec,
  coalesce((SELECT a.addr FROM addrs a WHERE a.id = p.src_id), '') AS src,
  coalesce((SELECT a.addr FROM addrs a WHERE a.id = p.dst_id), '') AS dst,
  p.sport AS sport, p.dport AS dport, (SELECT r.name FROM protocols r WHERE r.id = p.proto_id) AS proto, p.origlen AS origlen,
  p.tcp_flags AS tcp_flags, p.ip_proto AS ip_proto, p.flags AS flags, p.flow_id AS flow_id, ${INFO_SOURCE_COLUMNS},
  CASE WHEN p.proto_id IN (SELECT r.id FROM protocols r WHERE r.name IN ('DNS', 'MDNS'))
    THEN (SELECT d.rcode FROM dns_messages d WHERE d.packet_id = p.id) END AS dns_rcode,
  (SELECT count(*) FROM annotations n WHERE n.packet_id = p.id AND n.target_kind = 'packet' AND n.deleted = 0) AS annotation_count,
  (SELECT json_group_array(DISTINCT t.value) FROM annotations n, json_each(n.tags) t
    WHERE n.packet_id = p.id AND n.target_kind = 'packet' AND n.deleted = 0) AS annotation_tags`;

/** One row as selected by PACKET_ROW_COLUMNS, with `info` derived (packet-info.ts withInfo). */
export interface PacketDbRow extends InfoSourceRow {
  id: number;
  sec: number;
  nsec: number;
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  proto: string;
  origlen: number;
  info: string;
  tcp_flags: number | null;
  ip_proto: number | null;
  flags: number;
  flow_id: number | null;
  /** Only looked up for DNS/mDNS packets; null otherwise or when no message row exists. */
  dns_rcode: number | null;
  annotation_count: number;
  /** JSON array of the tags on the packet's live annotations. */
  annotation_tags: string | null;
}

// ICMP types that report an error about another packet (RFC 792, RFC 4443 §2.1).
const ICMP4_ERROR_TYPES = new Set([3, 4, 5, 11, 12]);

/** The coloring class. Rules are tried in order, so a broken packet shows as broken before anything else. */
export function packetColor(r: Pick<PacketDbRow, 'flags' | 'ip_proto' | 'tcp_flags' | 'sport' | 'dns_rcode' | 'proto'>): string {
  if (r.flags & (PKT_MALFORMED | PKT_TRUNCATED)) return 'malformed';
  const tcp = r.ip_proto === 6 ? r.tcp_flags ?? 0 : 0;
  if (tcp & TCP_RST) return 'rst';
  if ((tcp & TCP_SYN) && !(tcp & TCP_ACK)) return 'syn';
  if (r.ip_proto === 1 && r.sport !== null && ICMP4_ERROR_TYPES.has(r.sport)) return 'icmp-error';
  if (r.ip_proto === 58 && r.sport !== null && r.sport >= 1 && r.sport <= 4) return 'icmp-error';
  if ((r.proto === 'DNS' || r.proto === 'MDNS') && r.dns_rcode !== null && r.dns_rcode !== 0) return 'dns-error';
  return '';
}

/** Maps a selected row to the IPC shape. `rel` is computed from split parts so it stays exact to the ns. */
export function packetRowFrom(r: PacketDbRow, firstTsNs: bigint): PacketRow {
  const firstSec = Number(firstTsNs / 1_000_000_000n);
  const firstNsec = Number(firstTsNs % 1_000_000_000n);
  return {
    id: r.id,
    rel: (r.sec - firstSec) + (r.nsec - firstNsec) / 1e9,
    ts: [r.sec, r.nsec],
    src: r.src,
    dst: r.dst,
    sport: r.sport,
    dport: r.dport,
    proto: r.proto,
    length: r.origlen,
    info: r.info,
    tcpFlags: r.tcp_flags,
    ipProto: r.ip_proto,
    flags: r.flags,
    flowId: r.flow_id,
    color: packetColor(r),
    annotated: r.annotation_count > 0,
    annotationCount: r.annotation_count,
    annotationTags: r.annotation_count > 0 && r.annotation_tags ? (JSON.parse(r.annotation_tags) as string[]) : [],
  };
}
