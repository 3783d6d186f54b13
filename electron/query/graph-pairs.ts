/**
 * The SQL half of the host graph: traffic aggregated per (originator, responder) address pair,
 * with flow outcomes and services, for the whole case (the `graph_pairs` summary) or for the packet
 * list's scope (whole flows when the scope can be answered per flow, else the packets it selects).
 */
import type { CaseDb } from '../../db/open-case';
import type { Outcome } from '../model/graph';
import type { PacketQuery } from '../model/packet';
import { caseFirstTsNs, tsFollowsIds } from '../../db/case-meta';
import { packetIdBounds } from '../../db/time-range';
import { graphPairsCurrent, OUTCOME_SQL, PAIR_COLUMNS, PAIR_GROUPS_SQL } from '../../db/graph-pair-summary';
import { compileFilter } from './display-filter/index';
import { filterIsPerFlow, PSEUDO_PACKET_SQL } from './graph-scope';
import { scopeWhere } from './packet-query';

export { OUTCOME_SQL } from '../../db/graph-pair-summary';

/**
 * One address pair, originator first. Packet counts split by who sent them. Its flows per service
 * and outcome stay in the PairSet's rows until asked for (PairSet.services/states): only the edges
 * a graph shows need them.
 */
export interface PairRow {
  a: number; b: number;
  aAddr: string; bAddr: string;
  aBin: Buffer | null; bBin: Buffer | null;
  packets: number; bytes: number; pktsA: number; pktsB: number; bytesA: number; bytesB: number;
  flows: number;
  t0: string; t1: string;
  /** The pair's first and last rows in its set; the rest follow through PairSet's chain, in statement order. */
  head: number;
  tail: number;
}

const PROTO_TEXT: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

/** "443/tcp tls", "53/udp dns", "icmp". */
export function serviceLabel(ipProto: number | null, port: number | null, service: string | null): string {
  if (ipProto === null) return 'other';
  const proto = PROTO_TEXT[ipProto];
  if (!proto) return ipProto === 1 ? 'icmp' : ipProto === 58 ? 'icmpv6' : `ip proto ${ipProto}`;
  return `${port}/${proto}${service ? ` ${service}` : ''}`;
}

function isUnscoped(q: PacketQuery): boolean {
  return !q.filter?.trim() && q.from === undefined && q.to === undefined && q.findingId === undefined;
}

/** A statement yielding rows in the summary's shape (PAIR_COLUMNS). */
interface Source { sql: string; params: unknown[] }

/**
 * Whether a packet (or a group of one flow's packets) was sent by the flow's originator: its address,
 * and when both ends share the address (loopback), its port too. Without ports (ICMP) the ingest
 * counts such a flow's packets all on the originator's side, and so does this.
 */
function fromOrig(src: string, sport: string): string {
  return `(${src} = f.orig_id AND (f.orig_id != f.resp_id OR f.ip_proto NOT IN (6, 17, 132) OR ${sport} IS f.orig_port))`;
}

/**
 * The rows of `from` (which joins `flows f`) grouped into the summary's shape, `figures` giving
 * flows, pa, pb, ba, bb, t0 and t1. While the summary is current (`keyed`) by each flow's summary row
 * (`flows.pair_row`, migration 0013), one integer, each group then named from that row (address pair,
 * protocol, port, service and outcome); otherwise by those six values worked out row by row.
 */
function groupedPairs(keyed: boolean, figures: string, from: string): string {
  return keyed
    ? `SELECT g.a, g.b, g.ip_proto, g.port, g.service, g.outcome, x.flows, x.pa, x.pb, x.ba, x.bb, x.t0, x.t1
        FROM (SELECT f.pair_row AS r, ${figures} ${from} GROUP BY f.pair_row) AS x CROSS JOIN graph_pairs g ON g.rowid = x.r`
    : `SELECT f.orig_id AS a, f.resp_id AS b, f.ip_proto, f.resp_port AS port, f.service, ${OUTCOME_SQL} AS outcome, ${figures}
        ${from} GROUP BY f.orig_id, f.resp_id, f.ip_proto, f.resp_port, f.service, outcome`;
}

