import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PKT_TCP_RETRANSMISSION, TCP_ACK, TCP_RST, TCP_SYN } from '../../../electron/decode/packet-summary';
import { getFinding } from '../../../electron/query/findings';
import { runDetectors } from '../../../electron/analysis/run-detectors';
import { synOnly } from '../../../electron/analysis/tcp-flags-sql';
import {
  buildBusyHealthyWeb, buildSingleClientRetry, buildSynFlood, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER,
} from '../../support/make-fixtures';
import { aboveLow, analyseFrames, AnalysedCase, evidenceOf, storedEvidenceCount } from './analysis-case';

const SYN_ONLY = synOnly('p.tcp_flags');

describe('syn-flood: one attacker (DoS) against 192.0.2.1:443', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('syn-flood-443.pcap', buildSynFlood()); });
  after(() => c.close());

  test('finds one critical SYN flood from the attacker on the target port', () => {
    const floods = c.findings.filter((f) => f.kind === 'syn-flood');
    assert.equal(floods.length, 1);
    const f = getFinding(c.db, floods[0].id);
    assert.equal(f.severity, 'critical');
    assert.deepEqual(f.targets[0], { addr: SYN_FLOOD_SERVER, port: 443, proto: 'tcp', service: 'https' });
    assert.equal(f.sources.length, 1);
    assert.equal(f.sources[0].addr, SYN_FLOOD_ATTACKER);
    assert.equal(f.metrics.scope, 'DoS');
    assert.ok(f.mitre.some((m) => m.id === 'T1499.001'));
    assert.match(f.explanation, /SYN → SYN\/ACK|three-way handshake/);
  });

  test('metrics equal SQL counts', () => {
    const f = getFinding(c.db, c.findings.find((x) => x.kind === 'syn-flood')!.id);
    const sql = (q: string, ...a: unknown[]) => c.db.prepare(q).pluck().get(...a) as number;
    const syns = sql(`SELECT count(*) FROM packets p JOIN addrs s ON s.id = p.src_id JOIN addrs d ON d.id = p.dst_id
      WHERE s.addr = ? AND d.addr = ? AND p.dport = 443 AND ${SYN_ONLY}`, SYN_FLOOD_ATTACKER, SYN_FLOOD_SERVER);
    assert.equal(f.metrics.attackSyns, syns);
    assert.equal(syns, 3600);
    const synAcks = sql(`SELECT count(*) FROM packets p JOIN addrs s ON s.id = p.src_id JOIN addrs d ON d.id = p.dst_id
      WHERE s.addr = ? AND d.addr = ? AND (p.tcp_flags & 18) = 18 AND (p.flags & ${PKT_TCP_RETRANSMISSION}) = 0`, SYN_FLOOD_SERVER, SYN_FLOOD_ATTACKER);
    assert.equal(f.metrics.synAcks, synAcks);
    const http504 = sql(`SELECT count(*) FROM http_messages WHERE status = 504`);
    assert.equal(f.metrics.http5xx, http504);
    assert.equal(f.metrics.completedByAttackers, 0);
    assert.equal(f.metrics.impactedClients, 31);
    assert.ok((f.metrics.clientSynRetransmissions as number) > 0);
    assert.ok((f.metrics.serverResets as number) > 0);
  });

  test('every evidence packet exists and matches its role', () => {
    const id = c.findings.find((x) => x.kind === 'syn-flood')!.id;
    const rows = evidenceOf(c.db, id);
    assert.equal(rows.length, storedEvidenceCount(c.db, id), 'an evidence id points at no packet');
    const summary = c.findings.find((x) => x.id === id)!;
    assert.equal(rows.length, Math.min(5000, summary.evidenceTotal));
    const roles = new Set(rows.map((r) => r.role));
    for (const r of ['syn', 'synack', 'synack-retransmission', 'client-syn', 'client-syn-retransmission', 'server-rst', 'http-5xx']) assert.ok(roles.has(r), `role ${r} missing`);
    for (const r of rows) {
      const synOnly = r.ip_proto === 6 && ((r.tcp_flags ?? 0) & (TCP_SYN | TCP_ACK)) === TCP_SYN;
      const synAck = r.ip_proto === 6 && ((r.tcp_flags ?? 0) & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
      switch (r.role) {
        case 'syn': assert.ok(synOnly && r.src === SYN_FLOOD_ATTACKER && r.dst === SYN_FLOOD_SERVER && r.dport === 443, `packet ${r.id}`); break;
        case 'synack': assert.ok(synAck && r.src === SYN_FLOOD_SERVER && r.dst === SYN_FLOOD_ATTACKER && !(r.flags & PKT_TCP_RETRANSMISSION)); break;
        case 'synack-retransmission': assert.ok(synAck && r.src === SYN_FLOOD_SERVER && (r.flags & PKT_TCP_RETRANSMISSION)); break;
        case 'client-syn': assert.ok(synOnly && r.dst === SYN_FLOOD_SERVER && r.src.startsWith('192.0.2.')); break;
        case 'client-syn-retransmission': assert.ok(synOnly && r.src.startsWith('192.0.2.') && (r.flags & PKT_TCP_RETRANSMISSION)); break;
        case 'server-rst': assert.ok(r.src === SYN_FLOOD_SERVER && ((r.tcp_flags ?? 0) & TCP_RST)); break;
        case 'http-5xx': assert.ok(r.src === SYN_FLOOD_SERVER && /504/.test(r.info)); break;
        default: assert.fail(`unexpected role ${r.role}`);
      }
    }
  });

  test('affected clients list the employees with counts and times', () => {
    const f = getFinding(c.db, c.findings.find((x) => x.kind === 'syn-flood')!.id);
    assert.equal(f.affected.length, 31);
    for (const a of f.affected) {
      assert.match(a.addr, /^192\.0\.2\.(1\d|2\d|3\d|40)$/);
      assert.ok(a.firstTs && a.lastTs && BigInt(a.firstTs) <= BigInt(a.lastTs));
    }
  });

  test('re-running the detectors is deterministic', () => {
    const before = getFinding(c.db, 1);
    const again = runDetectors(c.db);
    assert.deepEqual(again, c.findings);
    assert.deepEqual(getFinding(c.db, 1), before);
  });

  test('thresholds can be raised per call and per case', () => {
    assert.equal(runDetectors(c.db, { synFlood: { minSynsInWindow: 100000 } }).filter((f) => f.kind === 'syn-flood').length, 0);
    c.db.prepare("INSERT INTO case_meta (key, value) VALUES ('thresholds', ?)").run(JSON.stringify({ synFlood: { minSynsInWindow: 100000 } }));
    assert.equal(runDetectors(c.db).filter((f) => f.kind === 'syn-flood').length, 0);
    c.db.prepare("DELETE FROM case_meta WHERE key = 'thresholds'").run();
    assert.equal(runDetectors(c.db).filter((f) => f.kind === 'syn-flood').length, 1);
  });
});

