/**
 * What the detail view needs to know about a TCP segment's stream that the segment alone cannot
 * say (tshark keeps this as per-stream state while it reads the whole file; the case keeps neither
 * sequence numbers nor payloads, so it is rebuilt on demand from the flow's packets, read back from
 * the source capture):
 *
 * - relative sequence and acknowledgement numbers: each side's base is the initial sequence number
 *   of its SYN, or one less than the first sequence number it sent, or one less than the first
 *   acknowledgement the other side sent it, whichever the flow shows first (tshark's rule);
 * - window scaling (RFC 7323 §2.2): each side's own shift when both SYN and SYN/ACK carried the
 *   option, "not used" when a SYN seen lacks it, "unknown" when the handshake was not captured;
 * - TLS records that span segments: when this segment completes a record that began earlier, the
 *   record's bytes, reassembled from the same side's earlier segments.
 *
 * Bounded: the bases and window scale come from the flow's first EARLY_PACKETS packets; reassembly
 * reads at most MAX_SEGMENTS of the sender's segments before this one and only while this segment
 * lies within the first MAX_STREAM_BYTES of its side of the stream (TLS handshakes come first).
 */
import type { CaseDb } from '../../db/open-case';
import type { ReassembledRecords, TcpStreamContext } from '../decode/decode-context';
import { decodeFrame } from '../decode/decode-frame';
import { newSummary, TCP_ACK, TCP_SYN, type TreeNode } from '../decode/packet-summary';
import { PacketInfoReader, type InfoSourceRow } from './packet-info';

const EARLY_PACKETS = 16;
const MAX_SEGMENTS = 256;
const MAX_STREAM_BYTES = 1 << 20;
const TLS_RECORD_HEADER = 5;
/** RFC 8446 §5.2 allows 2^14 + 256 bytes of ciphertext; TLS 1.2 up to 2^14 + 2048. */
const MAX_TLS_RECORD = 16384 + 2048;

interface FlowPacketRow extends InfoSourceRow { frame_no: number; flow_id: number | null; ip_proto: number | null }

interface Side {
  base: number | null;
  /** -1 no SYN seen from this side; -2 its SYN had no window-scale option; else the shift. */
  synShift: number;
}

interface Segment { frameNo: number; relSeq: number; bytes: Uint8Array }

const COLUMNS = 'id, frame_no, capture_id, if_index, caplen, origlen, data_offset, flow_id, ip_proto';

function relative(value: number, base: number): number {
  return (value - base + 0x100000000) % 0x100000000;
}

/** The stream context of TCP packet `id`, or null for a packet that is not TCP in a flow (or cannot be read). */
export function tcpStreamContext(db: CaseDb, id: number): TcpStreamContext | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM packets WHERE id = ?`).get(id) as FlowPacketRow | undefined;
  if (row === undefined || row.ip_proto !== 6 || row.flow_id === null) return null;
  const reader = new PacketInfoReader(db);
  try {
    const me = reader.decode(row);
    if (me === null || me.ipProto !== 6 || me.sport < 0) return null;
    const myKey = me.src + '|' + me.sport;
    const mySeq = me.tcpSeq >>> 0;
    const myPayload = me.payloadLen;
    const early = db.prepare(`SELECT ${COLUMNS} FROM packets WHERE flow_id = ? ORDER BY id LIMIT ${EARLY_PACKETS}`).all(row.flow_id) as FlowPacketRow[];
    const sides = new Map<string, Side>();
    const side = (key: string): Side => {
      let s = sides.get(key);
      if (s === undefined) { s = { base: null, synShift: -1 }; sides.set(key, s); }
      return s;
    };
    let otherKey: string | null = null;
    for (const r of early.some((e) => e.id === id) ? early : [...early, row]) {
      const s = reader.decode(r);
      if (s === null || s.ipProto !== 6) continue;
      const key = s.src + '|' + s.sport;
      const peer = s.dst + '|' + s.dport;
      if (key !== myKey) otherKey = key;
      if (peer !== myKey) otherKey = peer;
      const from = side(key);
      const syn = (s.tcpFlags & TCP_SYN) !== 0;
      if (from.base === null) from.base = syn ? s.tcpSeq >>> 0 : ((s.tcpSeq >>> 0) + 0xffffffff) % 0x100000000;
      if ((s.tcpFlags & TCP_ACK) !== 0 && side(peer).base === null) side(peer).base = ((s.tcpAck >>> 0) + 0xffffffff) % 0x100000000;
      if (syn && from.synShift === -1) from.synShift = s.tcpWsShift >= 0 ? Math.min(s.tcpWsShift, 14) : -2;
    }
    const mine = side(myKey);
    const theirs = otherKey !== null ? side(otherKey) : { base: null, synShift: -1 };
    const context: TcpStreamContext = { seqBase: mine.base, ackBase: theirs.base, windowScale: windowScale(mine, theirs) };
    if (myPayload > 0 && mine.base !== null) reassemble(db, reader, row, myKey, mine.base, relative(mySeq, mine.base), context);
    return context;
  } finally {
    reader.close();
  }
}

/** RFC 7323 §2.2: scaling is in effect only when both SYNs carried the option. */
function windowScale(mine: Side, theirs: Side): number {
  if (mine.synShift === -2 || theirs.synShift === -2) return -2;
  if (mine.synShift === -1 || theirs.synShift === -1) return -1;
  return 2 ** mine.synShift;
}

/** This segment's sender's earlier segments, decoded with a tree to find where each payload starts. */
function senderSegments(db: CaseDb, reader: PacketInfoReader, row: FlowPacketRow, key: string, base: number): Segment[] | null {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM packets WHERE flow_id = ? AND id <= ? ORDER BY id LIMIT ${MAX_SEGMENTS + 1}`)
    .all(row.flow_id, row.id) as FlowPacketRow[];
  if (rows.length === 0 || rows[rows.length - 1].id !== row.id) return null; // too far into the flow
  const segments: Segment[] = [];
  const summary = newSummary();
  for (const r of rows) {
    const frame = reader.frame(r);
    if (frame === null) return null;
    const tree: TreeNode[] = [];
    decodeFrame(frame.linkType, frame.bytes, summary, tree, r.origlen);
    if (summary.ipProto !== 6 || summary.src + '|' + summary.sport !== key || summary.payloadLen <= 0) continue;
    const tcp = tree.find((n) => n.label.startsWith('Transmission Control Protocol'));
    if (tcp === undefined) continue;
    const start = tcp.start + tcp.length;
    const end = Math.min(frame.bytes.length, start + summary.payloadLen);
    if (end <= start) continue;
    segments.push({ frameNo: r.frame_no, relSeq: relative(summary.tcpSeq >>> 0, base), bytes: frame.bytes.slice(start, end) });
  }
  return segments;
}