/** Pairs from whole flows chosen by `where` (over `flows f` and a pseudo-packet `p`, see graph-scope.ts). */
function wholeFlows(where: string, params: unknown[], keyed: boolean): Source {
  const figures = `count(*) AS flows, sum(f.orig_pkts) AS pa, sum(f.resp_pkts) AS pb, sum(f.orig_bytes) AS ba, sum(f.resp_bytes) AS bb,
             min(min(f.first_ts_ns, f.last_ts_ns)) AS t0, max(max(f.first_ts_ns, f.last_ts_ns)) AS t1`;
  return { sql: groupedPairs(keyed, figures, `FROM flows f JOIN (${PSEUDO_PACKET_SQL}) AS p ON p.flow_id = f.id WHERE ${where}`), params };
}

/**
 * Pairs from the packets `where` selects (over `packets AS p`), grouped per flow and sending
 * address first (at most two groups a flow, so flows are joined per group, not per packet; the
 * unary + keeps SQLite from walking the whole table in packets_by_flow order to group), then per
 * pair, service and outcome; packets without a flow count on their sender's side. Cheapest when the
 * scope picks many packets of each flow (`frame.len > 100`, `tcp`).
 */
function packetsGrouped(where: string, params: unknown[], keyed: boolean): Source {
  const FROM_ORIG = fromOrig('g.src', 'g.sport');
  const figures = `count(DISTINCT g.flow_id) AS flows,
             sum(CASE WHEN ${FROM_ORIG} THEN g.n ELSE 0 END) AS pa, sum(CASE WHEN ${FROM_ORIG} THEN 0 ELSE g.n END) AS pb,
             sum(CASE WHEN ${FROM_ORIG} THEN g.bytes ELSE 0 END) AS ba, sum(CASE WHEN ${FROM_ORIG} THEN 0 ELSE g.bytes END) AS bb,
             min(g.t0) AS t0, max(g.t1) AS t1`;
  const from = `FROM (SELECT p.flow_id AS flow_id, p.src_id AS src, p.sport AS sport, count(*) AS n, sum(p.origlen) AS bytes, min(p.ts_ns) AS t0, max(p.ts_ns) AS t1
                FROM packets AS p WHERE (${where}) AND p.flow_id IS NOT NULL GROUP BY +p.flow_id, p.src_id, p.sport) AS g
          CROSS JOIN flows f ON f.id = g.flow_id`;
  return { sql: `${groupedPairs(keyed, figures, from)} UNION ALL ${flowless(where, params).sql}`, params: [...params, ...params] };
}

/**
 * The same pairs with each selected packet joined straight to its flow (packets scanned first, the
 * flow found by its id) and grouped once: no per-flow sort in between. Cheapest when the scope picks
 * about one packet a flow, as a SYN filter does during a flood (one SYN per spoofed connection).
 */
function packetsJoined(where: string, params: unknown[], keyed: boolean): Source {
  // The responder's share is the rest: SQLite computes each repeated aggregate once, so the
  // originator test runs twice a packet, not four times.
  const pa = `sum(CASE WHEN ${fromOrig('p.src_id', 'p.sport')} THEN 1 ELSE 0 END)`;
  const ba = `sum(CASE WHEN ${fromOrig('p.src_id', 'p.sport')} THEN p.origlen ELSE 0 END)`;
  const figures = `count(DISTINCT p.flow_id) AS flows, ${pa} AS pa, count(*) - ${pa} AS pb, ${ba} AS ba, sum(p.origlen) - ${ba} AS bb,
             min(p.ts_ns) AS t0, max(p.ts_ns) AS t1`;
  const from = `FROM packets AS p CROSS JOIN flows f ON f.id = p.flow_id WHERE (${where})`;
  return { sql: `${groupedPairs(keyed, figures, from)} UNION ALL ${flowless(where, params).sql}`, params: [...params, ...params] };
}

/** Which per-packet statement: `grouped` (packetsGrouped) or `joined` (packetsJoined). */
export type PacketPlan = 'grouped' | 'joined';

