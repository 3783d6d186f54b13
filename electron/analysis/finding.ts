/**
 * The finding a detector produces before it is stored, and the evidence set that backs it.
 * Evidence is capped when stored (a flood cites millions of packets), but the exact total is
 * kept, and every role keeps a share of the stored rows so no kind of proof is crowded out.
 */
import type { Endpoint } from '../model/endpoint';
import type { Finding } from '../model/finding';
import type { Severity } from '../model/severity';
import { IdSet } from './id-set';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** One moment in a finding's story, for the report's timeline (absolute ns as a string). */
export interface TimelineEvent { tsNs: string; text: string }

export interface DraftFinding {
  kind: string;
  title: string;
  severity: Severity;
  confidence: number;
  /** Absolute epoch nanoseconds. */
  startTsNs: bigint;
  endTsNs: bigint;
  targets: Endpoint[];
  sources: Endpoint[];
  metrics: Record<string, number | string>;
  explanation: string;
  affected: Finding['affected'];
  recommendations: string[];
  mitre: Array<{ id: string; name: string }>;
  evidence: EvidenceSet;
  /** The flows the finding rests on, as the detector lists them (the store counts and deduplicates them). */
  flowIds: Iterable<number>;
  /** Detector-specific structured data for the report (JSON-serialisable). */
  details: Record<string, unknown>;
}

/**
 * Packet ids grouped by role, in the order roles were first added (their priority).
 * A packet belongs to the first role it was added under. Each role's ids are an IdSet, so a
 * flood's hundreds of thousands of cited packets cost bits, not objects.
 */
export class EvidenceSet {
  private readonly roles = new Map<string, IdSet>();
  private readonly filters = new Map<string, string>();
  private count = 0;

  /**
   * What characterises a role, as a display filter (the time window is the role's own): the
   * store turns it into an exact query of the role's packets (see evidence-query.ts).
   */
  describe(role: string, filter: string): void { this.filters.set(role, filter); }

  filterOf(role: string): string | null { return this.filters.get(role) ?? null; }

  /** Roles that hold packets, in priority order. */
  get roleNames(): string[] { return [...this.roles.keys()]; }

  add(role: string, packetId: number): void {
    for (const ids of this.roles.values()) if (ids.has(packetId)) return;
    let ids = this.roles.get(role);
    if (!ids) { ids = new IdSet(); this.roles.set(role, ids); }
    ids.add(packetId);
    this.count++;
  }

  addAll(role: string, ids: Iterable<number>): void { for (const id of ids) this.add(role, id); }

  get total(): number { return this.count; }

  countOf(role: string): number { return this.roles.get(role)?.size ?? 0; }

  /** The role's packet ids, ascending. */
  idsOf(role: string): Iterable<number> { return this.roles.get(role) ?? []; }

  has(packetId: number): boolean {
    for (const ids of this.roles.values()) if (ids.has(packetId)) return true;
    return false;
  }

  /**
   * At most `cap` rows: each role first gets an equal share (small roles keep all of theirs),
   * then what is left goes to roles in priority order. Within a role the earliest ids are kept.
   */
  capped(cap: number): Array<{ packetId: number; role: string }> {
    const entries = [...this.roles.entries()].map(([role, ids]) => ({ role, ids, take: 0 }));
    let left = cap;
    let open = entries.filter((e) => e.ids.size > 0);
    // Water-filling: repeat equal shares until every role is satisfied or the cap is spent.
    while (left > 0 && open.length > 0) {
      const share = Math.max(1, Math.floor(left / open.length));
      for (const e of open) {
        const more = Math.min(share, e.ids.size - e.take, left);
        e.take += more;
        left -= more;
        if (left === 0) break;
      }
      open = open.filter((e) => e.take < e.ids.size);
    }
    const out: Array<{ packetId: number; role: string }> = [];
    for (const e of entries) for (const packetId of e.ids.smallest(e.take)) out.push({ packetId, role: e.role });
    return out;
  }
}

/** Highest severity first, then earliest. */
export function compareFindings(a: { severity: Severity; startTsNs: bigint; kind: string; title: string },
  b: { severity: Severity; startTsNs: bigint; kind: string; title: string }): number {
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  if (a.startTsNs !== b.startTsNs) return a.startTsNs < b.startTsNs ? -1 : 1;
  return a.kind.localeCompare(b.kind) || a.title.localeCompare(b.title);
}

export function clamp01(x: number): number { return Math.max(0, Math.min(1, x)); }

/** One decimal, for rates and durations in metrics and text. */
export function round1(x: number): number { return Math.round(x * 10) / 10; }
