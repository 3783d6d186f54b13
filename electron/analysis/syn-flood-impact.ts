/**
 * What a SYN flood did to the people who use the service: clients that completed handshakes
 * with the target before the attack, and what happened to their connections while it ran
 * (unanswered SYN retransmissions, resets from the server, HTTP 5xx, slow handshakes).
 */
import { PKT_TCP_RETRANSMISSION, TCP_RST } from '../decode/packet-summary';
import type { Finding } from '../model/finding';
import type { DetectorContext } from './detector-context';
import type { EvidenceSet } from './finding';
import { median } from './sliding-window';
import { synOnly } from './tcp-flags-sql';

export interface ClientImpact {
  addr: string;
  unanswered: number;
  synRetransmissions: number;
  resets: number;
  http5xx: number;
  slow: number;
  firstNs: number;
  lastNs: number;
}

export interface ImpactSummary {
  /** Clients that completed a handshake with the target before the attack began. */
  baselineClients: number;
  clients: ClientImpact[];
  /** Clients with at least one failed connection (unanswered, reset or HTTP 5xx). */
  impactedClients: number;
  unanswered: number;
  synRetransmissions: number;
  resets: number;
  http5xx: number;
  http5xxStatuses: Record<string, number>;
  slow: number;
  baselineHandshakeMs: number | null;
  attackHandshakeMs: number | null;
  firstFailureNs: number | null;
  first5xxNs: number | null;
  /** First completed handshake of a baseline client after the attack ended (recovery), if any. */
  recoveryNs: number | null;
  flowIds: number[];
}

interface FlowRow {
  id: number; orig_id: number; resp_port: number; syn_t: number; synack_t: number | null;
  completed: number; rst_resp: number;
}

/**
 * `legit` maps client addr ids to the time of their first completed handshake with the target.
 * Failures are counted for flows whose SYN falls in [fromNs, toNs] (relative ns); handshake times
 * "during" the attack only up to `attackEndNs`, so the recovery does not dilute them.
 */
