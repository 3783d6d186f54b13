/**
 * DEV ONLY (loaded with `?mock` under `vite dev`; never part of a production build):
 * a synthetic case so the UI can be exercised before/without the server.
 */
import type {
  CaseOverview, EventName, Events, Finding, FlowRow, HostRow, PacketDetail, PacketQuery, PacketRow, TimelineSeries,
} from '../../../electron/ipc/contract.js';
import { ApiCallError, type Transport } from '../lib/transport.js';

const N = Number(new URLSearchParams(location.search).get('n') ?? 250_000);
const T0 = 1714564800n * 1_000_000_000n; // 2024-05-01 12:00:00 UTC
const SPAN_NS = 95n * 1_000_000_000n;

function rnd(i: number): number {
  let x = (i * 2654435761) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0x5bd1e995) >>> 0;
  x ^= x >>> 15;
  return (x >>> 0) / 4294967296;
}

function tsOf(id: number): bigint {
  return T0 + (SPAN_NS * BigInt(id - 1)) / BigInt(N);
}

function row(id: number): PacketRow {
  const ns = tsOf(id);
  const r = rnd(id);
  const t = Number(ns - T0) / 1e9;
  const inFlood = t > 40 && t < 55;
  let p: Partial<PacketRow>;
  if (inFlood && r < 0.8) {
    const src = `198.51.100.${1 + Math.floor(rnd(id + 7) * 250)}`;
    p = { src, dst: '192.0.2.1', sport: 1024 + Math.floor(rnd(id + 3) * 60000), dport: 443, proto: 'TCP', length: 60, tcpFlags: 0x02, ipProto: 6, color: 'syn', info: `${1024 + (id % 60000)} → 443 [SYN] Seq=0 Win=64240 Len=0` };
  } else if (r < 0.05) {
    p = { src: '10.0.0.5', dst: '10.0.0.53', sport: 50000 + (id % 1000), dport: 53, proto: 'DNS', length: 74, tcpFlags: null, ipProto: 17, color: '', info: `Standard query 0x${(id % 65536).toString(16)} A <script>alert(1)</script>.example.com` };
  } else if (r < 0.07) {
    p = { src: '10.0.0.53', dst: '10.0.0.5', sport: 3, dport: 3, proto: 'ICMP', length: 102, tcpFlags: null, ipProto: 1, color: 'icmp-error', info: 'Destination unreachable (Port unreachable)' };
  } else if (r < 0.08) {
    p = { src: '10.0.0.9', dst: '203.0.113.80', sport: 443, dport: 51514, proto: 'TCP', length: 54, tcpFlags: 0x14, ipProto: 6, color: 'rst', info: '443 → 51514 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0' };
  } else if (r < 0.081) {
    p = { src: '10.0.0.7', dst: '10.0.0.1', sport: 0, dport: 0, proto: 'IPv4', length: 34, tcpFlags: null, ipProto: 6, color: 'malformed', info: '[Malformed Packet: IPv4 header length 4 < 20]' };
  } else {
    const c = Math.floor(rnd(id + 11) * 20);
    p = { src: `10.0.0.${10 + c}`, dst: '93.184.216.34', sport: 40000 + c, dport: 443, proto: r < 0.5 ? 'TLSv1.3' : 'TCP', length: 66 + Math.floor(rnd(id + 5) * 1400), tcpFlags: 0x18, ipProto: 6, color: '', info: r < 0.5 ? 'Application Data' : `${40000 + c} → 443 [PSH, ACK] Seq=1 Ack=1 Win=501 Len=1200` };
  }
  return {
    id, rel: t, ts: [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)], src: '', dst: '', sport: null, dport: null,
    proto: '', length: 0, info: '', tcpFlags: null, ipProto: null, flags: 0, flowId: 1 + (id % 40), color: '', annotated: false, annotationCount: 0, annotationTags: [], ...p,
  } as PacketRow;
}