/** Sampled packets per flow at or above which grouping per flow first pays (measured on the bench case). */
const GROUPED_FROM_PACKETS_PER_FLOW = 3;
const SAMPLE_RANGES = 16;
const SAMPLE_RUN = 2048;

/**
 * How many of its flows' packets the scope picks, estimated on 16 evenly spaced runs of 2,048
 * packet ids (32k packets read by id, a few ms on a million-packet case): about one a flow (a SYN
 * filter) joins packets to flows directly; several a flow groups them per flow first.
 */
export function choosePacketPlan(db: CaseDb, where: string, params: unknown[]): PacketPlan {
  const ids = packetIdBounds(db);
  if (ids === null) return 'grouped';
  const { lo, hi } = ids;
  const ranges: string[] = [];
  const bounds: number[] = [];
  const total = hi - lo + 1;
  if (total <= SAMPLE_RANGES * SAMPLE_RUN) {
    ranges.push('1');
  } else {
    for (let i = 0; i < SAMPLE_RANGES; i++) {
      const start = lo + Math.floor(((total - SAMPLE_RUN) * i) / (SAMPLE_RANGES - 1));
      ranges.push('p.id BETWEEN ? AND ?');
      bounds.push(start, start + SAMPLE_RUN - 1);
    }
  }
  const [picked, flows] = db.prepare(`SELECT count(*), count(DISTINCT p.flow_id) FROM packets AS p
    WHERE (${ranges.join(' OR ')}) AND (${where}) AND p.flow_id IS NOT NULL`).raw().get(...bounds, ...params) as [number, number];
  return flows > 0 && picked / flows >= GROUPED_FROM_PACKETS_PER_FLOW ? 'grouped' : 'joined';
}

function packetsInScope(plan: PacketPlan, where: string, params: unknown[], keyed: boolean): Source {
  return plan === 'joined' ? packetsJoined(where, params, keyed) : packetsGrouped(where, params, keyed);
}

/**
 * The statements that give the pairs in scope. Whole case: the summary table (or the same rows
 * computed from flows while it is stale). A filter that holds per flow (graph-scope.ts) without a
 * finding: whole flows inside the time range from `flows`, the packets of flows that straddle its
 * edges one by one, and flowless packets one by one. Otherwise every packet in scope.
 */
function pairSources(db: CaseDb, q: PacketQuery, perPacket: boolean, plan: PacketPlan | undefined, pairRows: boolean): Source[] {
  const current = graphPairsCurrent(db);
  const keyed = pairRows && current;
  if (isUnscoped(q)) {
    return [current
      ? { sql: `SELECT ${PAIR_COLUMNS} FROM graph_pairs`, params: [] }
      : { sql: PAIR_GROUPS_SQL, params: [] }];
  }
  const scope = scopeWhere(db, q); // validates the query; the packet path's WHERE
  const timed = q.from !== undefined || q.to !== undefined;
  // A flow lies inside a time range when its first and last packets do only if its packets' times
  // never step back: the case records whether they do (ts_order); when they do, packet by packet.
  if (perPacket || q.findingId !== undefined || !filterIsPerFlow(q.filter) || (timed && !tsFollowsIds(db))) {
    // A finding's evidence (and a straddling flow, below) reaches its packets through flows and
    // id ranges that SQLite walks best grouped; a filter is estimated.
    const chosen = plan ?? (q.findingId === undefined ? choosePacketPlan(db, scope.sql, scope.params) : 'grouped');
    return [packetsInScope(chosen, scope.sql, scope.params, keyed)];
  }

  const filter = compileFilter(q.filter ?? '', { firstTsNs: caseFirstTsNs(db) });
  const from = q.from === undefined ? null : BigInt(q.from);
  const to = q.to === undefined ? null : BigInt(q.to);
  const inside = [from === null ? '1' : 'f.first_ts_ns >= ?', to === null ? '1' : 'f.last_ts_ns <= ?'].join(' AND ');
  const insideParams = [...(from === null ? [] : [from]), ...(to === null ? [] : [to])];
  const sources = [wholeFlows(`(${filter.sql}) AND ${inside}`, [...filter.params, ...insideParams], keyed)];
  if (from !== null || to !== null) {
    // Flows that overlap the range without lying inside it: their packets in the range, one by one.
    const overlaps = [from === null ? '1' : 'f.last_ts_ns >= ?', to === null ? '1' : 'f.first_ts_ns <= ?'].join(' AND ');
    const overlapParams = [...(from === null ? [] : [from]), ...(to === null ? [] : [to])];
    const straddling = `SELECT f.id FROM flows f JOIN (${PSEUDO_PACKET_SQL}) AS p ON p.flow_id = f.id
      WHERE (${filter.sql}) AND ${overlaps} AND NOT (${inside})`;
    const straddleWhere = `(${scope.sql}) AND p.flow_id IN (${straddling})`;
    const straddleParams = [...scope.params, ...filter.params, ...overlapParams, ...insideParams];
    sources.push(packetsInScope(plan ?? 'grouped', straddleWhere, straddleParams, keyed));
  }
  // Packets without a flow (ARP, bare IP fragments) in scope; packets_by_flow finds them.
  sources.push(flowless(scope.sql, scope.params));
  return sources;
}

