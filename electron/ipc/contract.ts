/**
 * The typed contract between the renderer and the services: one source of truth for both
 * transports (Electron IPC and browser mode). The renderer imports *types only* from here.
 *
 * Timestamps cross the boundary as { sec, nsec } pairs or as nanosecond strings, because
 * epoch nanoseconds do not fit in a JavaScript number.
 */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Nanoseconds since the epoch, as a decimal string (exact). */
export type NsString = string;

export interface CaptureInfo {
  id: number;
  path: string;
  name: string;
  size: number;
  sha256: string;
  format: string;
  compressed: boolean;
  linkTypes: number[];
  firstTs: NsString | null;
  lastTs: NsString | null;
  packetCount: number;
  byteCount: number;
  status: 'indexing' | 'complete' | 'incomplete' | 'failed';
  /** Source-file integrity at the time of the call. */
  integrity: 'ok' | 'missing' | 'changed' | 'unchecked';
  integrityDetail?: string;
  readErrors: Array<{ offset: number; message: string; fatal: boolean }>;
}

export interface Talker {
  addr: string;
  packets: number;
  bytes: number;
  names: string[];
}

export interface CaseOverview {
  casePath: string;
  status: 'empty' | 'indexing' | 'complete' | 'incomplete';
  captures: CaptureInfo[];
  firstTs: NsString | null;
  lastTs: NsString | null;
  packetCount: number;
  byteCount: number;
  flowCount: number;
  hostCount: number;
  topTalkers: Talker[];
  findings: FindingSummary[];
}

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

