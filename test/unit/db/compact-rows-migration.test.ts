/**
 * Migration 0010 (compact rows) applied to a case saved by schema 9: every column readers use
 * (packets, flows, http_messages, dns_transactions) reads back the same, and every display-filter
 * field matches the same packets, before and after. The rows cover the encodings' edges: ports
 * either side of 32768, IPv4/IPv6/non-IP, interfaces above 0, a second capture (frame numbers not
 * equal to ids), PKT_* flags, flows without handshake times, answers owned by another name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { loadMigrations, openCase } from '../../../db/open-case';
import { appendCustody, readCustody, verifyCustodyChain } from '../../../db/custody';
import type { CaseDb } from '../../../db/case-db';
import { compileFilter, FIELDS, registerFilterFunctions } from '../../../electron/query/display-filter/index';
import { tempDir } from '../../support/repo-paths';

const T0 = 1_714_982_400_123_456_789n;

/** A case at schema 9, written with the statements the schema-9 writer used. */
function writeSchema9Case(file: string): void {
  const old = new Database(file);
  for (const m of loadMigrations().filter((m) => m.version <= 9)) old.exec(m.sql);
  old.pragma('user_version = 9');
  appendCustody(old as unknown as CaseDb, 'case.created', { path: file });
  old.exec(`
    INSERT INTO captures (id, path, name, size, mtime_ms, sha256, format, compressed, imported_at) VALUES
      (1, '/x/a.pcap', 'a.pcap', 1, 1, '', 'pcap', 0, 'x'), (2, '/x/b.pcapng', 'b.pcapng', 1, 1, '', 'pcapng', 0, 'x');
    INSERT INTO interfaces (capture_id, if_index, link_type, snaplen, ts_units_per_sec) VALUES
      (1, 0, 1, 65535, 1e6), (2, 0, 1, 65535, 1e9), (2, 3, 101, 65535, 1e9);
    INSERT INTO addrs (id, addr, bin) VALUES (1, '10.0.0.1', x'0a000001'), (2, '10.0.0.2', x'0a000002'),
      (3, '2001:db8::1', x'20010db8000000000000000000000001'), (4, '2001:db8::2', x'20010db8000000000000000000000002'),
      (5, 'aa:bb:cc:dd:ee:ff', NULL), (6, 'ff:ff:ff:ff:ff:ff', NULL);
    INSERT INTO host_names (addr_id, name, source) VALUES (1, 'a.example', 'dns'), (1, 'a.example', 'nrb'), (3, 'www.example.com', 'dns');
    INSERT INTO protocols (id, name) VALUES (1, 'TCP'), (2, 'HTTP'), (3, 'DNS'), (4, 'ICMP'), (5, 'ARP'), (6, 'UDP');
  `);
  const pkt = old.prepare(`INSERT INTO packets (id, capture_id, frame_no, if_index, ts_ns, caplen, origlen, data_offset, ip_ver, src_id,
    dst_id, sport, dport, ip_proto, tcp_flags, proto_id, flow_id, flags) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const rows: unknown[][] = [
    // id, capture, frame, if, ts offset, caplen, origlen, data_offset, ip_ver, src, dst, sport, dport, ip_proto, tcp_flags, proto, flow, flags
    [1, 1, 1, 0, 0n, null, 74, 40, 4, 1, 2, 51000, 80, 6, 0x02, 1, 1, 0],
    [2, 1, 2, 0, 1000n, null, 74, 130, 4, 2, 1, 80, 51000, 6, 0x12, 1, 1, 0],
    [3, 1, 3, 0, 2000n, null, 66, 220, 4, 1, 2, 51000, 80, 6, 0xc2, 1, 1, 16],
    [4, 1, 4, 0, 3000n, 96, 1514, 302, 4, 1, 2, 51000, 80, 6, 0x18, 2, 1, 1 | 32],
    [5, 2, 1, 0, 4000n, null, 90, 5000, 6, 3, 4, 32768, 53, 17, null, 3, 2, 0],
    [6, 2, 2, 3, 5000n, null, 120, 5200, 6, 4, 3, 53, 32768, 17, null, 3, 2, 0],
    [7, 2, 3, 0, 6000n, null, 60, 5400, 0, 5, 6, null, null, null, null, 5, null, 0],
    [8, 2, 4, 3, 7000n, null, 98, 5600, 4, 1, 2, 8, 0, 1, null, 4, 3, 4],
    [9, 2, 5, 3, 8000n, null, 60, 5800, 4, 2, 1, 32767, 65535, 6, 0x04, 1, 4, 2],
    [10, 2, 6, 0, 9000n, null, 60, 6000, 4, 1, 2, 65535, 0, 17, null, 6, 5, 0],
  ];
  for (const r of rows) pkt.run(...r.slice(0, 4), T0 + (r[4] as bigint), ...r.slice(5));
  const flow = old.prepare(`INSERT INTO flows (id, ip_proto, orig_id, orig_port, resp_id, resp_port, first_ts_ns, last_ts_ns, orig_pkts,
    orig_bytes, resp_pkts, resp_bytes, conn_state, history, syn_ts_ns, synack_ts_ns, ack_ts_ns, syn_count, synack_count, rst_orig,
    rst_resp, service, community_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'')`);
  flow.run(1, 6, 1, 51000, 2, 80, T0, T0 + 3000n, 3, 1654, 1, 74, 'S1', 'ShAD', T0, T0 + 1000n, T0 + 2000n, 1, 1, 0, 0, 'http');
  flow.run(2, 17, 3, 32768, 4, 53, T0 + 4000n, T0 + 5000n, 1, 90, 1, 120, null, null, null, null, null, 0, 0, 0, 0, 'dns');
  flow.run(3, 1, 1, 8, 2, 0, T0 + 7000n, T0 + 7000n, 1, 98, 0, 0, null, null, null, null, null, 0, 0, 0, 0, null);
  flow.run(4, 6, 2, 32767, 1, 65535, T0 + 8000n, T0 + 8000n, 1, 60, 0, 0, 'OTH', 'r', null, null, null, 0, 0, 2, 0, null);
  flow.run(5, 17, 1, 65535, 2, 0, T0 + 9000n, T0 + 9000n, 1, 60, 0, 0, null, null, null, null, null, 0, 0, 0, 0, null);
  old.exec(`
    INSERT INTO http_messages (packet_id, flow_id, kind, method, uri, version, host, user_agent, status, reason) VALUES
      (4, 1, 'request', 'GET', '/a?b=1', 'HTTP/1.1', 'a.example', 'curl/8.5.0', NULL, NULL),
      (3, 1, 'request', 'POST', '/login', 'HTTP/1.0', NULL, NULL, NULL, NULL),
      (2, 1, 'response', NULL, NULL, 'HTTP/1.1', NULL, NULL, 404, 'Not Found');
    INSERT INTO dns_messages (packet_id, txid, is_response, opcode, rcode, qname, qtype, answers) VALUES
      (5, 4660, 0, 0, 0, 'www.example.com', 1, '[]'), (6, 4660, 1, 0, 0, 'www.example.com', 1, '[]');
    INSERT INTO dns_transactions (query_packet_id, response_packet_id, flow_id, client_id, server_id, txid, qname, qtype, rcode, answers,
        query_ts_ns, response_ts_ns, rtt_ns, status) VALUES
      (5, 6, 2, 3, 4, 4660, 'www.example.com', 1, 0,
        '[{"name":"www.example.com","type":5,"ttl":300,"data":"edge.example.net"},{"name":"edge.example.net","type":1,"ttl":20,"data":"192.0.2.7"}]',
        ${T0 + 4000n}, ${T0 + 5000n}, 1000, 'answered'),
      (5, NULL, 2, 3, 4, 4661, 'quiet.example', 28, NULL, '[]', ${T0 + 4000n}, NULL, NULL, 'unanswered'),
      (NULL, 6, 2, 3, 4, 4662, 'stray.example', 1, 3, '[]', NULL, ${T0 + 5000n}, NULL, 'response-only');
  `);
  old.close();
}

/** Everything a reader can see of the four tables, with 64-bit integers exact. */
function snapshot(db: Database.Database): Record<string, unknown> {
  const all = (sql: string) => db.prepare(sql).safeIntegers(true).all();
  const out: Record<string, unknown> = {
    packets: all(`SELECT id, capture_id, frame_no, if_index, ts_ns, caplen, origlen, data_offset, ip_ver, src_id, dst_id, sport, dport,
      ip_proto, tcp_flags, proto_id, flow_id, flags FROM packets ORDER BY id`),
    flows: all(`SELECT id, ip_proto, orig_id, orig_port, resp_id, resp_port, first_ts_ns, last_ts_ns, orig_pkts, orig_bytes, resp_pkts,
      resp_bytes, conn_state, history, syn_ts_ns, synack_ts_ns, ack_ts_ns, syn_count, synack_count, rst_orig, rst_resp, service,
      community_id FROM flows ORDER BY id`),
    http: all('SELECT packet_id, flow_id, kind, method, uri, version, host, user_agent, status, reason FROM http_messages ORDER BY packet_id'),
    dns: all(`SELECT id, query_packet_id, response_packet_id, flow_id, client_id, server_id, txid, qname, qtype, rcode, answers, query_ts_ns,
      response_ts_ns, rtt_ns, status FROM dns_transactions ORDER BY id`),
    hostNames: all('SELECT addr_id, name, source FROM host_names ORDER BY addr_id, name, source'),
  };
  registerFilterFunctions(db);
  const filters = [...FIELDS.keys(), 'tcp.port == 51000', 'udp.port >= 32768', 'tcp.srcport == 65535 || udp.srcport == 65535',
    'frame.number == 6', 'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'tcp.flags.cwr == 1', 'http.host == "a.example"',
    'http.user_agent contains "curl"', 'http.request.method == "POST"', 'http.response.code == 404', 'ip.addr == 2001:db8::1',
    'tcp.stream == 1', 'frame.len > 100', 'eth'];
  for (const f of filters) {
    let ids: unknown;
    try {
      const { sql, params } = compileFilter(f, { firstTsNs: T0 });
      ids = db.prepare(`SELECT id FROM packets AS p WHERE ${sql} ORDER BY id`).pluck().all(...params);
    } catch (err) {
      ids = `error: ${(err as Error).message}`;
    }
    out[`filter ${f}`] = ids;
  }
  return out;
}

test('a schema-9 case opens migrated to compact rows and answers every read and filter as before', () => {
  const dir = tempDir('flowcase-migrate10-');
  try {
    const file = path.join(dir, 'old.flowcase');
    writeSchema9Case(file);
    const raw = new Database(file);
    const before = snapshot(raw);
    raw.close();
    assert.equal((before.packets as unknown[]).length, 10);
    assert.equal((before.dns as Array<{ answers: string }>)[0].answers.includes('edge.example.net'), true);

    const db = openCase(file);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), loadMigrations().at(-1)!.version);
      assert.deepEqual(snapshot(db), before);
      // Nothing a generated column gives is stored, and the HTTP text lives once in the dictionary.
      const stored = (db.prepare("SELECT name FROM pragma_table_xinfo('packets') WHERE hidden = 0").pluck().all() as string[]);
      for (const derived of ['frame_no', 'if_index', 'ip_ver', 'sport', 'dport', 'flags']) assert.ok(!stored.includes(derived), derived);
      assert.deepEqual(db.prepare('SELECT value FROM http_values ORDER BY value').pluck().all(),
        ['GET', 'HTTP/1.0', 'HTTP/1.1', 'Not Found', 'POST', 'a.example', 'curl/8.5.0']);
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'dns_tx_by_qname'").pluck().get(), 0);
      // No ts_order record (a case older than it): the ts index comes back, as 0006 gave it; the freed pages are given back.
      assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'packets' ORDER BY name").pluck().all(),
        ['packets_by_flow', 'packets_by_ts']);
      assert.equal(db.pragma('freelist_count', { simple: true }), 0);
      const last = readCustody(db).at(-1)!;
      assert.deepEqual([last.action, JSON.parse(last.details)], ['case.schema-upgraded', { fromSchema: 9, toSchema: loadMigrations().at(-1)!.version }]);
      assert.equal(verifyCustodyChain(db).ok, true);
      // The views still take inserts written the old way.
      db.prepare(`INSERT INTO http_messages (packet_id, flow_id, kind, method, uri, version, host, user_agent, status, reason)
        VALUES (9, 4, 'request', 'GET', '/', 'HTTP/1.1', 'b.example', 'curl/8.5.0', NULL, NULL)`).run();
      assert.deepEqual(db.prepare('SELECT kind, method, host, user_agent FROM http_messages WHERE packet_id = 9').get(),
        { kind: 'request', method: 'GET', host: 'b.example', user_agent: 'curl/8.5.0' });
      assert.equal(db.prepare("SELECT count(*) FROM http_values WHERE value = 'curl/8.5.0'").pluck().get(), 1);
      db.prepare(`INSERT INTO dns_transactions (query_packet_id, response_packet_id, client_id, server_id, txid, qname, qtype, rcode, answers,
        query_ts_ns, response_ts_ns) VALUES (8, 9, 1, 2, 7, 'n.example', 1, 0, '[{"name":"n.example","type":1,"ttl":5,"data":"192.0.2.9"}]', 10, 25)`).run();
      assert.deepEqual(db.prepare("SELECT answers, rtt_ns, status FROM dns_transactions WHERE qname = 'n.example'").get(),
        { answers: '[{"name":"n.example","type":1,"ttl":5,"data":"192.0.2.9"}]', rtt_ns: 15, status: 'answered' });
      assert.equal(db.prepare("SELECT answers FROM dns_tx_rows WHERE qname = 'n.example'").pluck().get(), '[[1,5,"192.0.2.9"]]');
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema-9 case whose ids follow time gets no ts index back from 0010', () => {
  const dir = tempDir('flowcase-migrate10-');
  try {
    const file = path.join(dir, 'old.flowcase');
    writeSchema9Case(file);
    const raw = new Database(file);
    raw.exec("INSERT INTO case_meta (key, value) VALUES ('ts_order', 'ids'); DROP INDEX packets_by_ts;");
    raw.close();
    const db = openCase(file);
    try {
      assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'packets' ORDER BY name").pluck().all(),
        ['packets_by_flow']);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
