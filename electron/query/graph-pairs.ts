/**
 * The SQL half of the host graph: traffic aggregated per (originator, responder) address pair,
 * with flow outcomes and services, for the whole case (from `flows`) or for the packet list's
 * scope (from the packets the scope selects, grouped by flow).
 */
import type { CaseDb } from '../../db/open-case';
import type { Outcome } from '../model/graph';
import type { PacketQuery } from '../model/packet';
import { scopeWhere } from './packet-query';

/** One address pair, originator first. Packet counts split by who sent them. */
export interface PairRow {
  a: number; b: number;
  aAddr: string; bAddr: string;
  aBin: Buffer | null; bBin: Buffer | null;
  packets: number; bytes: number; pktsA: number; pktsB: number; bytesA: number; bytesB: number;
  flows: number;
  t0: string; t1: string;
  states: Partial<Record<Outcome, number>>;
  services: Map<string, number>;
}

/**
 * A flow's outcome, worst first. ICMP errors quoting the flow win (the DNS outage); a handshake
 * that never completed is half-open (SYN unanswered, or SYN/ACK never ACKed); a reset or refused
 * connection is rejected. Flowless packets (ARP) are 'other'.
 */
export const OUTCOME_SQL = `CASE
  WHEN f.id IS NULL THEN 'other'
  WHEN f.id IN (SELECT orig_flow_id FROM icmp_errors WHERE orig_flow_id IS NOT NULL AND ((icmp_ver = 4 AND type = 3) OR (icmp_ver = 6 AND type = 1))) THEN 'icmp-unreachable'
  WHEN (f.ip_proto = 1 AND f.orig_port = 3) OR (f.ip_proto = 58 AND f.orig_port = 1) THEN 'icmp-unreachable'
  WHEN f.ip_proto = 6 AND f.conn_state IN ('REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH') THEN 'rejected'
  WHEN f.ip_proto = 6 AND f.syn_ts_ns IS NOT NULL AND f.ack_ts_ns IS NULL THEN 'half-open'
  WHEN f.ip_proto = 6 AND f.conn_state = 'OTH' THEN 'other'
  WHEN f.ip_proto = 6 THEN 'completed'
  WHEN f.resp_pkts > 0 THEN 'completed'
  ELSE 'other' END`;

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

/**
 * `fs`: one row per flow in scope (flow_id, a, b, packets and bytes by side, first/last time),
 * plus one row per address pair for packets without a flow (ARP and other non-IP frames).
 */
function flowSource(db: CaseDb, q: PacketQuery): { sql: string; params: unknown[] } {
  if (isUnscoped(q)) return { sql: '', params: [] }; // queryPairs reads `flows` directly
  const where = scopeWhere(db, q);
  // Direction inside a flow: a packet from the originator's address counts on the originator's side.
  return {
    sql: `SELECT p.flow_id AS flow_id, coalesce(f.orig_id, p.src_id) AS a, coalesce(f.resp_id, p.dst_id) AS b,
                 sum(f.id IS NULL OR p.src_id = f.orig_id) AS pa, sum(f.id IS NOT NULL AND p.src_id != f.orig_id) AS pb,
                 sum(CASE WHEN f.id IS NULL OR p.src_id = f.orig_id THEN p.origlen ELSE 0 END) AS ba,
                 sum(CASE WHEN f.id IS NOT NULL AND p.src_id != f.orig_id THEN p.origlen ELSE 0 END) AS bb,
                 min(p.ts_ns) AS t0, max(p.ts_ns) AS t1
          FROM packets AS p LEFT JOIN flows f ON f.id = p.flow_id
          WHERE (${where.sql}) AND p.src_id IS NOT NULL AND p.dst_id IS NOT NULL
          GROUP BY p.flow_id, CASE WHEN p.flow_id IS NULL THEN p.src_id END, CASE WHEN p.flow_id IS NULL THEN p.dst_id END`,
    params: where.params,
  };
}

interface PairDbRow {
  a: number; b: number; ip_proto: number | null; port: number | null; service: string | null; outcome: Outcome;
  flows: number; pa: number; pb: number; ba: number; bb: number; t0: string; t1: string;
}

