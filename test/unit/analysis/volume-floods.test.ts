import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFinding } from '../../../electron/query/findings';
import {
  buildIcmpFlood, buildPingNormal, buildUdpFlood, buildUdpNormal, ICMP_FLOOD_SOURCE, ICMP_FLOOD_TARGET, UDP_FLOOD_SOURCE, UDP_FLOOD_TARGET,
} from '../../support/make-fixtures';
import { aboveLow, analyseFrames, evidenceOf } from './analysis-case';

describe('icmp-flood', () => {
  test('echo requests at 1000/s are a flood, every request cited goes to the target', async () => {
    const c = await analyseFrames('icmp-flood.pcap', buildIcmpFlood({ rate: 1000, seconds: 3 }));
    try {
      const list = c.findings.filter((f) => f.kind === 'icmp-flood');
      assert.equal(list.length, 1);
      const f = getFinding(c.db, list[0].id);
      assert.equal(f.severity, 'medium');
      assert.equal(f.targets[0].addr, ICMP_FLOOD_TARGET);
      assert.equal(f.sources[0].addr, ICMP_FLOOD_SOURCE);
      assert.equal(f.metrics.echoRequests, 3000);
      assert.equal(f.metrics.echoReplies, 300);
      for (const r of evidenceOf(c.db, f.id)) {
        if (r.role === 'echo-request') assert.ok(r.ip_proto === 1 && r.sport === 8 && r.src === ICMP_FLOOD_SOURCE && r.dst === ICMP_FLOOD_TARGET);
        else assert.ok(r.role === 'echo-reply' && r.sport === 0 && r.src === ICMP_FLOOD_TARGET);
      }
    } finally { c.close(); }
  });

  test('near miss: an ordinary ping raises nothing', async () => {
    const c = await analyseFrames('icmp-ping-normal.pcap', buildPingNormal());
    try { assert.deepEqual(c.findings, []); } finally { c.close(); }
  });
});

describe('udp-flood', () => {
  test('datagrams to random ports at 500/s are a flood', async () => {
    const c = await analyseFrames('udp-flood.pcap', buildUdpFlood({ rate: 500, seconds: 6 }));
    try {
      const list = c.findings.filter((f) => f.kind === 'udp-flood');
      assert.equal(list.length, 1);
      const f = getFinding(c.db, list[0].id);
      assert.equal(f.targets[0].addr, UDP_FLOOD_TARGET);
      assert.equal(f.sources[0].addr, UDP_FLOOD_SOURCE);
      assert.equal(f.metrics.datagrams, 3000);
      assert.equal(f.metrics.answers, 0);
      // The flood is not also reported as a UDP port scan.
      assert.deepEqual(c.findings.filter((x) => x.kind === 'port-scan'), []);
      for (const r of evidenceOf(c.db, f.id)) assert.ok(r.role === 'datagram' && r.ip_proto === 17 && r.dst === UDP_FLOOD_TARGET);
    } finally { c.close(); }
  });

  test('near miss: a voice call and DNS raise nothing', async () => {
    const c = await analyseFrames('udp-normal.pcap', buildUdpNormal());
    try { assert.deepEqual(aboveLow(c.findings), []); } finally { c.close(); }
  });
});
