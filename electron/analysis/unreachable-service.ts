/**
 * Unreachable service: ICMP / ICMPv6 destination-unreachable errors grouped by the service they
 * were about. The error quotes the packet that failed, and the quote tells which side was the
 * service: a request *to* a well-known port (the service is down or filtered), or a reply *from*
 * one that reached a client which had stopped listening (a late answer).
 */
import type { DetectorContext } from './detector-context';
import { addrTest } from './evidence-query';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { isServiceUnreachable, unreachableMeaning } from './icmp-unreachable-codes';
import { protoName, serviceFor, serviceLabel } from './service-names';
import type { ErrRow, UnreachableGroup } from './unreachable-group';
import { unreachableText } from './unreachable-service-text';

function isWellKnown(proto: number, port: number | null): boolean {
  return port !== null && port >= 0 && (serviceFor(proto, port) !== null || port < 1024);
}

/** Which end of the quoted packet is the service, and so which way the failure went. */
function sideOf(e: ErrRow): { direction: 'request' | 'response'; service: string; port: number } {
  const proto = e.orig_proto ?? -1;
  const dport = e.orig_dport ?? -1, sport = e.orig_sport ?? -1;
  if ((proto === 6 || proto === 17) && !isWellKnown(proto, dport) && isWellKnown(proto, sport)) {
    return { direction: 'response', service: e.orig_src ?? '', port: sport };
  }
  return { direction: 'request', service: e.orig_dst ?? '', port: dport };
}

export function detectUnreachableServices(ctx: DetectorContext): DraftFinding[] {
  const { db, baseNs } = ctx;
  const rows = (db.prepare(`SELECT e.packet_id AS id, p.ts_ns - ? AS t, e.icmp_ver, e.type, e.code,
      coalesce(ra.addr, sa.addr, '') AS reporter, e.orig_src, e.orig_dst, e.orig_proto, e.orig_sport, e.orig_dport,
      e.orig_flow_id, e.dns_qname
    FROM icmp_errors e JOIN packets p ON p.id = e.packet_id
    LEFT JOIN addrs ra ON ra.id = e.reporter_id LEFT JOIN addrs sa ON sa.id = p.src_id
    ORDER BY p.ts_ns, p.id`).all(baseNs) as ErrRow[])
    .filter((e) => isServiceUnreachable(e.icmp_ver, e.type, e.code) && e.orig_dst);

  const scanners = scanningSources(ctx, rows);
  const groups = new Map<string, UnreachableGroup>();
  for (const e of rows) {
    if (e.orig_src && scanners.has(e.orig_src)) continue;
    const side = sideOf(e);
    const proto = e.orig_proto ?? -1;
    const key = `${side.direction}|${side.service}|${proto}|${side.port}`;
    let g = groups.get(key);
    if (!g) { g = { direction: side.direction, service: side.service, proto, port: side.port, errors: [] }; groups.set(key, g); }
    g.errors.push(e);
  }
  const list = [...groups.values()].map((g) => ({ g, svcId: addrId(ctx, g.service) }));
  const answered = responsesFrom(ctx, list.filter((x) => x.svcId !== null && x.g.port >= 0).map((x) => [x.svcId!, x.g.proto, x.g.port]));
  return list.map(({ g, svcId }) => buildFinding(ctx, g, svcId, answered.get(`${svcId}|${g.proto}|${g.port}`) ?? 0));
}

/**
 * Did the service ever answer anyone? Packets sent from each (service, protocol, port), counted
 * for every group in one table scan rather than one query per group. Keyed by `${id}|${proto}|${port}`.
 */
function responsesFrom(ctx: DetectorContext, services: Array<[id: number, proto: number, port: number]>): Map<string, number> {
  const out = new Map<string, number>();
  if (services.length === 0) return out;
  const rows = ctx.db.prepare(`SELECT src_id, ip_proto, sport, count(*) AS n FROM packets NOT INDEXED
    WHERE (src_id, ip_proto, sport) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))
    GROUP BY src_id, ip_proto, sport`).all(JSON.stringify(services)) as Array<{ src_id: number; ip_proto: number; sport: number; n: number }>;
  for (const r of rows) out.set(`${r.src_id}|${r.ip_proto}|${r.sport}`, r.n);
  return out;
}

/**
 * Sources that drew unreachables from many ports of one host, or from one port of many hosts,
 * are scanning: the port-scan detector reports them, so they are left out here.
 */
