import type { PacketSummary, TreeNode } from './packet-summary';

/**
 * What a decoder names as the next layer: which registry table to consult, with `DecodeContext.nextKey`
 * as the key. Decoders never call each other; the frame loop in decode-frame.ts does the lookup.
 */
export const NEXT_NONE = 0;
/** nextKey is an ethertype (Ethernet, VLAN, SLL, loopback). */
export const NEXT_ETHERTYPE = 1;
/** nextKey is an IP protocol number (IPv4 protocol / IPv6 next header after the extension headers). */
export const NEXT_IP_PROTO = 2;
/** The TCP payload; the ports and heuristics choose the application decoder. */
export const NEXT_TCP_PAYLOAD = 3;
/** The UDP payload; the ports choose the application decoder. */
export const NEXT_UDP_PAYLOAD = 4;

/**
 * Decoding state for one frame. decode-frame.ts owns a single instance and resets it per frame,
 * so the hot path allocates nothing here.
 */
export class DecodeContext {
  data: Uint8Array = new Uint8Array(0);
  out: PacketSummary = null as unknown as PacketSummary;
  tree: TreeNode[] | null = null;
  /** Start of the layer being decoded (absolute offset into `data`). */
  offset = 0;
  /** End of the captured bytes that belong to this layer (≤ data.length). */
  end = 0;
  /**
   * End of this layer as declared by the enclosing header (IP total length, UDP length); larger than
   * `end` when the capture was cut short (snaplen). Lengths "on the wire" are computed from it.
   */
  wireEnd = 0;
  next = NEXT_NONE;
  nextKey = 0;
  /** Set by IPv4/IPv6 for a fragment: the transport decoder reads its header but no payload. */
  ipFragment = false;
  /**
   * True when the caller gave the frame's original (on-wire) length. Then an IP length beyond it is
   * a lie in the header (malformed), not bytes the capture cut off (truncated).
   */
  wireLengthKnown = false;
  /** Transport ports, for the application-layer lookup. */
  sport = -1;
  dport = -1;
  /** Detail view only: the stream the TCP segment belongs to (null at ingest and in the packet list). */
  tcpStream: TcpStreamContext | null = null;
  /**
   * Whether the Info text is wanted. Ingest does not store it (it is derived from the bytes when a
   * page is shown), so it skips the hottest one, TCP's; every field and flag is decoded the same.
   */
  wantInfo = true;

  reset(data: Uint8Array, out: PacketSummary, tree: TreeNode[] | null, wireLength: number, tcpStream: TcpStreamContext | null = null,
    wantInfo = true): void {
    this.wantInfo = wantInfo;
    this.data = data;
    this.out = out;
    this.tree = tree;
    this.offset = 0;
    this.end = data.length;
    this.wireLengthKnown = wireLength >= data.length;
    this.wireEnd = this.wireLengthKnown ? wireLength : data.length;
    this.next = NEXT_NONE;
    this.nextKey = 0;
    this.ipFragment = false;
    this.sport = -1;
    this.dport = -1;
    this.tcpStream = tcpStream;
  }
}

/**
 * What the detail view knows about the TCP stream a segment belongs to, from the flow's other
 * packets (electron/query/tcp-stream-context.ts); the frame alone cannot tell. Detail path only.
 */
export interface TcpStreamContext {
  /** Sequence-number base of this segment's sender (tshark's relative numbering), null when unknown. */
  seqBase: number | null;
  /** Base of the other side, for the acknowledgement number. */
  ackBase: number | null;
  /** The sender's window multiplier: ≥ 1 when both SYNs were seen with the option; -1 unknown; -2 not used. */
  windowScale: number;
  /** Set when a TLS record that began in earlier segments ends in this one: the record bytes, whole. */
  reassembled?: ReassembledRecords;
  /** This segment is the middle of a record that ends in a later segment. */
  middleOfRecord?: boolean;
}

export interface ReassembledRecords {
  /** The reassembled bytes: from the start of the first record to this segment's last byte that belongs to it. */
  bytes: Uint8Array;
  /** Bytes of this segment's payload the reassembled records cover (the rest starts new records). */
  coveredInThisSegment: number;
  /** "3 Reassembled TCP Segments (895 bytes): #5(295), #6(400), #7(200)" and one line per segment. */
  summary: string;
  segments: string[];
}

/** Decodes the layer at ctx.offset..ctx.end and sets ctx.next/nextKey/offset/end for what follows. */
export type LayerDecoder = (ctx: DecodeContext) => void;

/**
 * Decodes an application payload at ctx.offset..ctx.end. Returns false, having changed nothing,
 * when the bytes do not look like this protocol, so the registry can try the next candidate.
 */
export type PayloadDecoder = (ctx: DecodeContext) => boolean;