function flowless(where: string, params: unknown[]): Source {
  return {
    sql: `SELECT p.src_id AS a, p.dst_id AS b, NULL AS ip_proto, NULL AS port, NULL AS service, 'other' AS outcome, 0 AS flows,
                 count(*) AS pa, 0 AS pb, sum(p.origlen) AS ba, 0 AS bb, min(p.ts_ns) AS t0, max(p.ts_ns) AS t1
          FROM packets AS p WHERE (${where}) AND p.flow_id IS NULL AND p.src_id IS NOT NULL AND p.dst_id IS NOT NULL
          GROUP BY p.src_id, p.dst_id`,
    params,
  };
}

/** A row in the summary's shape (PAIR_COLUMNS), as better-sqlite3 returns it in raw mode. */
type PairTuple = [a: number, b: number, ipProto: number | null, port: number | null, service: string | null, outcome: Outcome,
  flows: number, pa: number, pb: number, ba: number, bb: number, t0: string, t1: string];

const FLOWS = 6;

/** The pairs in scope, and their rows per service and outcome for the few pairs whose detail is shown. */
export class PairSet {
  constructor(readonly pairs: PairRow[], private readonly rows: PairTuple[], private readonly next: Int32Array) {}

  /** Calls `visit` with each of the members' rows that counts flows. */
  private eachRow(members: readonly PairRow[], visit: (r: PairTuple) => void): void {
    const { rows, next } = this;
    for (const p of members) {
      for (let i = p.head; i >= 0; i = next[i]) if (rows[i][FLOWS] > 0) visit(rows[i]);
    }
  }

  /** Flows per service label ("443/tcp tls") over the members' rows. */
  services(members: readonly PairRow[]): Map<string, number> {
    const out = new Map<string, number>();
    this.eachRow(members, (r) => {
      const label = serviceLabel(r[2], r[3], r[4]);
      out.set(label, (out.get(label) ?? 0) + r[FLOWS]);
    });
    return out;
  }

  /** Flows per outcome over the members' rows. */
  states(members: readonly PairRow[]): Partial<Record<Outcome, number>> {
    const out: Partial<Record<Outcome, number>> = {};
    this.eachRow(members, (r) => { out[r[5]] = (out[r[5]] ?? 0) + r[FLOWS]; });
    return out;
  }
}

/** Two ids as one Map key below 2^53: address ids (and graph node indexes) stay far below 2^26. */
export const pairKey = (a: number, b: number): number => a * 67_108_864 + b;

/** Decimal nanosecond strings compare as numbers: shorter is smaller, then by text (no BigInt per row). */
export function nsLess(x: string, y: string): boolean {
  return x.length !== y.length ? x.length < y.length : x < y;
}

export interface PairOptions {
  /** Take the packet path whatever the scope. */
  perPacket?: boolean;
  /** The per-packet statement, instead of the estimate. */
  plan?: PacketPlan;
  /** false: group by the six key values even when `flows.pair_row` is current. */
  pairRows?: boolean;
}

