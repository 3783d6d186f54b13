/**
 * Domain types of the host graph, the per-host panel and the conversation ladder (issue 9).
 * Every stage may import these; the IPC contract only names the channels that carry them.
 */

/** Timestamps as nanoseconds since the epoch, in a decimal string (exact). */
type Ns = string;

/** How a conversation ended, for edge colour: worst first. */
export const OUTCOMES = ['half-open', 'rejected', 'icmp-unreachable', 'completed', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A node's part in the findings: target of an attack, its source, a client it hurt, or none. */
export const ROLES = ['target', 'source', 'affected', 'other'] as const;
export type NodeRole = (typeof ROLES)[number];

export type GraphMeasure = 'bytes' | 'packets';

/** What the graph shows: the packet list's scope plus the graph's own knobs. */
export interface GraphQuery {
  filter?: string;
  from?: Ns;
  to?: Ns;
  findingId?: number;
  /** Nodes kept by the measure; the rest fold into "N other hosts" nodes. Default 150. */
  top?: number;
  /** 24: group IPv4 by /24 and IPv6 by /64. */
  group?: 0 | 24;
  measure?: GraphMeasure;
  /** Node keys whose peers are always shown ("expand in place"). */
  expand?: string[];
  /**
   * Draw at most this many edges: every node keeps its heaviest edge, then the heaviest of the rest.
   * Absent: all edges (the CLI, the tests). The Graph view asks for DEFAULT_MAX_EDGES.
   */
  maxEdges?: number;
}

/** Live annotations on a node (its hosts) or an edge (flows of its pairs): the badge's content. */
export interface AnnotationBadge {
  /** Live (not deleted) annotations. */
  count: number;
  /** Their tags, de-duplicated, most serious first (fixed vocabulary order, then other tags A–Z). */
  tags: string[];
}

export interface GraphNode {
  /** Stable key: the address, the prefix ("203.0.113.0/24") or "others:<peer>:<side>". */
  id: string;
  /** The address or prefix as shown; for a fold node, "6000 other hosts". */
  addr: string;
  kind: 'host' | 'group' | 'fold';
  /** Best name (DNS answer or pcapng name record), '' when none. */
  name: string;
  packets: number;
  bytes: number;
  pktsOut: number;
  pktsIn: number;
  peers: number;
  role: NodeRole;
  internal: boolean;
  /** Hosts inside a group or fold node (1 for a plain host). */
  members: number;
  /** Findings that name this node (ids), for the legend and the panel. */
  findingIds: number[];
  /** Annotations on this host (for a group or fold node, on its member hosts); absent when none. */
  annotations?: AnnotationBadge;
}

export interface GraphEdge {
  /** Originator → responder. */
  src: string;
  dst: string;
  packets: number;
  bytes: number;
  flows: number;
  /** "443/tcp https", most flows first, at most 6. */
  services: string[];
  /** Flow count per outcome. */
  states: Partial<Record<Outcome, number>>;
  /** The outcome that colours the edge. */
  outcome: Outcome;
  firstTs: Ns;
  lastTs: Ns;
  /** Annotations on the flows this edge carries; absent when none. */
  annotations?: AnnotationBadge;
}

export interface HostGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Edges between the nodes shown before `maxEdges` cut the lightest (= edges.length when nothing was cut). */
  edgeTotal: number;
  /** Distinct addresses in scope before grouping and folding. */
  hostTotal: number;
  /** Hosts folded into "other hosts" nodes. */
  folded: number;
  /** Saved positions for the nodes shown (per case). */
  positions: Record<string, { x: number; y: number; pinned: boolean }>;
  homeNetworks: string[];
}

export interface HostPeer {
  addr: string;
  name: string;
  packets: number;
  bytes: number;
  flows: number;
  /** Which side opened the conversations: 'out' (this host), 'in' or 'both'. */
  direction: 'out' | 'in' | 'both';
  services: string[];
  states: Partial<Record<Outcome, number>>;
  outcome: Outcome;
}

export interface HostProfile {
  addr: string;
  names: string[];
  macs: string[];
  internal: boolean;
  firstTs: Ns | null;
  lastTs: Ns | null;
  pktsOut: number;
  bytesOut: number;
  pktsIn: number;
  bytesIn: number;
  peers: HostPeer[];
  peerTotal: number;
  /** Services this host answered on, and the ones it contacted: "443/tcp https" with flow counts. */
  served: Array<{ service: string; flows: number; peers: number }>;
  contacted: Array<{ service: string; flows: number; peers: number }>;
  findings: Array<{ id: number; title: string; severity: string; role: NodeRole }>;
  /** The host's packets over time, one value per bucket (the timeline chart's shape). */
  activity: { startNs: Ns; widthNs: Ns; widthSec: number; points: Array<{ i: number; values: number[] }>; keys: string[] };
}

/** What a ladder shows: one flow, a host pair, or a finding's evidence. */
export type LadderQuery =
  | { flowId: number; after?: number; limit?: number }
  | { a: string; b: string; after?: number; limit?: number }
  | { findingId: number; after?: number; limit?: number };

/** A place where the exchange broke, on the arrow that shows it. */
export type LadderMark =
  | { kind: 'unanswered-syn' }
  | { kind: 'half-open' }
  | { kind: 'rst' }
  | { kind: 'retransmission'; backoffSec: number }
  | { kind: 'icmp-error'; quoted: string };

export interface LadderArrow {
  packetId: number;
  /** Seconds since the first arrow of the ladder (not of the page). */
  rel: number;
  from: number;
  to: number;
  /** "SYN", "SYN, ACK", "PSH, ACK", or the protocol's name for non-TCP. */
  flags: string;
  info: string;
  /** Relative sequence and acknowledgement numbers (TCP; null when unknown). */
  seq: number | null;
  ack: number | null;
  length: number;
  marks: LadderMark[];
  /** Seconds of silence before this arrow, when long enough to be drawn compressed. */
  gapBeforeSec: number | null;
}

export interface LadderPage {
  /** One column per endpoint: "192.0.2.10:49153", or the address alone for ICMP or a many-port ladder. */
  columns: string[];
  arrows: LadderArrow[];
  /** Arrows in the whole ladder, and whether more follow this page. */
  total: number;
  hasMore: boolean;
  /** Pass as `after` to get the next page. */
  nextAfter: number | null;
  title: string;
}

/** "Compare handshakes" on a SYN-flood finding: one completed client handshake, one attack handshake. */
export interface HandshakePair {
  completed: { flowId: number; client: string } | null;
  attack: { flowId: number; source: string } | null;
}