export function measureImpact(ctx: DetectorContext, targetId: number, port: number, legit: Map<number, number>,
  fromNs: number, attackEndNs: number, toNs: number, evidence: EvidenceSet): ImpactSummary {
  const { db, th, baseNs } = ctx;
  const baseline = [...legit.entries()].filter(([, first]) => first < fromNs).map(([id]) => id);
  const clients = new Set(baseline.length ? baseline : legit.keys());
  const per = new Map<number, ClientImpact>();
  const get = (id: number): ClientImpact => {
    let c = per.get(id);
    if (!c) { c = { addr: ctx.addr(id), unanswered: 0, synRetransmissions: 0, resets: 0, http5xx: 0, slow: 0, firstNs: Infinity, lastNs: -Infinity }; per.set(id, c); }
    return c;
  };
  const touch = (c: ClientImpact, t: number) => { c.firstNs = Math.min(c.firstNs, t); c.lastNs = Math.max(c.lastNs, t); };

  const flows = db.prepare(`SELECT id, orig_id, resp_port, syn_ts_ns - ? AS syn_t, synack_ts_ns - ? AS synack_t,
      ack_ts_ns IS NOT NULL AS completed, rst_resp
    FROM flows WHERE resp_id = ? AND ip_proto = 6 AND syn_ts_ns IS NOT NULL ORDER BY id`).iterate(baseNs, baseNs, targetId) as IterableIterator<FlowRow>;

  const before: number[] = [];
  const during: number[] = [];
  const flowIds: number[] = [];
  let recoveryNs: number | null = null;
  const synsOf = db.prepare(`SELECT id, ts_ns - ? AS t, flags FROM packets WHERE flow_id = ? AND src_id = ?
    AND ${synOnly()} ORDER BY id`);
  const rstsOf = db.prepare(`SELECT id, ts_ns - ? AS t FROM packets WHERE flow_id = ? AND src_id = ?
    AND (tcp_flags & ${TCP_RST}) != 0 ORDER BY id`);

  for (const f of flows) {
    if (!clients.has(f.orig_id)) continue;
    const rtt = f.synack_t !== null ? (f.synack_t - f.syn_t) / 1e6 : null;
    if (f.resp_port === port && rtt !== null && f.completed) {
      if (f.syn_t < fromNs) before.push(rtt);
      else if (f.syn_t <= attackEndNs) during.push(rtt);
    }
    if (f.syn_t > toNs && f.completed && f.resp_port === port && f.synack_t !== null) recoveryNs = recoveryNs === null ? f.synack_t : Math.min(recoveryNs, f.synack_t);
    if (f.syn_t < fromNs || f.syn_t > toNs) continue;
    const c = get(f.orig_id);
    if (f.synack_t === null && f.rst_resp === 0) {
      // Step 2 of the handshake never came: every SYN of this connection is evidence.
      c.unanswered++;
      flowIds.push(f.id);
      for (const s of synsOf.all(baseNs, f.id, f.orig_id) as Array<{ id: number; t: number; flags: number }>) {
        const retrans = (s.flags & PKT_TCP_RETRANSMISSION) !== 0;
        if (retrans) c.synRetransmissions++;
        evidence.add(retrans ? 'client-syn-retransmission' : 'client-syn', s.id);
        touch(c, s.t);
      }
    } else if (f.rst_resp > 0) {
      c.resets++;
      flowIds.push(f.id);
      for (const r of rstsOf.all(baseNs, f.id, targetId) as Array<{ id: number; t: number }>) { evidence.add('server-rst', r.id); touch(c, r.t); }
    } else if (rtt !== null && rtt > th.synFlood.slowHandshakeMs) {
      c.slow++;
      touch(c, f.syn_t);
    }
  }

  // HTTP 5xx delivered to these clients while the attack ran, from the target or a proxy in front of it.
  const http5xxStatuses: Record<string, number> = {};
  // CROSS JOIN keeps http_messages outermost: the few 5xx rows are looked up by packet id, instead of
  // walking every packet of the attack period through packets_by_ts.
  const responses = db.prepare(`SELECT h.packet_id AS id, p.ts_ns - ? AS t, p.dst_id, p.flow_id, h.status
    FROM http_messages h CROSS JOIN packets p ON p.id = h.packet_id
    WHERE h.kind = 'response' AND h.status >= 500 AND h.status <= 599 AND p.ts_ns BETWEEN ? AND ? ORDER BY p.id`)
    .all(baseNs, ctx.abs(fromNs), ctx.abs(toNs)) as Array<{ id: number; t: number; dst_id: number; flow_id: number | null; status: number }>;
  let first5xxNs: number | null = null;
  for (const r of responses) {
    if (!clients.has(r.dst_id)) continue;
    const c = get(r.dst_id);
    c.http5xx++;
    touch(c, r.t);
    evidence.add('http-5xx', r.id);
    if (r.flow_id !== null) flowIds.push(r.flow_id);
    http5xxStatuses[String(r.status)] = (http5xxStatuses[String(r.status)] ?? 0) + 1;
    if (first5xxNs === null) first5xxNs = r.t;
  }

  const list = [...per.values()].filter((c) => c.unanswered + c.resets + c.http5xx + c.slow > 0)
    .sort((a, b) => (b.unanswered + b.resets + b.http5xx) - (a.unanswered + a.resets + a.http5xx) || a.addr.localeCompare(b.addr));
  const failed = list.filter((c) => c.unanswered + c.resets + c.http5xx > 0);
  const sum = (k: keyof ClientImpact) => list.reduce((s, c) => s + (c[k] as number), 0);
  const firstFailure = failed.length ? Math.min(...failed.map((c) => c.firstNs)) : null;
  return {
    baselineClients: baseline.length,
    clients: list,
    impactedClients: failed.length,
    unanswered: sum('unanswered'), synRetransmissions: sum('synRetransmissions'), resets: sum('resets'),
    http5xx: sum('http5xx'), http5xxStatuses, slow: sum('slow'),
    baselineHandshakeMs: median(before), attackHandshakeMs: median(during),
    firstFailureNs: firstFailure, first5xxNs, recoveryNs, flowIds,
  };
}

/** One `affected` row per client, for the finding. */
export function affectedRows(ctx: DetectorContext, impact: ImpactSummary): Finding['affected'] {
  return impact.clients.map((c) => {
    const parts: string[] = [];
    if (c.unanswered) parts.push(`${c.unanswered} connection${c.unanswered === 1 ? '' : 's'} never answered (${c.synRetransmissions} SYN retransmissions)`);
    if (c.resets) parts.push(`${c.resets} reset by the server`);
    if (c.http5xx) parts.push(`${c.http5xx} HTTP 5xx response${c.http5xx === 1 ? '' : 's'}`);
    if (c.slow) parts.push(`${c.slow} slow handshake${c.slow === 1 ? '' : 's'}`);
    const row: Finding['affected'][number] = { addr: c.addr, detail: parts.join('; '), count: c.unanswered + c.resets + c.http5xx + c.slow };
    if (Number.isFinite(c.firstNs)) { row.firstTs = String(ctx.abs(c.firstNs)); row.lastTs = String(ctx.abs(c.lastNs)); }
    return row;
  });
}
