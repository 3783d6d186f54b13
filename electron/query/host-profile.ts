/**
 * The per-host panel (ego view): one address's names, MACs, traffic in and out, activity over
 * time, peers ranked with their services and outcomes, the ports it served and contacted, and the
 * findings that name it.
 */
import type { CaseDb } from '../../db/open-case';
import type { HostPeer, HostProfile, Outcome } from '../model/graph';
import { ApiFailure } from '../model/api-error';
import { addressBytes, isInternal } from './address-groups';
import { dominantOutcome, OUTCOME_SQL, serviceLabel, topServices } from './graph-pairs';
import { homeCidrs } from './graph-settings';
import { findingRoles } from './host-graph';
import { chooseWidth } from './timeline';

export const PEER_LIMIT = 50;
const ACTIVITY_BUCKETS = 120;

interface PeerDbRow {
  peer: string; outbound: number; ip_proto: number | null; port: number | null; service: string | null; outcome: Outcome;
  flows: number; packets: number; bytes: number;
}

function parseList(text: string | null): string[] {
  try { const v: unknown = JSON.parse(text ?? '[]'); return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []; } catch { return []; }
}

function peersOf(db: CaseDb, id: number): { peers: HostPeer[]; total: number } {
  const rows = db.prepare(`SELECT a.addr AS peer, f.orig_id = ? AS outbound, f.ip_proto, f.resp_port AS port, f.service,
      ${OUTCOME_SQL} AS outcome, count(*) AS flows, sum(f.orig_pkts + f.resp_pkts) AS packets, sum(f.orig_bytes + f.resp_bytes) AS bytes
    FROM flows f JOIN addrs a ON a.id = CASE WHEN f.orig_id = ? THEN f.resp_id ELSE f.orig_id END
    WHERE f.orig_id = ? OR f.resp_id = ?
    GROUP BY peer, outbound, f.ip_proto, f.resp_port, f.service, outcome`).all(id, id, id, id) as PeerDbRow[];
  const byPeer = new Map<string, { p: HostPeer; services: Map<string, number>; out: boolean; in: boolean }>();
  for (const r of rows) {
    let e = byPeer.get(r.peer);
    if (!e) {
      e = { p: { addr: r.peer, name: '', packets: 0, bytes: 0, flows: 0, direction: 'out', services: [], states: {}, outcome: 'other' }, services: new Map(), out: false, in: false };
      byPeer.set(r.peer, e);
    }
    e.p.packets += r.packets; e.p.bytes += r.bytes; e.p.flows += r.flows;
    e.p.states[r.outcome] = (e.p.states[r.outcome] ?? 0) + r.flows;
    if (r.outbound) e.out = true; else e.in = true;
    const label = serviceLabel(r.ip_proto, r.port, r.service);
    e.services.set(label, (e.services.get(label) ?? 0) + r.flows);
  }
  const all = [...byPeer.values()].map((e) => ({
    ...e.p, direction: (e.out && e.in ? 'both' : e.out ? 'out' : 'in') as HostPeer['direction'],
    services: topServices(e.services, 4), outcome: dominantOutcome(e.p.states),
  }));
  all.sort((x, y) => y.bytes - x.bytes || x.addr.localeCompare(y.addr));
  const peers = all.slice(0, PEER_LIMIT);
  const names = db.prepare(`SELECT a.addr, n.name FROM host_names n JOIN addrs a ON a.id = n.addr_id
    WHERE a.addr IN (SELECT value FROM json_each(?)) ORDER BY n.source = 'nrb' DESC, length(n.name), n.name`)
    .all(JSON.stringify(peers.map((p) => p.addr))) as Array<{ addr: string; name: string }>;
  for (const n of names) {
    const p = peers.find((x) => x.addr === n.addr);
    if (p && !p.name) p.name = n.name;
  }
  return { peers, total: all.length };
}

