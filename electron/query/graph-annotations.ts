/**
 * Annotation badges for the host graph: live annotations on a host address, and on the flows of an
 * address pair, with their tags. Two SQL queries for the whole case (annotations are few; the
 * caller maps addresses to the graph's nodes and edges, through grouping and folding).
 */
import type { CaseDb } from '../../db/open-case';
import { FIXED_TAGS } from '../model/annotation';
import type { AnnotationBadge } from '../model/graph';

export interface BadgeAddr { addr: string; bin: Buffer | null }

export interface AnnotationRows {
  /** One per live host annotation. */
  hosts: Array<BadgeAddr & { tags: string[] }>;
  /** One per live flow annotation: the flow's originator and responder. */
  flows: Array<{ orig: BadgeAddr; resp: BadgeAddr; tags: string[] }>;
}

function parseTags(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch { return []; }
}

export function annotationRows(db: CaseDb): AnnotationRows {
  const hosts = (db.prepare(`SELECT a.host_addr AS addr, ad.bin AS bin, a.tags AS tags FROM annotations a
      LEFT JOIN addrs ad ON ad.addr = a.host_addr
      WHERE a.target_kind = 'host' AND a.deleted = 0 AND a.host_addr IS NOT NULL`).all() as Array<{ addr: string; bin: Buffer | null; tags: string }>)
    .map((r) => ({ addr: r.addr, bin: r.bin, tags: parseTags(r.tags) }));
  const flows = (db.prepare(`SELECT oa.addr AS oAddr, oa.bin AS oBin, ra.addr AS rAddr, ra.bin AS rBin, a.tags AS tags FROM annotations a
      JOIN flows f ON f.id = a.flow_id JOIN addrs oa ON oa.id = f.orig_id JOIN addrs ra ON ra.id = f.resp_id
      WHERE a.target_kind = 'flow' AND a.deleted = 0`).all() as Array<{ oAddr: string; oBin: Buffer | null; rAddr: string; rBin: Buffer | null; tags: string }>)
    .map((r) => ({ orig: { addr: r.oAddr, bin: r.oBin }, resp: { addr: r.rAddr, bin: r.rBin }, tags: parseTags(r.tags) }));
  return { hosts, flows };
}

const RANK = new Map<string, number>(FIXED_TAGS.map((t, i) => [t, i]));

/** Tags de-duplicated, most serious first: the fixed vocabulary in its order, then other tags A–Z. */
export function orderTags(tags: Iterable<string>): string[] {
  return [...new Set(tags)].sort((a, b) => (RANK.get(a) ?? RANK.size) - (RANK.get(b) ?? RANK.size) || a.localeCompare(b));
}

/** Accumulates annotations per graph key (node id or edge key) into badges. */
export class BadgeAcc {
  private readonly acc = new Map<string, { count: number; tags: string[] }>();

  add(key: string, tags: string[]): void {
    const cur = this.acc.get(key) ?? { count: 0, tags: [] };
    cur.count += 1;
    cur.tags.push(...tags);
    this.acc.set(key, cur);
  }

  get(key: string): AnnotationBadge | undefined {
    const cur = this.acc.get(key);
    return cur ? { count: cur.count, tags: orderTags(cur.tags) } : undefined;
  }
}