function scanningSources(ctx: DetectorContext, rows: ErrRow[]): Set<string> {
  const ports = new Map<string, Set<number>>();
  const hosts = new Map<string, Set<string>>();
  for (const e of rows) {
    if (!e.orig_src || e.orig_dport === null) continue;
    const pk = `${e.orig_src}|${e.orig_dst}`;
    const hk = `${e.orig_src}|${e.orig_dport}`;
    (ports.get(pk) ?? ports.set(pk, new Set()).get(pk)!).add(e.orig_dport);
    (hosts.get(hk) ?? hosts.set(hk, new Set()).get(hk)!).add(e.orig_dst ?? '');
  }
  const out = new Set<string>();
  for (const [k, s] of ports) if (s.size >= ctx.th.portScan.minPorts) out.add(k.split('|')[0]);
  for (const [k, s] of hosts) if (s.size >= ctx.th.portScan.minHosts) out.add(k.split('|')[0]);
  return out;
}

function addrId(ctx: DetectorContext, addr: string): number | null {
  const r = ctx.db.prepare('SELECT id FROM addrs WHERE addr = ?').get(addr) as { id: number } | undefined;
  return r?.id ?? null;
}

/** `answered`: packets the service sent from its port in the whole case (0 when it is unknown). */
function buildFinding(ctx: DetectorContext, g: UnreachableGroup, svcId: number | null, answered: number): DraftFinding {
  const { db, th, baseNs } = ctx;
  const T = th.unreachable;
  const evidence = new EvidenceSet();
  const clients = new Map<string, { count: number; first: number; last: number }>();
  const codes = new Map<number, number>();
  const reporters = new Set<string>();
  const names = new Map<string, number>();
  const flowIds = new Set<number>();
  for (const e of g.errors) {
    evidence.add('icmp-error', e.id);
    const client = (g.direction === 'request' ? e.orig_src : e.orig_dst) ?? '';
    const c = clients.get(client) ?? { count: 0, first: e.t, last: e.t };
    c.count++; c.last = e.t;
    clients.set(client, c);
    codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    reporters.add(e.reporter);
    if (e.orig_flow_id !== null) flowIds.add(e.orig_flow_id);
    if (e.dns_qname) names.set(e.dns_qname, (names.get(e.dns_qname) ?? 0) + 1);
  }

  // The packets that failed: the requests (or late replies) in the quoted flows.
  const failedRole = g.direction === 'request' ? 'request' : 'late-response';
  // The quoted flows and their packets are read once for the whole group (packets_by_flow), not per flow.
  const flowList = JSON.stringify([...flowIds]);
  const endpoints = new Map((db.prepare('SELECT id, orig_id, resp_id FROM flows WHERE id IN (SELECT value FROM json_each(?))')
    .all(flowList) as Array<{ id: number; orig_id: number; resp_id: number }>).map((f) => [f.id, f]));
  const packetsOf = new Map<number, Array<{ id: number; t: number; src_id: number | null }>>();
  for (const p of db.prepare(`SELECT id, ts_ns - ? AS t, flow_id, src_id FROM packets
      WHERE flow_id IN (SELECT value FROM json_each(?)) AND ip_proto = ? ORDER BY flow_id, id`)
    .all(baseNs, flowList, g.proto) as Array<{ id: number; t: number; flow_id: number; src_id: number | null }>) {
    (packetsOf.get(p.flow_id) ?? packetsOf.set(p.flow_id, []).get(p.flow_id)!).push(p);
  }
  let firstFailedNs: number | null = null;
  const requesterIdOf = (flowId: number): number | null => {
    const f = endpoints.get(flowId);
    if (!f) return null;
    // Requests come from the side that is not the service; late replies from the service.
    const serviceIsResp = f.resp_id === svcId;
    if (g.direction === 'request') return serviceIsResp ? f.orig_id : f.resp_id;
    return svcId;
  };
  for (const flowId of flowIds) {
    const src = requesterIdOf(flowId);
    for (const p of packetsOf.get(flowId) ?? []) {
      if (p.src_id !== src) continue;
      evidence.add(failedRole, p.id);
      if (firstFailedNs === null || p.t < firstFailedNs) firstFailedNs = p.t;
    }
  }
  const errorType = g.errors.some((e) => e.reporter.includes(':')) ? '(icmp.type == 3 || icmpv6.type == 1)' : 'icmp.type == 3';
  evidence.describe('icmp-error', `${errorType} && ${addrTest([...reporters], 'src')}`);
  const transport = g.proto === 6 ? 'tcp' : g.proto === 17 ? 'udp' : null;
  if (transport && g.direction === 'request') evidence.describe(failedRole, `${addrTest([g.service], 'dst')} && ${transport}.dstport == ${g.port}`);
  if (transport && g.direction === 'response') evidence.describe(failedRole, `${addrTest([g.service], 'src')} && ${transport}.srcport == ${g.port}`);
  // For late replies: when did the client ask? (The gap is the server's response time.)
  let firstQueryNs: number | null = null;
  if (g.direction === 'response' && svcId !== null) {
    firstQueryNs = db.prepare('SELECT min(ts_ns) - ? FROM packets WHERE flow_id IN (SELECT value FROM json_each(?)) AND dst_id = ?')
      .pluck().get(baseNs, flowList, svcId) as number | null;
  }
  // DNS names from the matched transactions when the ICMP quote was too short to carry them.
  if (names.size === 0 && flowIds.size > 0 && (g.port === 53 || g.port === 5353)) {
    // dns_transactions has no flow index: one pass over it for all the flows, not one per flow.
    const rows = db.prepare(`SELECT flow_id, qname FROM dns_transactions WHERE flow_id IN (SELECT value FROM json_each(?))
      ORDER BY rowid`).all(JSON.stringify([...flowIds])) as Array<{ flow_id: number; qname: string }>;
    const byFlow = new Map<number, string[]>();
    for (const r of rows) (byFlow.get(r.flow_id) ?? byFlow.set(r.flow_id, []).get(r.flow_id)!).push(r.qname);
    for (const flowId of flowIds) for (const q of byFlow.get(flowId) ?? []) names.set(q, (names.get(q) ?? 0) + 1);
  }

  // Whether the service ever answered anyone separates "down" from "intermittent".
  const count = g.errors.length;
  let severity: DraftFinding['severity'] = 'low';
  if (g.direction === 'request') {
    if (answered === 0 && count >= T.highMinErrors) severity = 'high';
    else if ((answered === 0 && count >= T.mediumMinErrors) || count >= T.highMinErrors) severity = 'medium';
  } else if (count >= T.lateResponseMediumMinErrors) severity = 'medium';

  const codeList = [...codes.entries()].sort((a, b) => b[1] - a[1]);
  const icmpVer = g.errors[0].icmp_ver;
  const meaning = unreachableMeaning(icmpVer, codeList[0][0]);
  const svc = serviceFor(g.proto, g.port);
  const label = g.port >= 0 ? serviceLabel(g.proto, g.port) : protoName(g.proto);
  const first = g.errors[0].t, last = g.errors[g.errors.length - 1].t;
  const clientList = [...clients.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const nameList = [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const text = unreachableText({
    group: g, label, serviceName: svc?.label ?? null, baseNs, first, last, count, answered, meaning, icmpVer,
    codes: codeList, reporters: [...reporters], clients: clientList.map(([addr, c]) => ({ addr, count: c.count })),
    names: nameList, failedRequests: evidence.countOf(failedRole), firstFailedNs, firstQueryNs,
  });
  return {
    kind: 'unreachable-service',
    title: text.title,
    severity,
    confidence: clamp01(0.6 + Math.min(count, 10) * 0.03 + (answered === 0 ? 0.05 : 0)),
    startTsNs: ctx.abs(Math.min(first, firstFailedNs ?? first)),
    endTsNs: ctx.abs(last),
    targets: [{ addr: g.service, ...(g.port >= 0 ? { port: g.port } : {}), proto: protoName(g.proto), ...(svc ? { service: svc.name } : {}) }],
    sources: clientList.slice(0, 20).map(([addr]) => ({ addr })),
    metrics: {
      icmpErrors: count, failedRequests: evidence.countOf(failedRole), clients: clients.size, reporters: reporters.size,
      serviceResponses: answered, direction: g.direction, code: codeList[0][0], codeName: meaning.name,
      queryNames: names.size, durationSec: Math.round((last - first) / 1e6) / 1000,
    },
    explanation: text.explanation,
    affected: clientList.map(([addr, c]) => ({ addr, detail: `${c.count} ${label} packet${c.count === 1 ? '' : 's'} answered by ICMP ${meaning.name}`, count: c.count, firstTs: String(ctx.abs(c.first)), lastTs: String(ctx.abs(c.last)) })),
    recommendations: text.recommendations,
    mitre: [],
    evidence,
    flowIds: [...flowIds],
    details: {
      events: text.events, direction: g.direction, serviceLabel: label, codeName: meaning.name, causes: text.causes,
      names: nameList.slice(0, 50).map(([name, n]) => ({ name, count: n })), reporters: [...reporters],
      firstRequestTsNs: firstFailedNs !== null ? String(ctx.abs(firstFailedNs)) : null,
      // The finding starts at the first failing request; the report's "first ICMP error" needs the error itself.
      firstErrorTsNs: String(ctx.abs(first)), lastErrorTsNs: String(ctx.abs(last)),
    },
  };
}
