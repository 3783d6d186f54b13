import type { CaptureInterface, ReadError } from '../capture/capture-record';
import type { DnsTransaction } from './dns-matcher';
import type { PackedFlows } from './flow-pack';
import type { HostRecord } from './host-table';
import type { TimelineDelta } from './timeline-accumulator';

/** Messages between the ingest writer (caller's thread) and the decode worker. */

export interface CaptureJob {
  captureId: number;
  path: string;
}

export interface WorkerStart {
  type: 'start';
  captures: CaptureJob[];
  firstPacketId: number;
  firstFlowId: number;
  existingAddrs: Array<[number, string]>;
  existingProtocols: Array<[number, string]>;
  /** Packets per batch sent to the writer. */
  batchSize: number;
}

export type WriterToWorker = WorkerStart | { type: 'ack' } | { type: 'cancel' };

/**
 * The packed packet layout: each packet is NUM_STRIDE numbers in `PacketBatch.nums` (a
 * Float64Array, transferred rather than copied), and COL names the offset of each column within
 * them. The decode worker writes by these names and the case writer reads by them.
 */
export const COL = {
  id: 0, frameNo: 1, ifIndex: 2, caplen: 3, origLen: 4, dataOffset: 5, ipVer: 6, srcId: 7, dstId: 8,
  /** For ICMP: the type and code (the Wireshark convention the packet list shows). */
  sport: 9, dport: 10,
  ipProto: 11, tcpFlags: 12, flowId: 13, flags: 14, protoId: 15,
} as const;
export const NUM_STRIDE = Object.keys(COL).length;
export const TEXT_SEP = '\u0000';

export interface PacketBatch {
  type: 'batch';
  captureId: number;
  count: number;
  /** count × NUM_STRIDE numbers; -1 stands for NULL in the nullable columns. */
  nums: Float64Array;
  tsNs: BigInt64Array;
  /**
   * Info text of every packet, joined with TEXT_SEP, for gzip captures only (stored in packet_info:
   * their bytes cannot be read back at an offset cheaply); '' otherwise, where Info is derived from
   * the bytes when shown. One long string crosses the thread boundary far faster than many small ones.
   */
  text: string;
  newAddrs: Array<[number, string, Uint8Array | null]>;
  newProtocols: Array<[number, string]>;
  /** Flows finished since the last batch, packed (flow-pack.ts): their buffers are transferred. */
  flows: PackedFlows;
  dns: Array<[packetId: number, txid: number, isResponse: number, opcode: number, rcode: number, qname: string, qtype: number, answers: string]>;
  dnsTx: DnsTransaction[];
  http: HttpRow[];
  tls: TlsHelloRow[];
  icmpErrors: IcmpErrorRow[];
  arp: ArpRow[];
  comments: Array<[packetId: number, text: string]>;
  /** Names from the A/AAAA answers of successful DNS responses, in packet order (ingest/host-name-stage.ts keeps them). */
  hostNames: Array<[addr: string, name: string]>;
  timeline: TimelineDelta;
  /** Capture file bytes consumed so far, for progress. */
  fileBytesRead: number;
}

/** Rows for the protocol tables, named as their columns are (case-writer.ts binds them by name). */
export interface HttpRow {
  packetId: number; flowId: number | null; kind: string; method: string | null; uri: string | null; version: string | null;
  host: string | null; userAgent: string | null; status: number | null; reason: string | null;
}
export interface TlsHelloRow { packetId: number; flowId: number | null; sni: string | null; version: string }
export interface IcmpErrorRow {
  packetId: number; icmpVer: number; type: number; code: number; reporterId: number | null;
  /** The quoted packet inside the ICMP error, when there is one. */
  origSrc: string | null; origDst: string | null; origProto: number | null; origSport: number | null; origDport: number | null;
  origFlowId: number | null; dnsQname: string | null;
}
export interface ArpRow { packetId: number; op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string }

export interface InterfaceSeen { type: 'interface'; captureId: number; iface: CaptureInterface }

export interface CaptureFinished {
  type: 'capture-done';
  captureId: number;
  format: string;
  compressed: boolean;
  bigEndian: boolean;
  packets: number;
  bytes: number;
  firstTsNs: bigint | null;
  lastTsNs: bigint | null;
  /** SHA-256 of the file as stored, computed while reading it; '' when it could not be read. */
  sha256: string;
  linkTypes: number[];
  errors: ReadError[];
  sectionComments: string[];
  interfaceComments: Array<[ifIndex: number, text: string]>;
  stoppedEarly: boolean;
  /** Set when the file could not be read at all (not a capture, unreadable). */
  failure: string | null;
}

export interface JobFinished {
  type: 'job-done';
  hosts: HostRecord[];
  /** Names from pcapng name resolution blocks, in the order read. */
  nrbNames: Array<[addr: string, name: string]>;
  /** The address dictionary's next id: addresses named only by DNS or NRB are numbered from here. */
  nextAddrId: number;
  cancelled: boolean;
  /** Last batch of anything still buffered (flows closed at the end, unanswered DNS...). */
  final: PacketBatch;
}

export type WorkerToWriter = PacketBatch | InterfaceSeen | CaptureFinished | JobFinished | { type: 'fatal'; message: string };
