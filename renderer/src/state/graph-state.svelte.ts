/**
 * State of the Graph view, the per-host panel and the ladder: what was asked (scope + knobs),
 * what came back, and the selection. Requests go through LatestRequest so a slow answer for an
 * old scope never overwrites a newer one.
 */
import type { FlowRow, PacketQuery } from '../../../electron/ipc/contract.js';
import type {
  GraphMeasure, HandshakePair, HostGraph, HostProfile, LadderPage, LadderQuery,
} from '../../../electron/model/graph.js';
import { call, toCallError } from '../lib/api.js';
import { LatestRequest } from '../lib/latest-request.js';

export type GraphSelection =
  | { kind: 'node'; id: string }
  | { kind: 'edge'; src: string; dst: string }
  | null;

export class GraphState {
  graph = $state.raw<HostGraph | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  measure = $state<GraphMeasure>('bytes');
  top = $state(150);
  /** Edges drawn at most (the query keeps each node's heaviest edge, then the heaviest others). */
  maxEdges = $state(1500);
  group = $state<0 | 24>(0);
  expand = $state.raw<string[]>([]);
  selection = $state.raw<GraphSelection>(null);
  /** The conversations of the selected edge. */
  edgeFlows = $state.raw<{ rows: FlowRow[]; total: number } | null>(null);
  edgeError = $state<string | null>(null);
  /** What the graph was last loaded for (scope, knobs, case state): the view reloads when it changes. */
  loadedKey = '';
  private readonly latest = new LatestRequest();
  private readonly edgeLatest = new LatestRequest();

  keyOf(scope: PacketQuery): string {
    return JSON.stringify([scope, this.measure, this.top, this.group, this.expand, this.maxEdges]);
  }

  async load(scope: PacketQuery): Promise<void> {
    this.loading = true;
    const newest = await this.latest.run(
      () => call('graph.get', { ...scope, measure: this.measure, top: this.top, maxEdges: this.maxEdges, group: this.group, ...(this.expand.length ? { expand: this.expand } : {}) }),
      (g) => {
        this.graph = g;
        this.error = null;
      },
      (e) => {
        this.error = toCallError(e).message;
      },
    );
    if (newest) this.loading = false;
  }

  async selectEdge(src: string, dst: string): Promise<void> {
    this.selection = { kind: 'edge', src, dst };
    this.edgeFlows = null;
    this.edgeError = null;
    await this.edgeLatest.run(
      () => call('graph.edgeFlows', { src, dst }),
      (r) => { this.edgeFlows = r; },
      (e) => { this.edgeError = toCallError(e).message; },
    );
  }

  clearSelection(): void {
    this.selection = null;
    this.edgeFlows = null;
    this.edgeError = null;
  }

  async savePositions(positions: Array<{ node: string; x: number; y: number; pinned: boolean }>): Promise<void> {
    try {
      await call('graph.savePositions', { positions: positions.slice(0, 5000) });
    } catch {
      // Positions are a convenience: a failed save must not disturb the analyst.
    }
  }

  async setHomeNetworks(cidrs: string[]): Promise<string | null> {
    try {
      await call('graph.setHomeNetworks', { cidrs });
      return null;
    } catch (e) {
      return toCallError(e).message;
    }
  }
}

export class HostPanelState {
  profile = $state.raw<HostProfile | null>(null);
  addr = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private readonly latest = new LatestRequest();

  async open(addr: string): Promise<void> {
    this.addr = addr;
    this.loading = true;
    this.error = null;
    const newest = await this.latest.run(
      () => call('host.profile', { addr }),
      (p) => { this.profile = p; },
      (e) => { this.profile = null; this.error = toCallError(e).message; },
    );
    if (newest) this.loading = false;
  }

  close(): void {
    this.latest.cancel();
    this.addr = null;
    this.profile = null;
    this.error = null;
  }
}

/** One ladder (or two side by side for "Compare handshakes"). */
export class LadderState {
  query = $state.raw<LadderQuery | null>(null);
  page = $state.raw<LadderPage | null>(null);
  /** Packet ids where each shown page starts, so "Previous" can go back. */
  starts = $state.raw<number[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  private readonly latest = new LatestRequest();

  async open(q: LadderQuery): Promise<void> {
    this.query = q;
    this.starts = [0];
    await this.fetch(0);
  }

  async next(): Promise<void> {
    if (!this.page?.nextAfter) return;
    this.starts = [...this.starts, this.page.nextAfter];
    await this.fetch(this.page.nextAfter);
  }

  async previous(): Promise<void> {
    if (this.starts.length < 2) return;
    this.starts = this.starts.slice(0, -1);
    await this.fetch(this.starts[this.starts.length - 1]);
  }

  private async fetch(after: number): Promise<void> {
    const q = this.query;
    if (!q) return;
    this.loading = true;
    const newest = await this.latest.run(
      () => call('ladder.page', { ...q, ...(after ? { after } : {}), limit: 200 }),
      (p) => { this.page = p; this.error = null; },
      (e) => { this.page = null; this.error = toCallError(e).message; },
    );
    if (newest) this.loading = false;
  }

  clear(): void {
    this.latest.cancel();
    this.query = null;
    this.page = null;
    this.error = null;
  }
}

export class CompareState {
  pair = $state.raw<HandshakePair | null>(null);
  findingId = $state<number | null>(null);
  error = $state<string | null>(null);
  readonly left = new LadderState();
  readonly right = new LadderState();

  async open(findingId: number): Promise<void> {
    this.findingId = findingId;
    this.error = null;
    try {
      const pair = await call('ladder.compare', { findingId });
      this.pair = pair;
      if (!pair.completed || !pair.attack) this.error = 'This finding has no completed client handshake or no attack handshake to compare.';
      await Promise.all([
        pair.completed ? this.left.open({ flowId: pair.completed.flowId }) : Promise.resolve(),
        pair.attack ? this.right.open({ flowId: pair.attack.flowId }) : Promise.resolve(),
      ]);
    } catch (e) {
      this.error = toCallError(e).message;
    }
  }

  clear(): void {
    this.pair = null;
    this.findingId = null;
    this.left.clear();
    this.right.clear();
  }
}