function plausibleTlsHeader(b: Uint8Array, p: number): boolean {
  return b[p] >= 20 && b[p] <= 24 && b[p + 1] === 3 && b[p + 2] <= 4 && ((b[p + 3] << 8) | b[p + 4]) <= MAX_TLS_RECORD;
}

/**
 * Walks the sender's TLS records from its first data byte up to this segment. When a record began
 * before this segment and ends in it, its bytes go into context.reassembled; when it ends after it,
 * the segment is marked as the middle of a record. Gives up quietly on a gap, a retransmission that
 * disagrees, a stream that is not TLS, or one too long to walk.
 */
function reassemble(db: CaseDb, reader: PacketInfoReader, row: FlowPacketRow, key: string, base: number, myRelSeq: number, context: TcpStreamContext): void {
  if (myRelSeq > MAX_STREAM_BYTES) return;
  const segments = senderSegments(db, reader, row, key, base);
  if (segments === null || segments.length < 2) return;
  const mine = segments[segments.length - 1];
  const earlier = segments.slice(0, -1).filter((s) => s.relSeq < myRelSeq).sort((a, b) => a.relSeq - b.relSeq);
  if (earlier.length === 0) return;
  const streamStart = earlier[0].relSeq;
  if (!plausibleTlsHeader(earlier[0].bytes, 0) || earlier[0].bytes[0] !== 22) return; // a handshake opens a TLS stream
  // The sender's bytes from its first segment to the end of this one, with the frames they came from.
  const total = myRelSeq + mine.bytes.length - streamStart;
  if (total > MAX_STREAM_BYTES) return;
  const buffer = new Uint8Array(total);
  const parts: Array<{ frameNo: number; from: number; to: number }> = [];
  let filled = 0;
  for (const s of [...earlier, mine]) {
    const from = s.relSeq - streamStart;
    if (from > filled) return; // a gap: a segment not captured
    const skip = filled - from; // a retransmission overlapping what is there already
    if (skip >= s.bytes.length) continue;
    buffer.set(s.bytes.subarray(skip, Math.min(s.bytes.length, total - from)), filled);
    const to = Math.min(from + s.bytes.length, total);
    parts.push({ frameNo: s.frameNo, from: filled, to });
    filled = to;
  }
  if (filled < total) return;
  const myStart = myRelSeq - streamStart;
  let pos = 0;
  for (let n = 0; n < 4096; n++) {
    if (pos + TLS_RECORD_HEADER > total || !plausibleTlsHeader(buffer, pos)) return;
    const next = pos + TLS_RECORD_HEADER + ((buffer[pos + 3] << 8) | buffer[pos + 4]);
    if (next > myStart) break;
    pos = next;
  }
  if (pos === myStart) return; // this segment starts a record: it decodes on its own
  const recordEnd = pos + TLS_RECORD_HEADER + ((buffer[pos + 3] << 8) | buffer[pos + 4]);
  if (recordEnd > total) { context.middleOfRecord = true; return; }
  context.reassembled = reassembledRecords(buffer.subarray(pos, recordEnd), pos, recordEnd, myStart, parts);
}

function reassembledRecords(bytes: Uint8Array, from: number, to: number, myStart: number, parts: Array<{ frameNo: number; from: number; to: number }>): ReassembledRecords {
  const used = parts.filter((p) => p.to > from && p.from < to).map((p) => ({ frameNo: p.frameNo, from: Math.max(p.from, from) - from, to: Math.min(p.to, to) - from }));
  const summary = used.length + ' Reassembled TCP Segments (' + bytes.length + ' bytes): ' + used.map((p) => '#' + p.frameNo + '(' + (p.to - p.from) + ')').join(', ');
  const segments = used.map((p) => 'Frame: ' + p.frameNo + ', payload: ' + p.from + '-' + (p.to - 1) + ' (' + (p.to - p.from) + ' bytes)');
  return { bytes, coveredInThisSegment: to - myStart, summary, segments };
}
