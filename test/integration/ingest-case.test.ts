import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase, type CaseDb } from '../../db/open-case';
import { pagePackets } from '../../electron/query/packet-query';
import { listFlows } from '../../electron/query/flows';
import { sharedCaptures, SHARED_MISSING, tempDir } from '../support/repo-paths';

const shared = sharedCaptures();
const real = (name: string) => path.join(shared!, 'real', name);
const skip = shared ? false : SHARED_MISSING;
const work = tempDir();
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function index(captures: string[], name: string, extra: Partial<Parameters<typeof indexCaptures>[0]> = {}) {
  const casePath = path.join(work, name + '.flowcase');
  const result = await indexCaptures({ casePath, captures, ...extra });
  return { result, casePath };
}

function withDb<T>(casePath: string, fn: (db: CaseDb) => T): T {
  const db = openCase(casePath, { readonly: true });
  try { return fn(db); } finally { db.close(); }
}

test('a capture is hashed at import, never modified, and its packets, flows and hosts are indexed', { skip }, async () => {
  const file = real('zeek__get.pcap');
  const before = sha(file);
  const { result, casePath } = await index([file], 'get');
  assert.equal(sha(file), before);
  assert.equal(result.packets, 14);
  withDb(casePath, (db) => {
    const cap = db.prepare('SELECT sha256, format, packet_count, status, size FROM captures').get() as Record<string, unknown>;
    assert.deepEqual(cap, { sha256: before, format: 'pcap', packet_count: 14, status: 'complete', size: fs.statSync(file).size });
    const flow = db.prepare(`SELECT conn_state, orig_pkts + resp_pkts AS pkts, resp_port, service,
      (SELECT addr FROM addrs WHERE id = orig_id) AS orig FROM flows`).all();
    assert.deepEqual(flow, [{ conn_state: 'SF', pkts: 14, resp_port: 80, service: 'http', orig: '141.142.228.5' }]);
    // The Community ID is computed from the flow when listed (Zeek's conn.log has the same value for this capture).
    const listed = listFlows(db);
    assert.deepEqual(listed.rows.map((r) => r.communityId), ['1:yvyB8h+3dnggTZW0UEITWCst97w=']);
    assert.equal(listFlows(db, { search: '1:yvyB8h+3dnggTZW0UEITWCst97w=' }).total, 1, 'the Conversations search finds a flow by its Community ID (it is lower-cased like every search)');
    const http = db.prepare("SELECT method, uri, host FROM http_messages WHERE kind = 'request'").all();
    assert.equal(http.length, 1);
    const hosts = db.prepare('SELECT count(*) AS n FROM hosts').get() as { n: number };
    assert.equal(hosts.n, 2);
    const tl = db.prepare("SELECT sum(packets) AS n FROM timeline WHERE resolution = 1 AND dim = 'proto'").get() as { n: number };
    assert.equal(tl.n, 14);
    const tl60 = db.prepare("SELECT sum(packets) AS n FROM timeline WHERE resolution = 60 AND dim = 'tcp'").get() as { n: number };
    assert.equal(tl60.n, 14);
    const idx = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'packets' ORDER BY name").pluck().all();
    assert.deepEqual(idx, ['packets_by_flow'], 'one capture in time order: ids follow time, no ts index');
  });
});

test('an ICMP port unreachable links back to the DNS flow it quotes', { skip }, async () => {
  const { casePath } = await index([real('suricata__flow-drop-iponly-02__input.pcap')], 'unreach');
  withDb(casePath, (db) => {
    const rows = db.prepare('SELECT type, code, orig_proto, orig_dport, orig_flow_id, dns_qname FROM icmp_errors').all() as Array<Record<string, unknown>>;
    assert.ok(rows.length >= 1);
    for (const r of rows) {
      assert.equal(r.type, 3);
      assert.equal(r.code, 3);
      assert.equal(r.orig_proto, 17);
    }
    assert.ok(rows.some((r) => r.orig_flow_id !== null), 'at least one error links to a flow seen earlier');
    const tx = db.prepare('SELECT status, count(*) AS n FROM dns_transactions GROUP BY status').all();
    assert.ok(tx.length > 0);
  });
});

