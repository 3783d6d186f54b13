/** Packets as the packet list and the detail pane see them, and the query that pages through them. */
import type { NsString } from './time';

export interface PacketRow {
  id: number;
  /** Seconds since the first packet of the case (float). */
  rel: number;
  /** Absolute time as [sec, nsec]. */
  ts: [number, number];
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  proto: string;
  length: number;
  info: string;
  tcpFlags: number | null;
  ipProto: number | null;
  flags: number;
  flowId: number | null;
  /** Coloring-rule class, decided by the service: syn | rst | icmp-error | dns-error | malformed | '' */
  color: string;
  annotated: boolean;
  /** Live annotations on this packet, and the tags they carry (the list's marker column). */
  annotationCount: number;
  annotationTags: string[];
}

export interface PacketQuery {
  filter?: string;
  /** Inclusive time range in nanoseconds (strings). */
  from?: NsString;
  to?: NsString;
  /** Restrict to a finding's evidence packets. */
  findingId?: number;
  /** Keyset paging: rows with id > after (forward) or id < before (backward). */
  after?: number;
  before?: number;
  limit?: number;
}

export interface PacketPage {
  rows: PacketRow[];
  /** More rows exist past this page in the paging direction. */
  hasMore: boolean;
}

export interface PacketDetail {
  id: number;
  row: PacketRow;
  captureName: string;
  frameNo: number;
  /** Decoded layer tree; byte ranges index into `bytesHex`. */
  tree: Array<{ label: string; start: number; length: number; children?: unknown[] }>;
  /** The frame's bytes read back from the source capture, hex-encoded; null when the source is unavailable. */
  bytesHex: string | null;
  bytesError?: string;
  comments: string[];
}