function portsOf(db: CaseDb, id: number, side: 'served' | 'contacted'): HostProfile['served'] {
  const [mine, other] = side === 'served' ? ['resp_id', 'orig_id'] : ['orig_id', 'resp_id'];
  const rows = db.prepare(`SELECT ip_proto, resp_port AS port, service, count(*) AS flows, count(DISTINCT ${other}) AS peers
    FROM flows WHERE ${mine} = ? AND ip_proto IN (6, 17, 132)
    GROUP BY ip_proto, resp_port, service ORDER BY flows DESC, port LIMIT 30`).all(id) as
    Array<{ ip_proto: number; port: number; service: string | null; flows: number; peers: number }>;
  return rows.map((r) => ({ service: serviceLabel(r.ip_proto, r.port, r.service), flows: r.flows, peers: r.peers }));
}

function activityOf(db: CaseDb, id: number): HostProfile['activity'] {
  const span = db.prepare('SELECT CAST(min(first_ts_ns) AS TEXT) AS f, CAST(max(last_ts_ns) AS TEXT) AS l FROM captures').get() as { f: string | null; l: string | null };
  const keys = ['sent', 'received'];
  if (!span.f || !span.l) return { startNs: '0', widthNs: '1000000000', widthSec: 1, points: [], keys };
  const { width, start } = chooseWidth(BigInt(span.f), BigInt(span.l), ACTIVITY_BUCKETS);
  // The host's packets through its flows (packets_by_flow), plus its flowless frames (ARP) by address.
  const rows = db.prepare(`SELECT (p.ts_ns - ?) / ? AS i, sum(p.src_id = ?) AS sent, sum(p.dst_id = ?) AS received FROM packets p
    WHERE p.flow_id IN (SELECT id FROM flows WHERE orig_id = ? OR resp_id = ?)
       OR (p.flow_id IS NULL AND (p.src_id = ? OR p.dst_id = ?))
    GROUP BY i ORDER BY i`).safeIntegers(true).all(start, width, id, id, id, id, id, id) as Array<{ i: bigint; sent: bigint; received: bigint }>;
  return {
    startNs: start.toString(), widthNs: width.toString(), widthSec: Number(width) / 1e9, keys,
    points: rows.map((r) => ({ i: Number(r.i), values: [Number(r.sent), Number(r.received)] })),
  };
}

export function hostProfile(db: CaseDb, addr: string): HostProfile {
  const a = db.prepare('SELECT id, addr, bin FROM addrs WHERE addr = ?').get(addr) as { id: number; addr: string; bin: Buffer | null } | undefined;
  if (!a) throw new ApiFailure('not-found', `address ${addr.slice(0, 60)} is not in this case`);
  const h = db.prepare(`SELECT macs, pkts_sent, bytes_sent, pkts_recv, bytes_recv, CAST(first_ts_ns AS TEXT) AS f, CAST(last_ts_ns AS TEXT) AS l
    FROM hosts WHERE addr_id = ?`).get(a.id) as { macs: string; pkts_sent: number; bytes_sent: number; pkts_recv: number; bytes_recv: number; f: string; l: string } | undefined;
  const names = (db.prepare('SELECT DISTINCT name FROM host_names WHERE addr_id = ? ORDER BY name').all(a.id) as Array<{ name: string }>).map((r) => r.name);
  const roles = findingRoles(db);
  const findingIds = roles.findings.get(a.addr) ?? [];
  const findings = findingIds.length
    ? (db.prepare('SELECT id, title, severity, targets, sources FROM findings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(findingIds)) as Array<{ id: number; title: string; severity: string; targets: string; sources: string }>)
      .map((f) => ({
        id: f.id, title: f.title, severity: f.severity,
        role: f.targets.includes(JSON.stringify(a.addr)) ? 'target' as const : f.sources.includes(JSON.stringify(a.addr)) ? 'source' as const : 'affected' as const,
      }))
    : [];
  const { peers, total } = peersOf(db, a.id);
  return {
    addr: a.addr, names, macs: parseList(h?.macs ?? null),
    internal: isInternal(a.bin ? new Uint8Array(a.bin) : addressBytes(a.addr), homeCidrs(db)),
    firstTs: h?.f ?? null, lastTs: h?.l ?? null,
    pktsOut: h?.pkts_sent ?? 0, bytesOut: h?.bytes_sent ?? 0, pktsIn: h?.pkts_recv ?? 0, bytesIn: h?.bytes_recv ?? 0,
    peers, peerTotal: total,
    served: portsOf(db, a.id, 'served'), contacted: portsOf(db, a.id, 'contacted'),
    findings, activity: activityOf(db, a.id),
  };
}