test('gzip-compressed captures index the same packets and offsets as the plain file', { skip }, async () => {
  const plain = real('arkime__dns-wiresharkrepo.pcap');
  const gz = path.join(work, 'dns.pcap.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain)));
  const a = await index([plain], 'plain');
  const b = await index([gz], 'gz');
  const rows = (p: string) => withDb(p, (db) => pagePackets(db, { limit: 2000 }).rows);
  const sources = (p: string) => withDb(p, (db) => db.prepare('SELECT CAST(ts_ns AS TEXT) AS ts, data_offset, caplen, proto_id FROM packets ORDER BY id').all());
  assert.deepEqual(sources(b.casePath), sources(a.casePath));
  // Info of the plain file comes from its bytes, of the gzip file from what ingest stored: the same text.
  assert.deepEqual(rows(b.casePath), rows(a.casePath));
  withDb(b.casePath, (db) => {
    const cap = db.prepare('SELECT compressed, sha256 FROM captures').get() as { compressed: number; sha256: string };
    assert.equal(cap.compressed, 1);
    assert.equal(cap.sha256, sha(gz), 'the evidence hash is of the file as stored (compressed)');
  });
  // DNS answers name their hosts.
  withDb(a.casePath, (db) => {
    const n = db.prepare("SELECT count(*) AS n FROM host_names WHERE source = 'dns'").get() as { n: number };
    assert.ok(n.n > 0);
    const nx = db.prepare("SELECT count(*) AS n FROM dns_transactions WHERE rcode = 3").get() as { n: number };
    assert.equal(nx.n, 6, 'the manifest lists 6 NXDOMAIN answers');
  });
});

test('several captures merge into one case on one timeline, with distinct packet numbers', { skip }, async () => {
  const { result, casePath } = await index([real('zeek__get.pcap'), real('arkime__bigendian.pcap')], 'merged');
  assert.equal(result.packets, 16);
  withDb(casePath, (db) => {
    const caps = db.prepare('SELECT id, packet_count FROM captures ORDER BY id').all();
    assert.deepEqual(caps, [{ id: 1, packet_count: 14 }, { id: 2, packet_count: 2 }]);
    const ids = db.prepare('SELECT min(id) AS a, max(id) AS b, count(DISTINCT id) AS n FROM packets').get();
    assert.deepEqual(ids, { a: 1, b: 16, n: 16 });
    const frames = db.prepare('SELECT frame_no FROM packets WHERE capture_id = 2 ORDER BY id').pluck().all();
    assert.deepEqual(frames, [1, 2]);
    const first = db.prepare("SELECT value FROM case_meta WHERE key = 'first_ts_ns'").pluck().get() as string;
    const minTs = db.prepare('SELECT CAST(min(ts_ns) AS TEXT) FROM packets').pluck().get();
    assert.equal(first, minTs);
  });
  // Adding a capture later appends after the existing packets and flows.
  await indexCaptures({ casePath, captures: [real('chrissanders__tcp_handshake.pcapng')] });
  withDb(casePath, (db) => {
    assert.equal((db.prepare('SELECT max(id) AS m FROM packets').get() as { m: number }).m, 19);
    assert.equal((db.prepare('SELECT count(*) AS n FROM captures').get() as { n: number }).n, 3);
  });
});

test('pcapng comments are kept for annotations, with their packet', { skip }, async () => {
  const { casePath } = await index([real('gopacket__epb.pcapng')], 'comments');
  withDb(casePath, (db) => {
    const rows = db.prepare("SELECT scope, packet_id FROM capture_comments ORDER BY id").all() as Array<{ scope: string; packet_id: number | null }>;
    assert.ok(rows.filter((r) => r.scope === 'packet').length >= 2, JSON.stringify(rows));
    assert.ok(rows.some((r) => r.scope === 'interface'));
  });
});

test('cancelling leaves a consistent case marked incomplete', { skip }, async () => {
  const controller = new AbortController();
  // Cancel as soon as the first batch is written: the reader is then mid-file.
  const onProgress = (p: { packets: number }) => { if (p.packets > 0) controller.abort(); };
  const { result, casePath } = await index([real('gopacket__cip.pcap')], 'cancelled', { signal: controller.signal, onProgress, batchSize: 1024 });
  assert.equal(result.cancelled, true);
  withDb(casePath, (db) => {
    assert.equal(db.prepare("SELECT value FROM case_meta WHERE key = 'status'").pluck().get(), 'incomplete');
    const cap = db.prepare('SELECT status, packet_count FROM captures').get() as { status: string; packet_count: number };
    assert.equal(cap.status, 'incomplete');
    const n = (db.prepare('SELECT count(*) AS n FROM packets').get() as { n: number }).n;
    assert.equal(n, cap.packet_count, 'the capture row agrees with the packets written');
    assert.ok(n > 0 && n < 26068, `${n} packets written before the cancel`);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  });
});

test('progress is reported while indexing, with bytes, packets and a final done', { skip }, async () => {
  const events: string[] = [];
  let last = { bytesRead: 0, bytesTotal: 0, packets: 0 };
  await index([real('gopacket__cip.pcap')], 'progress', { onProgress: (p) => { events.push(p.phase); last = p; } });
  assert.equal(events.at(-1), 'done');
  assert.equal(last.packets, 26068);
  assert.equal(last.bytesRead, last.bytesTotal);
});

test('a case written by a newer Flowcase is refused, and a non-case SQLite file is not taken over', () => {
  const p = path.join(work, 'future.flowcase');
  const db = openCase(p);
  db.pragma('user_version = 999');
  db.close();
  assert.throws(() => openCase(p), /newer Flowcase/);
  const other = path.join(work, 'other.sqlite');
  const Database = require('better-sqlite3');
  const o = new Database(other); o.exec('CREATE TABLE t (x)'); o.close();
  assert.throws(() => openCase(other), /not a Flowcase case/);
});