export interface FilterCheck {
  ok: boolean;
  error?: { position: number; message: string };
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

export type TimelineMetric = 'packets' | 'bytes';
export type TimelineDim = 'proto' | 'tcp';

export interface TimelineQuery {
  from?: NsString;
  to?: NsString;
  metric: TimelineMetric;
  dim: TimelineDim;
  /** Approximate number of buckets wanted over the range. */
  buckets?: number;
}

export interface TimelineSeries {
  /** Bucket width in nanoseconds (string) and in seconds (number, for the chart). */
  widthNs: NsString;
  widthSec: number;
  /** Start of bucket 0 as ns string, and the range asked or covered. */
  startNs: NsString;
  keys: string[];
  /** One entry per non-empty bucket: offset (in buckets from startNs) and one value per key. */
  points: Array<{ i: number; values: number[] }>;
}

export interface FlowRow {
  id: number;
  proto: string;
  ipProto: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  firstTs: NsString;
  lastTs: NsString;
  durationSec: number;
  origPkts: number;
  origBytes: number;
  respPkts: number;
  respBytes: number;
  connState: string | null;
  service: string | null;
  communityId: string;
}

export interface HostRow {
  addr: string;
  ipVersion: number;
  macs: string[];
  names: string[];
  pktsSent: number;
  bytesSent: number;
  pktsRecv: number;
  bytesRecv: number;
  firstTs: NsString;
  lastTs: NsString;
}

export interface ListQuery {
  sort?: string;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export interface Endpoint {
  addr: string;
  port?: number;
  proto?: string;
  service?: string;
}

export interface FindingSummary {
  id: number;
  kind: string;
  title: string;
  severity: Severity;
  confidence: number;
  startTs: NsString;
  endTs: NsString;
  targets: Endpoint[];
  sources: Endpoint[];
  evidenceTotal: number;
}

export interface Finding extends FindingSummary {
  metrics: Record<string, number | string>;
  explanation: string;
  affected: Array<{ addr: string; detail: string; count?: number; firstTs?: NsString; lastTs?: NsString }>;
  recommendations: string[];
  mitre: Array<{ id: string; name: string }>;
  evidencePacketIds: number[];
  flowIds: number[];
  /** Each evidence role as a display filter + time window selecting all of its packets. */
  evidenceQueries: EvidenceQuery[];
}

export interface EvidenceQuery {
  role: string;
  filter: string;
  from: NsString;
  to: NsString;
  total: number;
  /** False when the role's packets could not be described exactly: the list then shows its cited sample. */
  exact: boolean;
}

export interface IngestProgress {
  jobId: number;
  captureName: string;
  bytesRead: number;
  bytesTotal: number;
  packets: number;
  packetsPerSec: number;
  etaSec: number | null;
  phase: 'reading' | 'indexing' | 'detecting' | 'done';
}

export interface IngestDone {
  jobId: number;
  ok: boolean;
  packets: number;
  errors: string[];
  cancelled: boolean;
}

/** Request → response channels. */
export interface Channels {
  'case.overview': { args: Record<string, never>; result: CaseOverview };
  'capture.import': { args: { paths: string[] }; result: { jobId: number } };
  'capture.cancel': { args: { jobId: number }; result: { ok: boolean } };
  'capture.relocate': { args: { captureId: number; path: string }; result: CaptureInfo };
  'filter.check': { args: { filter: string }; result: FilterCheck };
  'packets.page': { args: PacketQuery; result: PacketPage };
  'packets.count': { args: PacketQuery; result: { count: number } };
  'packets.locate': { args: { id: number } & PacketQuery; result: { exists: boolean } };
  'packet.detail': { args: { id: number }; result: PacketDetail };
  'timeline.get': { args: TimelineQuery; result: TimelineSeries };
  'flows.list': { args: ListQuery; result: { rows: FlowRow[]; total: number } };
  'hosts.list': { args: ListQuery; result: { rows: HostRow[]; total: number } };
  'findings.list': { args: Record<string, never>; result: FindingSummary[] };
  'findings.get': { args: { id: number }; result: Finding };
  'report.export': { args: { format: 'md' | 'html' }; result: { content: string; fileName: string } };
}

export type Channel = keyof Channels;
export type ArgsOf<C extends Channel> = Channels[C]['args'];
export type ResultOf<C extends Channel> = Channels[C]['result'];

/** Main → renderer pushes. */
export interface Events {
  'ingest.progress': IngestProgress;
  'ingest.done': IngestDone;
  /** The open case changed (new case opened, captures added, findings recomputed): refetch. */
  'case.changed': { casePath: string };
  /** A menu command from the desktop shell, e.g. 'open-capture', 'find', 'goto', 'export-report'. */
  'menu.command': { command: string };
}
export type EventName = keyof Events;

/** Errors carried over either transport. `code` lets the UI choose how to show it. */
export interface ApiError {
  code: 'bad-argument' | 'not-found' | 'bad-filter' | 'source-missing' | 'source-changed' | 'busy' | 'internal';
  message: string;
  position?: number;
}

/** The full list of channel names, for runtime checks on both transports. */
export const CHANNELS = [
  'case.overview', 'capture.import', 'capture.cancel', 'capture.relocate', 'filter.check',
  'packets.page', 'packets.count', 'packets.locate', 'packet.detail', 'timeline.get', 'flows.list',
  'hosts.list', 'findings.list', 'findings.get', 'report.export',
] as const satisfies readonly Channel[];

/**
 * What the Electron preload exposes on `window.flowcase` through contextBridge: one named method
 * per channel (no generic invoke), plus a subscription for the typed push events.
 * Browser mode provides the same shape over HTTP + WebSocket (renderer/src/lib/api.ts).
 */
export type ChannelMethods = { [C in Channel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> };
export interface PreloadApi extends ChannelMethods {
  readonly transport: 'electron';
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Native file dialog (Electron only); resolves to the chosen paths, empty when cancelled. */
  chooseCaptures(): Promise<string[]>;
  /**
   * The file-system path of a File dropped on the window (sandboxed pages cannot read File.path);
   * the renderer then passes the paths to `capture.import`. Typed `object` because this module is
   * compiled without the DOM library; pass a DOM `File`.
   */
  pathForFile?(file: object): string;
}
// Channel methods on `window.flowcase` reject with a plain ApiError object ({ code, message, position? }),
// the same shape browser mode returns in the body of a 4xx/5xx response.