describe('syn-flood: thousands of spoofed sources (DDoS)', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('syn-flood-ddos.pcap', buildSynFlood({ ddos: true, rate: 50, attackSec: 40, clients: 10 })); });
  after(() => c.close());

  test('is a critical DDoS with spoofing indicators', () => {
    const floods = c.findings.filter((f) => f.kind === 'syn-flood');
    assert.equal(floods.length, 1);
    const f = getFinding(c.db, floods[0].id);
    assert.equal(f.severity, 'critical');
    assert.equal(f.metrics.scope, 'DDoS');
    assert.equal(f.metrics.spoofingLikely, 'yes');
    const sources = c.db.prepare(`SELECT count(DISTINCT p.src_id) FROM packets p JOIN addrs d ON d.id = p.dst_id
      WHERE d.addr = ? AND p.dport = 443 AND ${SYN_ONLY} AND p.src_id NOT IN (SELECT id FROM addrs WHERE addr LIKE '192.0.2.%')`).pluck().get(SYN_FLOOD_SERVER);
    assert.equal(f.metrics.attackSources, sources);
    assert.equal(f.metrics.attackSources, 2000);
    assert.equal(f.metrics.sourcesNeverCompleted, 2000);
    assert.ok((f.metrics.distinctSlash16 as number) > 1000);
    assert.ok(f.mitre.some((m) => m.id === 'T1498.001'));
    assert.match(f.explanation, /spoofed/);
    assert.ok(f.recommendations.some((r) => /Blocking source addresses will not work/.test(r)));
    for (const e of evidenceOf(c.db, f.id).filter((r) => r.role === 'syn')) {
      assert.equal(e.dst, SYN_FLOOD_SERVER);
      assert.equal(e.dport, 443);
      assert.ok(!e.src.startsWith('192.0.2.'));
    }
  });
});

describe('syn-flood near misses', () => {
  test('a busy but healthy web server (every handshake completes) raises nothing', async () => {
    const c = await analyseFrames('busy-healthy-web.pcap', buildBusyHealthyWeb({ perSec: 40, seconds: 10 }));
    try {
      assert.deepEqual(c.findings.filter((f) => f.kind === 'syn-flood'), []);
      assert.deepEqual(aboveLow(c.findings), []);
    } finally { c.close(); }
  });

  test('one client retrying a SYN raises nothing above low', async () => {
    const c = await analyseFrames('single-client-retry.pcap', buildSingleClientRetry());
    try {
      assert.deepEqual(aboveLow(c.findings), []);
      assert.deepEqual(c.findings.filter((f) => f.kind === 'syn-flood'), []);
    } finally { c.close(); }
  });
});