function matcher(q: PacketQuery): (r: PacketRow) => boolean {
  const tests: Array<(r: PacketRow) => boolean> = [];
  if (q.findingId === 1) tests.push((r) => r.color === 'syn');
  if (q.findingId === 2) tests.push((r) => r.proto === 'ICMP' || r.proto === 'DNS');
  if (q.from) { const f = BigInt(q.from); tests.push((r) => tsOf(r.id) >= f); }
  if (q.to) { const t = BigInt(q.to); tests.push((r) => tsOf(r.id) <= t); }
  if (q.filter) {
    for (const part of q.filter.split('&&').map((s) => s.trim())) {
      const m = /^(\S+)\s*==\s*(\S+)$/.exec(part);
      if (m) {
        const [, f, v] = m;
        if (f!.endsWith('.port')) tests.push((r) => String(r.sport) === v || String(r.dport) === v);
        else if (f!.endsWith('.addr')) tests.push((r) => r.src === v || r.dst === v);
        else tests.push(() => false);
      } else {
        const proto = part.toUpperCase();
        tests.push((r) => r.proto.toUpperCase().startsWith(proto));
      }
    }
  }
  return (r) => tests.every((t) => t(r));
}

function checkFilter(f: string): { ok: boolean; error?: { position: number; message: string } } {
  const bad = f.search(/[=]{3}|[!@#$%^]/);
  if (bad >= 0) return { ok: false, error: { position: bad, message: `unexpected character '${f[bad]}'` } };
  const dangling = /==\s*$/.exec(f);
  if (dangling) return { ok: false, error: { position: f.length, message: 'expected a value after ==' } };
  return { ok: true };
}

function page(q: PacketQuery) {
  const m = matcher(q);
  const limit = q.limit ?? 200;
  const rows: PacketRow[] = [];
  if (q.before !== undefined) {
    for (let id = Math.min(q.before - 1, N); id >= 1 && rows.length <= limit; id--) { const r = row(id); if (m(r)) rows.push(r); }
    const hasMore = rows.length > limit;
    return { rows: rows.slice(0, limit).reverse(), hasMore };
  }
  for (let id = (q.after ?? 0) + 1; id <= N && rows.length <= limit; id++) { const r = row(id); if (m(r)) rows.push(r); }
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

const countCache = new Map<string, number>();
function count(q: PacketQuery): number {
  const key = JSON.stringify(q);
  const c = countCache.get(key);
  if (c !== undefined) return c;
  const m = matcher(q);
  let n = 0;
  const end = q.before !== undefined ? Math.min(q.before - 1, N) : N;
  for (let id = (q.after ?? 0) + 1; id <= end; id++) if (m(row(id))) n++;
  countCache.set(key, n);
  return n;
}

const findings: Finding[] = [
  {
    id: 1, kind: 'syn-flood', title: 'SYN flood against 192.0.2.1:443', severity: 'high', confidence: 0.93,
    startTs: (T0 + 40n * 1_000_000_000n).toString(), endTs: (T0 + 55n * 1_000_000_000n).toString(),
    targets: [{ addr: '192.0.2.1', port: 443, proto: 'tcp', service: 'https' }], sources: [{ addr: '198.51.100.0/24' }], evidenceTotal: 30123,
    metrics: { synPerSec: 2008, synAckRatio: 0.01, distinctSources: 250, peakSynPerSec: 2541 },
    explanation: '30,123 TCP SYN segments to 192.0.2.1:443 from 250 sources within 15 s, with only 1% answered by SYN/ACK.\nHalf-open connections exhaust the listen backlog.',
    affected: [{ addr: '192.0.2.1', detail: 'listener 443/tcp: 1% of SYNs answered', count: 30123 }],
    recommendations: ['Enable SYN cookies on 192.0.2.1.', 'Rate-limit SYNs per source at the edge.'],
    mitre: [{ id: 'T1498.001', name: 'Network Denial of Service: Direct Network Flood' }], evidencePacketIds: [], flowIds: [], evidenceQueries: [],
  },
  {
    id: 2, kind: 'dns-port-unreachable', title: 'DNS queries answered by ICMP port unreachable', severity: 'medium', confidence: 0.8,
    startTs: (T0 + 1n * 1_000_000_000n).toString(), endTs: (T0 + 94n * 1_000_000_000n).toString(),
    targets: [{ addr: '10.0.0.53', port: 53, proto: 'udp', service: 'dns' }], sources: [{ addr: '10.0.0.5' }], evidenceTotal: 17000,
    metrics: { queries: 12500, unreachable: 5000 }, explanation: 'The resolver 10.0.0.53 is not listening on 53/udp.',
    affected: [{ addr: '10.0.0.5', detail: '5,000 queries unanswered', count: 5000 }], recommendations: ['Check the DNS service on 10.0.0.53.'],
    mitre: [], evidencePacketIds: [], flowIds: [], evidenceQueries: [],
  },
  {
    id: 3, kind: 'malformed', title: 'Malformed IPv4 headers from 10.0.0.7', severity: 'low', confidence: 0.6,
    startTs: (T0 + 3n * 1_000_000_000n).toString(), endTs: (T0 + 90n * 1_000_000_000n).toString(),
    targets: [{ addr: '10.0.0.1' }], sources: [{ addr: '10.0.0.7' }], evidenceTotal: 240,
    metrics: {}, explanation: 'Headers shorter than 20 bytes.', affected: [], recommendations: [], mitre: [], evidencePacketIds: [], flowIds: [], evidenceQueries: [],
  },
];

function overview(): CaseOverview {
  return {
    casePath: '/home/analyst/cases/incident-2024-05.flowcase', status: 'complete',
    captures: [
      { id: 1, path: '/data/edge-fw-2024-05-01.pcapng', name: 'edge-fw-2024-05-01.pcapng', size: 182_334_112, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', format: 'pcapng', compressed: false, linkTypes: [1], firstTs: T0.toString(), lastTs: (T0 + SPAN_NS).toString(), packetCount: N, byteCount: 160_000_000, status: 'complete', integrity: 'ok', readErrors: [] },
      { id: 2, path: '/mnt/usb/dmz.pcap', name: 'dmz.pcap', size: 4_000_000, sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', format: 'pcap', compressed: false, linkTypes: [1], firstTs: T0.toString(), lastTs: (T0 + SPAN_NS).toString(), packetCount: 0, byteCount: 0, status: 'incomplete', integrity: 'missing', integrityDetail: 'capture missing — relocate it… (/mnt/usb/dmz.pcap not found)', readErrors: [{ offset: 3_999_872, message: 'record length 262145 exceeds snaplen 65535; stopped reading', fatal: true }] },
    ],
    firstTs: T0.toString(), lastTs: (T0 + SPAN_NS).toString(), packetCount: N, byteCount: 160_000_000, flowCount: 31_337, hostCount: 274,
    topTalkers: [
      { addr: '192.0.2.1', packets: 30123, bytes: 1_807_380, names: ['www.example.org'] },
      { addr: '93.184.216.34', packets: 90001, bytes: 70_000_000, names: ['example.com'] },
      { addr: '10.0.0.5', packets: 12000, bytes: 900_000, names: [] },
    ],
    findings: findings.map(({ metrics, explanation, affected, recommendations, mitre, evidencePacketIds, flowIds, evidenceQueries, ...s }) => s),
  };
}

function timeline(a: { from?: string; to?: string; metric: 'packets' | 'bytes'; dim: 'proto' | 'tcp'; buckets?: number }): TimelineSeries {
  const from = BigInt(a.from ?? T0.toString());
  const to = BigInt(a.to ?? (T0 + SPAN_NS).toString());
  const b = a.buckets ?? 300;
  const width = (to - from) / BigInt(b) || 1n;
  const keys = a.dim === 'tcp' ? ['syn', 'synack', 'rst', 'fin', 'other'] : ['TCP', 'TLSv1.3', 'DNS', 'ICMP', 'IPv4'];
  const counts = new Map<number, number[]>();
  const firstId = Math.max(1, Number(((from - T0) * BigInt(N)) / SPAN_NS));
  const lastId = Math.min(N, Number(((to - T0) * BigInt(N)) / SPAN_NS) + 2);
  for (let id = firstId; id <= lastId; id++) {
    const ts = tsOf(id);
    if (ts < from || ts > to) continue;
    const r = row(id);
    const i = Number((ts - from) / width);
    let k: number;
    if (a.dim === 'tcp') k = r.tcpFlags === 0x02 ? 0 : r.tcpFlags === 0x14 ? 2 : 4;
    else k = Math.max(0, keys.indexOf(r.proto));
    const v = counts.get(i) ?? keys.map(() => 0);
    v[k]! += a.metric === 'bytes' ? r.length : 1;
    counts.set(i, v);
  }
  return { widthNs: width.toString(), widthSec: Number(width) / 1e9, startNs: from.toString(), keys, points: [...counts.entries()].sort((x, y) => x[0] - y[0]).map(([i, values]) => ({ i, values })) };
}

function detail(id: number): PacketDetail {
  const r = row(id);
  const bytes = Array.from({ length: Math.min(r.length, 200) }, (_, i) => ((i * 37 + id) & 0xff).toString(16).padStart(2, '0')).join('');
  return {
    id, row: r, captureName: 'edge-fw-2024-05-01.pcapng', frameNo: id,
    tree: [
      { label: `Frame ${id}: ${r.length} bytes on wire`, start: 0, length: r.length },
      { label: 'Ethernet II, Src: 00:11:22:33:44:55, Dst: 66:77:88:99:aa:bb', start: 0, length: 14, children: [
        { label: 'Destination: 66:77:88:99:aa:bb', start: 0, length: 6 }, { label: 'Source: 00:11:22:33:44:55', start: 6, length: 6 }, { label: 'Type: IPv4 (0x0800)', start: 12, length: 2 }] },
      { label: `Internet Protocol Version 4, Src: ${r.src}, Dst: ${r.dst}`, start: 14, length: 20, children: [
        { label: '0100 .... = Version: 4', start: 14, length: 1 }, { label: 'Total Length: 46', start: 16, length: 2 }, { label: 'Time to Live: 64', start: 22, length: 1 }, { label: `Source Address: ${r.src}`, start: 26, length: 4 }, { label: `Destination Address: ${r.dst}`, start: 30, length: 4 }] },
      { label: `Transmission Control Protocol, Src Port: ${r.sport}, Dst Port: ${r.dport}`, start: 34, length: 20, children: [
        { label: `Source Port: ${r.sport}`, start: 34, length: 2 }, { label: `Destination Port: ${r.dport}`, start: 36, length: 2 },
        { label: 'Flags: 0x002 (SYN)', start: 46, length: 2, children: [{ label: '.... .... ..1. = Syn: Set', start: 47, length: 1 }] }] },
    ],
    bytesHex: id % 97 === 0 ? null : bytes,
    ...(id % 97 === 0 ? { bytesError: 'capture missing — relocate it… (/mnt/usb/dmz.pcap not found)' } : {}),
    comments: id % 50 === 0 ? ['<b>analyst note</b>: check this'] : [],
  };
}

const flows: FlowRow[] = Array.from({ length: 420 }, (_, i) => ({
  id: i + 1, proto: i % 5 === 0 ? 'udp' : 'tcp', ipProto: i % 5 === 0 ? 17 : 6, src: `10.0.0.${10 + (i % 200)}`, sport: 40000 + i, dst: i % 3 ? '93.184.216.34' : '192.0.2.1', dport: i % 5 === 0 ? 53 : 443,
  firstTs: (T0 + BigInt(i) * 100_000_000n).toString(), lastTs: (T0 + BigInt(i) * 200_000_000n).toString(), durationSec: i * 0.1,
  origPkts: 10 + i, origBytes: 1000 * (i + 1), respPkts: i % 7 ? 8 + i : 0, respBytes: 900 * i, connState: i % 7 ? 'SF' : 'S0', service: i % 5 === 0 ? 'dns' : 'ssl', communityId: '1:abc=',
}));
const hosts: HostRow[] = Array.from({ length: 274 }, (_, i) => ({
  addr: i === 5 ? '2001:db8::1' : `10.0.${Math.floor(i / 250)}.${i % 250}`, ipVersion: i === 5 ? 6 : 4, macs: ['00:11:22:33:44:55'], names: i === 1 ? ['evil"><img src=x onerror=alert(1)>.example'] : [],
  pktsSent: 100 * i, bytesSent: 5000 * i, pktsRecv: 90 * i, bytesRecv: 4000 * i, firstTs: T0.toString(), lastTs: (T0 + SPAN_NS).toString(),
}));

function sortRows<R>(rows: R[], sort: string | undefined, dir: string | undefined, val: (r: R, k: string) => number | string): R[] {
  if (!sort) return rows;
  const s = rows.slice().sort((a, b) => { const x = val(a, sort); const y = val(b, sort); return x < y ? -1 : x > y ? 1 : 0; });
  return dir === 'desc' ? s.reverse() : s;
}

export function createMockTransport(): Transport {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const delay = <T>(v: T, ms = 40) => new Promise<T>((res) => setTimeout(() => res(v), ms));
  const handlers: Record<string, (a: any) => unknown> = {
    'case.overview': () => (new URLSearchParams(location.search).has('empty')
      ? { casePath: '', status: 'empty', captures: [], firstTs: null, lastTs: null, packetCount: 0, byteCount: 0, flowCount: 0, hostCount: 0, topTalkers: [], findings: [] }
      : overview()),
    'capture.import': () => ({ jobId: 1 }),
    'capture.cancel': () => ({ ok: true }),
    'capture.relocate': () => overview().captures[1],
    'filter.check': (a) => checkFilter(a.filter),
    'packets.page': (a) => { const c = checkFilter(a.filter ?? ''); if (!c.ok) throw new ApiCallError({ code: 'bad-filter', message: c.error!.message, position: c.error!.position }); return page(a); },
    'packets.count': (a) => ({ count: count(a) }),
    'packets.locate': (a) => ({ exists: a.id >= 1 && a.id <= N && matcher(a)(row(a.id)) }),
    'packet.detail': (a) => detail(a.id),
    'timeline.get': (a) => timeline(a),
    'flows.list': (a) => { const r = sortRows(flows, a.sort, a.dir, (f, k) => k === 'bytes' ? f.origBytes + f.respBytes : k === 'packets' ? f.origPkts + f.respPkts : (f as any)[k]); return { rows: r.slice(a.offset ?? 0, (a.offset ?? 0) + (a.limit ?? 100)), total: r.length }; },
    'hosts.list': (a) => { const r = sortRows(hosts, a.sort, a.dir, (h, k) => k === 'bytes' ? h.bytesSent + h.bytesRecv : k === 'packets' ? h.pktsSent + h.pktsRecv : (h as any)[k]); return { rows: r.slice(a.offset ?? 0, (a.offset ?? 0) + (a.limit ?? 100)), total: r.length }; },
    'findings.list': () => overview().findings,
    'findings.get': (a) => findings.find((f) => f.id === a.id),
    // Annotations are read-only in the mock: the real service keeps their history and custody.
    'annotations.list': () => [],
    'annotations.forPacket': () => ({ packet: [], flow: [], hosts: [] }),
    'annotations.forTarget': () => [],
    'annotations.marks': () => ({ points: [], ranges: [] }),
    'analyst.get': () => ({ name: 'analyst', set: true }),
    'custody.status': () => ({ state: 'verified', entries: 3, head: 'ab'.repeat(32) }),
    'report.export': (a) => ({ content: '# Report\n', fileName: `report.${a.format}`, encoding: 'utf8', sha256: null }),
  };
  if (new URLSearchParams(location.search).has('progress')) {
    let packets = 0;
    setInterval(() => {
      packets += 12345;
      for (const l of listeners.get('ingest.progress') ?? []) l({ jobId: 1, captureName: 'big.pcapng', bytesRead: packets * 700, bytesTotal: 1_000_000_000, packets, packetsPerSec: 123456, etaSec: 42, phase: 'reading' });
    }, 1000);
  }
  return {
    kind: 'mock',
    async call(channel, args) {
      const h = handlers[channel];
      if (!h) throw new ApiCallError({ code: 'not-found', message: `no mock for ${channel}` });
      return delay(h(args)) as never;
    },
    on<E extends EventName>(event: E, listener: (p: Events[E]) => void) {
      let s = listeners.get(event);
      if (!s) listeners.set(event, (s = new Set()));
      s.add(listener as (p: unknown) => void);
      return () => s.delete(listener as (p: unknown) => void);
    },
    async upload() { return { jobId: 1 }; },
  };
}