/**
 * Pairs in scope. One SQL pass groups by pair, service and outcome (a handful of rows per pair
 * except for scans); the rows are folded into pairs here, and the addresses are looked up once per
 * address rather than joined per row. The options force a path (the tests compare every path).
 */
export function queryPairs(db: CaseDb, q: PacketQuery, opts: PairOptions = {}): PairSet {
  // One read transaction: the summary's coverage check and the statements see the same snapshot
  // (a run writing meanwhile would otherwise add flows not yet numbered).
  const { rows, addrs } = db.transaction(() => {
    const rows: PairTuple[] = [];
    for (const src of pairSources(db, q, opts.perPacket ?? false, opts.plan, opts.pairRows ?? true)) {
      // t0/t1 as text: nanosecond times pass 2^53. Rows as arrays: no object per row.
      const sql = `SELECT a, b, ip_proto, port, service, outcome, flows, pa, pb, ba, bb, CAST(t0 AS TEXT) AS t0, CAST(t1 AS TEXT) AS t1 FROM (${src.sql})`;
      for (const r of db.prepare(sql).raw().all(...src.params) as PairTuple[]) rows.push(r);
    }
    const ids = new Set<number>();
    for (const r of rows) { ids.add(r[0]); ids.add(r[1]); }
    const addrs = new Map<number, { addr: string; bin: Buffer | null }>();
    for (const a of db.prepare('SELECT id, addr, bin FROM addrs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...ids])) as Array<{ id: number; addr: string; bin: Buffer | null }>) {
      addrs.set(a.id, { addr: a.addr, bin: a.bin });
    }
    return { rows, addrs };
  })();

  const byKey = new Map<number, PairRow>();
  const pairs: PairRow[] = [];
  const next = new Int32Array(rows.length).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    const [a, b, , , , , flows, pa, pb, ba, bb, t0, t1] = rows[i];
    const key = pairKey(a, b);
    let p = byKey.get(key);
    if (!p) {
      const A = addrs.get(a);
      const B = addrs.get(b);
      if (!A || !B) continue;
      p = {
        a, b, aAddr: A.addr, bAddr: B.addr, aBin: A.bin, bBin: B.bin,
        packets: 0, bytes: 0, pktsA: 0, pktsB: 0, bytesA: 0, bytesB: 0, flows: 0, t0, t1, head: i, tail: i,
      };
      byKey.set(key, p);
      pairs.push(p);
    }
    p.pktsA += pa; p.pktsB += pb; p.bytesA += ba; p.bytesB += bb;
    p.packets += pa + pb; p.bytes += ba + bb; p.flows += flows;
    if (nsLess(t0, p.t0)) p.t0 = t0;
    if (nsLess(p.t1, t1)) p.t1 = t1;
    // Rows chained in the order the statement gave them, so a pair's states keep their key order.
    if (p.tail !== i) {
      next[p.tail] = i;
      p.tail = i;
    }
  }
  return new PairSet(pairs, rows, next);
}

/** The outcome that colours an edge: a failure that covers a quarter of the flows or more, else completed. */
export function dominantOutcome(states: Partial<Record<Outcome, number>>): Outcome {
  const total = Object.values(states).reduce((s, n) => s + (n ?? 0), 0);
  let worst: Outcome | null = null;
  for (const o of ['half-open', 'rejected', 'icmp-unreachable'] as const) {
    const n = states[o] ?? 0;
    if (n > 0 && n * 4 >= total && (worst === null || n > (states[worst] ?? 0))) worst = o;
  }
  if (worst) return worst;
  if (states.completed) return 'completed';
  for (const o of ['half-open', 'rejected', 'icmp-unreachable'] as const) if (states[o]) return o;
  return 'other';
}

/** The services with most flows first, at most `n`, with "+k more" when cut. */
export function topServices(services: Map<string, number>, n = 6): string[] {
  const sorted = [...services.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  const out = sorted.slice(0, n).map(([s]) => s);
  if (sorted.length > n) out.push(`+${sorted.length - n} more`);
  return out;
}
