/**
 * A small hand-built case for the query tests: 18 packets covering every protocol the filter
 * language names, written straight into the tables (no capture parsing involved).
 */
import { openCase, type CaseDb } from '../../../db/open-case.js';
import { PKT_MALFORMED, PKT_TRUNCATED } from '../../../electron/decode/packet-summary.js';
import { flagBits, port16 } from '../../../electron/ingest/case-writer.js';

/** First packet time: above 2^53 ns, so any float rounding of ts_ns would show. */
export const T0 = 1_700_000_000_123_456_789n;
/** Packet n is sent at T0 + (n - 1) * 0.5 s. */
export const tsOf = (id: number): bigint => T0 + BigInt(id - 1) * 500_000_000n;

export const ALL = Array.from({ length: 18 }, (_, i) => i + 1);

const ADDRS: Array<[number, string, number[] | null]> = [
  [1, '10.0.0.1', [10, 0, 0, 1]],
  [2, '10.0.0.2', [10, 0, 0, 2]],
  [3, '192.168.1.10', [192, 168, 1, 10]],
  [4, '8.8.8.8', [8, 8, 8, 8]],
  [5, '2001:db8::1', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
  [6, 'fe80::1', [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
  // Its first four bytes fall inside 10.0.0.0/8: IPv4 CIDR filters must still not match it.
  [7, 'a00:1::1', [0x0a, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
  [8, 'aa:bb:cc:dd:ee:ff', null],
  [9, 'ff:ff:ff:ff:ff:ff', null],
  [10, '224.0.0.251', [224, 0, 0, 251]],
  [11, '192.168.1.20', [192, 168, 1, 20]],
];

interface P {
  id: number; ver: 0 | 4 | 6; src: number; dst: number; sport: number | null; dport: number | null;
  ipProto: number | null; tcpFlags: number | null; proto: string; len?: number; cap?: number; flags?: number; ifIndex?: number;
}

// Columns: id, ip version, src/dst addr ids, ports (ICMP: type/code), ip_proto, tcp flags, proto.
export const PACKETS: P[] = [
  { id: 1, ver: 4, src: 1, dst: 3, sport: 51000, dport: 80, ipProto: 6, tcpFlags: 0x02, proto: 'TCP' },
  { id: 2, ver: 4, src: 3, dst: 1, sport: 80, dport: 51000, ipProto: 6, tcpFlags: 0x12, proto: 'TCP' },
  { id: 3, ver: 4, src: 1, dst: 3, sport: 51000, dport: 80, ipProto: 6, tcpFlags: 0x10, proto: 'TCP' },
  { id: 4, ver: 4, src: 1, dst: 3, sport: 51000, dport: 80, ipProto: 6, tcpFlags: 0x18, proto: 'HTTP' },
  { id: 5, ver: 4, src: 3, dst: 1, sport: 80, dport: 51000, ipProto: 6, tcpFlags: 0x18, proto: 'HTTP', len: 1514, cap: 1514 },
  { id: 6, ver: 4, src: 3, dst: 1, sport: 80, dport: 51000, ipProto: 6, tcpFlags: 0x04, proto: 'TCP' },
  { id: 7, ver: 4, src: 2, dst: 4, sport: 53000, dport: 53, ipProto: 17, tcpFlags: null, proto: 'DNS' },
  { id: 8, ver: 4, src: 4, dst: 2, sport: 53, dport: 53000, ipProto: 17, tcpFlags: null, proto: 'DNS' },
  { id: 9, ver: 4, src: 4, dst: 2, sport: 3, dport: 3, ipProto: 1, tcpFlags: null, proto: 'ICMP' },
  { id: 10, ver: 4, src: 2, dst: 4, sport: 8, dport: 0, ipProto: 1, tcpFlags: null, proto: 'ICMP' },
  { id: 11, ver: 6, src: 5, dst: 6, sport: 1, dport: 4, ipProto: 58, tcpFlags: null, proto: 'ICMPv6' },
  { id: 12, ver: 6, src: 6, dst: 5, sport: 50000, dport: 443, ipProto: 6, tcpFlags: 0x18, proto: 'TLSv1.3', len: 517, cap: 517 },
  { id: 13, ver: 0, src: 8, dst: 9, sport: null, dport: null, ipProto: null, tcpFlags: null, proto: 'ARP' },
  { id: 14, ver: 4, src: 2, dst: 3, sport: 40000, dport: 8080, ipProto: 6, tcpFlags: 0x02, proto: 'TCP', flags: PKT_MALFORMED },
  { id: 15, ver: 4, src: 11, dst: 10, sport: 5353, dport: 5353, ipProto: 17, tcpFlags: null, proto: 'MDNS' },
  { id: 16, ver: 4, src: 1, dst: 4, sport: 51001, dport: 443, ipProto: 6, tcpFlags: 0x18, proto: 'TLSv1.2' },
  { id: 17, ver: 6, src: 7, dst: 5, sport: 5000, dport: 6000, ipProto: 17, tcpFlags: null, proto: 'UDP' },
  // Truncated inside the TCP header: TCP is known, its ports are not. Captured on a raw-IP interface.
  { id: 18, ver: 4, src: 1, dst: 3, sport: null, dport: null, ipProto: 6, tcpFlags: null, proto: 'TCP', len: 1500, cap: 40, flags: PKT_TRUNCATED, ifIndex: 1 },
];

export interface FixtureOptions {
  /** Leave case_meta.first_ts_ns unset, as during indexing. */
  noFirstTs?: boolean;
}

export function buildCase(opts: FixtureOptions = {}): CaseDb {
  const db = openCase(':memory:');
  const addr = db.prepare('INSERT INTO addrs (id, addr, bin) VALUES (?, ?, ?)');
  for (const [id, text, bin] of ADDRS) addr.run(id, text, bin ? Buffer.from(bin) : null);

  db.prepare("INSERT INTO interfaces (capture_id, if_index, link_type, snaplen, ts_units_per_sec) VALUES (1, 0, 1, 65535, 1e6), (1, 1, 101, 65535, 1e6)").run();
  // No capture file stands behind these rows: Info is the stored text of a compressed capture's packets.
  db.prepare(`INSERT INTO captures (id, path, name, size, mtime_ms, sha256, format, compressed, imported_at)
    VALUES (1, '/nonexistent/fixture.pcap.gz', 'fixture.pcap.gz', 0, 0, '', 'pcap', 1, 'x')`).run();
  const proto = db.prepare('INSERT INTO protocols (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id').pluck();
  // The stored columns (migration 0010), encoded as the ingest writer encodes them; frame_no = id.
  const pkt = db.prepare(`INSERT INTO packets (id, capture_id, frame_gap, ts_ns, caplen, origlen, data_offset,
    src_id, dst_id, sport16, dport16, ip_proto, tcp_flags, proto_id, flow_id, flag_bits)
    VALUES (?, 1, 0, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`);
  const info = db.prepare('INSERT INTO packet_info (packet_id, info) VALUES (?, ?)');
  for (const p of PACKETS) {
    const len = p.len ?? 60, cap = p.cap ?? 60;
    pkt.run(p.id, tsOf(p.id), cap === len ? null : cap, len, p.src, p.dst, port16(p.sport ?? -1), port16(p.dport ?? -1),
      p.ipProto, p.tcpFlags, proto.get(p.proto), flagBits(p.flags ?? 0, p.ver, p.ifIndex ?? 0));
    info.run(p.id, `info ${p.id}`);
  }

  const dns = db.prepare('INSERT INTO dns_messages (packet_id, txid, is_response, opcode, rcode, qname, qtype) VALUES (?, ?, ?, 0, ?, ?, ?)');
  dns.run(7, 0x1234, 0, 0, 'example.com', 1);
  dns.run(8, 0x1235, 1, 3, 'bad.example.org', 1);
  dns.run(15, 0, 1, 0, 'printer.local', 12);

  const http = db.prepare('INSERT INTO http_messages (packet_id, kind, method, uri, version, host, user_agent, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  http.run(4, 'request', 'GET', '/index.html', 'HTTP/1.1', 'example.com', 'curl/8.0', null, null);
  http.run(5, 'response', null, null, 'HTTP/1.1', null, null, 200, 'OK');

  const tls = db.prepare('INSERT INTO tls_hellos (packet_id, sni, version) VALUES (?, ?, ?)');
  tls.run(12, 'www.example.net', 'TLS 1.3');
  tls.run(16, 'evil.example.com', 'TLS 1.2');

  db.prepare("INSERT INTO annotations (target_kind, target_ref, packet_id, text, author, created_at, updated_at) VALUES ('packet', '4', 4, 'login request', 'fixture', 'x', 'x')").run();
  db.prepare("INSERT INTO finding_evidence (finding_id, packet_id, role) VALUES (1, 1, 'syn'), (1, 2, 'synack'), (1, 6, 'rst'), (2, 9, 'icmp-error')").run();
  if (!opts.noFirstTs) db.prepare("INSERT INTO case_meta (key, value) VALUES ('first_ts_ns', ?)").run(String(T0));
  return db;
}

/** The bulk indexes the ingest builds after loading (db/bulk-indexes.ts), for query-plan tests. */
export function addBulkIndexes(db: CaseDb): void {
  db.exec(`CREATE INDEX IF NOT EXISTS packets_by_ts ON packets(ts_ns);
    CREATE INDEX IF NOT EXISTS packets_by_flow ON packets(flow_id);`);
}
