import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFinding } from '../../../electron/query/findings';
import { buildDnsPortUnreachable, buildUdpScan, DNS_CLIENT, DNS_DEAD_SERVER, T0_SEC } from '../../support/make-fixtures';
import { dnsMessage, icmpErrorFrame, ipFrame, udpIp } from '../../support/packet-builder';
import { aboveLow, analyseFrames, AnalysedCase, evidenceOf } from './analysis-case';
import type { TimedFrame } from '../../support/pcap-writer';

describe('unreachable-service: DNS answered by ICMP port unreachable', () => {
  let c: AnalysedCase;
  before(async () => { c = await analyseFrames('dns-port-unreachable.pcap', buildDnsPortUnreachable()); });
  after(() => c.close());

  test('reports DNS on 203.0.113.2 as unreachable, with the failed names', () => {
    const list = c.findings.filter((f) => f.kind === 'unreachable-service');
    assert.equal(list.length, 1);
    const f = getFinding(c.db, list[0].id);
    assert.equal(f.severity, 'high');
    assert.deepEqual(f.targets, [{ addr: DNS_DEAD_SERVER, port: 53, proto: 'udp', service: 'dns' }]);
    assert.deepEqual(f.sources, [{ addr: DNS_CLIENT }]);
    const icmp = c.db.prepare('SELECT count(*) FROM icmp_errors WHERE type = 3 AND code = 3 AND orig_dst = ? AND orig_dport = 53').pluck().get(DNS_DEAD_SERVER);
    assert.equal(f.metrics.icmpErrors, icmp);
    assert.equal(f.metrics.icmpErrors, 15);
    assert.equal(f.metrics.serviceResponses, 0);
    for (const name of ['www.example.com', 'mail.example.com', 'intranet.example.org', 'updates.vendor.example', 'time.example.net']) {
      assert.ok(f.explanation.includes(name), name);
    }
    assert.match(f.explanation, /port unreachable/);
    assert.match(f.explanation, /Likely causes to verify/);
    // The fallback resolver answered: it must not be reported.
    assert.equal(c.findings.filter((x) => x.targets.some((t) => t.addr === '203.0.113.3')).length, 0);
  });

  test('evidence: the ICMP errors from the server and the queries they quote', () => {
    const f = c.findings.find((x) => x.kind === 'unreachable-service')!;
    const rows = evidenceOf(c.db, f.id);
    assert.equal(rows.length, f.evidenceTotal);
    assert.equal(rows.filter((r) => r.role === 'icmp-error').length, 15);
    assert.equal(rows.filter((r) => r.role === 'request').length, 15);
    for (const r of rows) {
      if (r.role === 'icmp-error') assert.ok(r.ip_proto === 1 && r.src === DNS_DEAD_SERVER && r.dst === DNS_CLIENT && r.sport === 3 && r.dport === 3);
      else assert.ok(r.role === 'request' && r.ip_proto === 17 && r.src === DNS_CLIENT && r.dst === DNS_DEAD_SERVER && r.dport === 53);
    }
  });
});

describe('unreachable-service near misses', () => {
  test('a single unreachable is reported at low severity only', async () => {
    const c = await analyseFrames('one-unreachable.pcap', buildDnsPortUnreachable({ names: ['once.example'], retries: 0, fallback: false }));
    try {
      const f = c.findings.filter((x) => x.kind === 'unreachable-service');
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'low');
      assert.deepEqual(aboveLow(c.findings), []);
    } finally { c.close(); }
  });

  test('the ICMP errors of a UDP scan are left to the port-scan detector', async () => {
    const c = await analyseFrames('port-scan-udp.pcap', buildUdpScan({ ports: 60 }));
    try {
      assert.deepEqual(c.findings.filter((x) => x.kind === 'unreachable-service'), []);
      assert.equal(c.findings.filter((x) => x.kind === 'port-scan').length, 1);
    } finally { c.close(); }
  });

  test('a client meeting many dead hosts over hours is no scanner: its dead syslog collector is still reported', async () => {
    // Three hours: syslog every 6 minutes to a collector that is down, and now and then an SNMP
    // poll of one of 25 hosts that do not run SNMP. Counted over the whole capture the client drew
    // unreachables from 25 hosts on 161/udp, a "scan"; no 5-minute window holds more than one.
    const client = '10.20.0.7', collector = '10.1.0.30';
    const sc: TimedFrame[] = [];
    const send = (t: number, dst: string, dport: number, id: number) => {
      const probe = udpIp({ src: client, dst, sport: 40000 + (id % 1000), dport, payload: new Uint8Array(20) }, { id });
      sc.push({ tsUs: (T0_SEC + t) * 1e6, data: ipFrame(probe) });
      sc.push({ tsUs: (T0_SEC + t) * 1e6 + 400, data: icmpErrorFrame({ reporter: dst, original: probe }) });
    };
    for (let i = 0; i < 30; i++) send(10 + i * 360, collector, 514, i + 1);
    for (let h = 1; h <= 25; h++) send(200 + h * 420, `10.30.0.${h}`, 161, 100 + h);
    const c = await analyseFrames('long-unreachable.pcap', sc);
    try {
      const syslog = c.findings.filter((x) => x.kind === 'unreachable-service' && x.targets.some((t) => t.addr === collector && t.port === 514));
      assert.equal(syslog.length, 1, c.findings.map((x) => x.title).join('; '));
      const f = getFinding(c.db, syslog[0].id);
      assert.equal(f.metrics.icmpErrors, 30);
      assert.equal(f.severity, 'high');
      assert.deepEqual(c.findings.filter((x) => x.kind === 'port-scan'), []);
    } finally { c.close(); }
  });
});

describe('unreachable-service over IPv6', () => {
  test('ICMPv6 port unreachable for DNS queries', async () => {
    const client = '2001:db8::15', server = '2001:db8::53';
    const frames = [];
    for (let i = 0; i < 4; i++) {
      const q = udpIp({ src: client, dst: server, sport: 40000 + i, dport: 53, payload: dnsMessage({ id: i + 1, qname: `v6-${i}.example` }) });
      frames.push({ tsUs: T0_SEC * 1e6 + i * 1e6, data: ipFrame(q) });
      frames.push({ tsUs: T0_SEC * 1e6 + i * 1e6 + 300, data: icmpErrorFrame({ reporter: server, original: q }) });
    }
    const c = await analyseFrames('v6-unreachable.pcap', frames);
    try {
      const u = c.findings.filter((f) => f.kind === 'unreachable-service');
      assert.equal(u.length, 1);
      assert.deepEqual(u[0].targets[0], { addr: server, port: 53, proto: 'udp', service: 'dns' });
      assert.equal(u[0].severity, 'medium');
      const f = getFinding(c.db, u[0].id);
      assert.equal(f.metrics.icmpErrors, 4);
      assert.match(f.explanation, /ICMPv6 type 1 code 4/);
      assert.match(f.explanation, /v6-3\.example/);
    } finally { c.close(); }
  });
});
