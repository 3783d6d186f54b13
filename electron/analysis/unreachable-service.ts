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
import { ScanWindow } from './scan-window';
import { type ErrRow, UnreachableGroup } from './unreachable-group';
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
  const scanners = scanningSources(ctx);
  const groups = new Map<string, UnreachableGroup>();
  for (const e of serviceUnreachables(ctx)) {
    if (e.orig_src && scanners.has(e.orig_src)) continue;
    const side = sideOf(e);
    const proto = e.orig_proto ?? -1;
    const key = `${side.direction}|${side.service}|${proto}|${side.port}`;
    let g = groups.get(key);
    if (!g) { g = new UnreachableGroup(side.direction, side.service, proto, side.port); groups.set(key, g); }
    g.observe(e);
  }
  const list = [...groups.values()].map((g) => ({ g, svcId: addrId(ctx, g.service) }));
  const answered = responsesFrom(ctx, list.filter((x) => x.svcId !== null && x.g.port >= 0).map((x) => [x.svcId!, x.g.proto, x.g.port]));
  return list.map(({ g, svcId }) => buildFinding(ctx, g, svcId, answered.get(`${svcId}|${g.proto}|${g.port}`) ?? 0));
}

/** The stored ICMP errors that say a service could not be reached (and quote whom), in time order, one at a time. */
function* serviceUnreachables(ctx: DetectorContext): Generator<ErrRow> {
  const rows = ctx.db.prepare(`SELECT e.packet_id AS id, p.ts_ns - ? AS t, e.icmp_ver, e.type, e.code,
      coalesce(ra.addr, sa.addr, '') AS reporter, e.orig_src, e.orig_dst, e.orig_proto, e.orig_sport, e.orig_dport,
      e.orig_flow_id, e.dns_qname
    FROM icmp_errors e JOIN packets p ON p.id = e.packet_id
    LEFT JOIN addrs ra ON ra.id = e.reporter_id LEFT JOIN addrs sa ON sa.id = p.src_id
    ORDER BY p.ts_ns, p.id`).iterate(ctx.baseNs) as IterableIterator<ErrRow>;
  for (const e of rows) if (isServiceUnreachable(e.icmp_ver, e.type, e.code) && e.orig_dst) yield e;
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
 * within one port-scan window (thresholds portScan.windowSec), are scanning: the port-scan
 * detector reports them, so they are left out here. Counted over the whole capture instead, a
 * client that now and then meets a dead host would be taken for a scanner in a long capture, and
 * its real unreachable services hidden. A pair stops being counted once its source is known to scan.
 */
function scanningSources(ctx: DetectorContext): Set<string> {
  const { minPorts, minHosts, windowSec } = ctx.th.portScan;
  const ports = new Map<string, ScanWindow>();
  const hosts = new Map<string, ScanWindow>();
  const hostIds = new Map<string, number>();
  const out = new Set<string>();
  const note = (windows: Map<string, ScanWindow>, key: string, t: number, x: number, min: number, src: string) => {
    let w = windows.get(key);
    if (!w) { w = new ScanWindow(windowSec * 1e9, min, 0); windows.set(key, w); }
    w.push(t, x, false);
    if (w.periods.length > 0) out.add(src);
  };
  for (const e of serviceUnreachables(ctx)) {
    if (!e.orig_src || e.orig_dport === null || out.has(e.orig_src)) continue;
    const dst = e.orig_dst ?? '';
    const host = hostIds.get(dst) ?? hostIds.set(dst, hostIds.size).get(dst)!;
    note(ports, `${e.orig_src}|${dst}`, e.t, e.orig_dport, minPorts, e.orig_src);
    note(hosts, `${e.orig_src}|${e.orig_dport}`, e.t, host, minHosts, e.orig_src);
  }
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
  const { evidence, clients, codes, reporters, names, flowIds } = g;

  // The packets that failed: the requests (or late replies) in the quoted flows, read with their
  // flow's endpoints for the whole group at once (packets_by_flow), not flow by flow.
  const failedRole = g.direction === 'request' ? 'request' : 'late-response';
  const flowList = JSON.stringify([...flowIds]);
  let firstFailedNs: number | null = null;
  const flowPackets = db.prepare(`SELECT p.id, p.ts_ns - ? AS t, p.src_id, f.orig_id, f.resp_id
      FROM packets p JOIN flows f ON f.id = p.flow_id
      WHERE p.flow_id IN (SELECT value FROM json_each(?)) AND p.ip_proto = ?`)
    .iterate(baseNs, flowList, g.proto) as IterableIterator<{ id: number; t: number; src_id: number | null; orig_id: number; resp_id: number }>;
  for (const p of flowPackets) {
    // Requests come from the side that is not the service; late replies from the service.
    const requester = g.direction === 'request' ? (p.resp_id === svcId ? p.orig_id : p.resp_id) : svcId;
    if (p.src_id !== requester) continue;
    evidence.add(failedRole, p.id);
    if (firstFailedNs === null || p.t < firstFailedNs) firstFailedNs = p.t;
  }
  const errorType = g.v6Reporter ? '(icmp.type == 3 || icmpv6.type == 1)' : 'icmp.type == 3';
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
    const qnames = db.prepare('SELECT qname FROM dns_transactions WHERE flow_id IN (SELECT value FROM json_each(?))')
      .pluck().iterate(flowList) as IterableIterator<string>;
    for (const q of qnames) names.set(q, (names.get(q) ?? 0) + 1);
  }

  // Whether the service ever answered anyone separates "down" from "intermittent".
  const count = g.count;
  let severity: DraftFinding['severity'] = 'low';
  if (g.direction === 'request') {
    if (answered === 0 && count >= T.highMinErrors) severity = 'high';
    else if ((answered === 0 && count >= T.mediumMinErrors) || count >= T.highMinErrors) severity = 'medium';
  } else if (count >= T.lateResponseMediumMinErrors) severity = 'medium';

  const codeList = [...codes.entries()].sort((a, b) => b[1] - a[1]);
  const icmpVer = g.icmpVer;
  const meaning = unreachableMeaning(icmpVer, codeList[0][0]);
  const svc = serviceFor(g.proto, g.port);
  const label = g.port >= 0 ? serviceLabel(g.proto, g.port) : protoName(g.proto);
  const { first, last } = g;
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
    flowIds,
    details: {
      events: text.events, direction: g.direction, serviceLabel: label, codeName: meaning.name, causes: text.causes,
      names: nameList.slice(0, 50).map(([name, n]) => ({ name, count: n })), reporters: [...reporters],
      firstRequestTsNs: firstFailedNs !== null ? String(ctx.abs(firstFailedNs)) : null,
      // The finding starts at the first failing request; the report's "first ICMP error" needs the error itself.
      firstErrorTsNs: String(ctx.abs(first)), lastErrorTsNs: String(ctx.abs(last)),
    },
  };
}
