/**
 * Unreachable service: ICMP / ICMPv6 destination-unreachable errors grouped by the service they
 * were about. The error quotes the packet that failed, and the quote tells which side was the
 * service: a request *to* a well-known port (the service is down or filtered), or a reply *from*
 * one that reached a client which had stopped listening (a late answer).
 */
import type { DetectorContext } from './detector-context';
import { clamp01, DraftFinding, EvidenceSet } from './finding';
import { isServiceUnreachable, unreachableMeaning } from './icmp-unreachable-codes';
import { protoName, serviceFor, serviceLabel } from './service-names';
import { unreachableText } from './unreachable-service-text';

interface ErrRow {
  id: number; t: number; icmp_ver: number; type: number; code: number; reporter: string;
  orig_src: string | null; orig_dst: string | null; orig_proto: number | null; orig_sport: number | null; orig_dport: number | null;
  orig_flow_id: number | null; dns_qname: string | null;
}

export interface UnreachableGroup {
  direction: 'request' | 'response';
  service: string; proto: number; port: number;
  errors: ErrRow[];
}

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
  return [...groups.values()].map((g) => buildFinding(ctx, g));
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

function buildFinding(ctx: DetectorContext, g: UnreachableGroup): DraftFinding {
  const { db, th, baseNs } = ctx;
  const T = th.unreachable;
  const evidence = new EvidenceSet();
  const svcId = addrId(ctx, g.service);
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
  const inFlow = db.prepare('SELECT id, ts_ns - ? AS t FROM packets WHERE flow_id = ? AND src_id IS ? AND ip_proto = ? ORDER BY id');
  let firstFailedNs: number | null = null;
  const requesterIdOf = (flowId: number): number | null => {
    const f = db.prepare('SELECT orig_id, resp_id FROM flows WHERE id = ?').get(flowId) as { orig_id: number; resp_id: number } | undefined;
    if (!f) return null;
    // Requests come from the side that is not the service; late replies from the service.
    const serviceIsResp = f.resp_id === svcId;
    if (g.direction === 'request') return serviceIsResp ? f.orig_id : f.resp_id;
    return svcId;
  };
  for (const flowId of flowIds) {
    const src = requesterIdOf(flowId);
    for (const p of inFlow.all(baseNs, flowId, src, g.proto) as Array<{ id: number; t: number }>) {
      evidence.add(failedRole, p.id);
      if (firstFailedNs === null || p.t < firstFailedNs) firstFailedNs = p.t;
    }
  }
  // For late replies: when did the client ask? (The gap is the server's response time.)
  let firstQueryNs: number | null = null;
  if (g.direction === 'response' && svcId !== null) {
    const q = db.prepare('SELECT min(ts_ns) - ? FROM packets WHERE flow_id = ? AND dst_id = ?').pluck();
    for (const flowId of flowIds) {
      const t = q.get(baseNs, flowId, svcId) as number | null;
      if (t !== null && (firstQueryNs === null || t < firstQueryNs)) firstQueryNs = t;
    }
  }
  // DNS names from the matched transactions when the ICMP quote was too short to carry them.
  if (names.size === 0 && flowIds.size > 0 && (g.port === 53 || g.port === 5353)) {
    const stmt = db.prepare('SELECT qname FROM dns_transactions WHERE flow_id = ?').pluck();
    for (const flowId of flowIds) for (const q of stmt.all(flowId) as string[]) names.set(q, (names.get(q) ?? 0) + 1);
  }

  // Did the service ever answer anyone? That separates "down" from "intermittent".
  const answered = svcId === null || g.port < 0 ? 0
    : (db.prepare('SELECT count(*) FROM packets WHERE src_id = ? AND ip_proto = ? AND sport = ?').pluck().get(svcId, g.proto, g.port) as number);
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
    },
  };
}