/** Decimal nanosecond strings compare as numbers: shorter is smaller, then by text (no BigInt per row). */
function nsLess(x: string, y: string): boolean {
  return x.length !== y.length ? x.length < y.length : x < y;
}

/**
 * Pairs in scope. One SQL pass groups by pair, service and outcome (a handful of rows per pair
 * except for scans); the rows are folded into pairs here, and the addresses are looked up once per
 * address rather than joined per row.
 */
export function queryPairs(db: CaseDb, q: PacketQuery): PairRow[] {
  const fs = flowSource(db, q);
  // Whole case: the flows table is the source, no join back to it needed.
  const rows = (isUnscoped(q)
    ? db.prepare(`SELECT f.orig_id AS a, f.resp_id AS b, f.ip_proto, f.resp_port AS port, f.service, ${OUTCOME_SQL} AS outcome,
           count(*) AS flows, sum(f.orig_pkts) AS pa, sum(f.resp_pkts) AS pb, sum(f.orig_bytes) AS ba, sum(f.resp_bytes) AS bb,
           CAST(min(f.first_ts_ns) AS TEXT) AS t0, CAST(max(f.last_ts_ns) AS TEXT) AS t1
        FROM flows f GROUP BY f.orig_id, f.resp_id, f.ip_proto, f.resp_port, f.service, outcome
        UNION ALL
        SELECT src_id, dst_id, NULL, NULL, NULL, 'other', 0, count(*), 0, sum(origlen), 0, CAST(min(ts_ns) AS TEXT), CAST(max(ts_ns) AS TEXT)
        FROM packets WHERE flow_id IS NULL AND src_id IS NOT NULL AND dst_id IS NOT NULL GROUP BY src_id, dst_id`).all()
    : db.prepare(`WITH fs AS (${fs.sql})
        SELECT fs.a, fs.b, f.ip_proto, f.resp_port AS port, f.service, ${OUTCOME_SQL} AS outcome,
               count(f.id) AS flows, sum(fs.pa) AS pa, sum(fs.pb) AS pb, sum(fs.ba) AS ba, sum(fs.bb) AS bb,
               CAST(min(fs.t0) AS TEXT) AS t0, CAST(max(fs.t1) AS TEXT) AS t1
        FROM fs LEFT JOIN flows f ON f.id = fs.flow_id
        GROUP BY fs.a, fs.b, f.ip_proto, f.resp_port, f.service, outcome`).all(...fs.params)) as PairDbRow[];

  const ids = new Set<number>();
  for (const r of rows) { ids.add(r.a); ids.add(r.b); }
  const addrs = new Map<number, { addr: string; bin: Buffer | null }>();
  for (const a of db.prepare('SELECT id, addr, bin FROM addrs WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...ids])) as Array<{ id: number; addr: string; bin: Buffer | null }>) {
    addrs.set(a.id, { addr: a.addr, bin: a.bin });
  }

  const pairs = new Map<string, PairRow>();
  for (const r of rows) {
    const key = `${r.a}>${r.b}`;
    let p = pairs.get(key);
    if (!p) {
      const A = addrs.get(r.a);
      const B = addrs.get(r.b);
      if (!A || !B) continue;
      p = {
        a: r.a, b: r.b, aAddr: A.addr, bAddr: B.addr, aBin: A.bin, bBin: B.bin,
        packets: 0, bytes: 0, pktsA: 0, pktsB: 0, bytesA: 0, bytesB: 0, flows: 0, t0: r.t0, t1: r.t1,
        states: {}, services: new Map(),
      };
      pairs.set(key, p);
    }
    p.pktsA += r.pa; p.pktsB += r.pb; p.bytesA += r.ba; p.bytesB += r.bb;
    p.packets += r.pa + r.pb; p.bytes += r.ba + r.bb; p.flows += r.flows;
    if (nsLess(r.t0, p.t0)) p.t0 = r.t0;
    if (nsLess(p.t1, r.t1)) p.t1 = r.t1;
    if (r.flows > 0) {
      p.states[r.outcome] = (p.states[r.outcome] ?? 0) + r.flows;
      const label = serviceLabel(r.ip_proto, r.port, r.service);
      p.services.set(label, (p.services.get(label) ?? 0) + r.flows);
    }
  }
  return [...pairs.values()];
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
