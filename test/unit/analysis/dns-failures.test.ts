import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFinding } from '../../../electron/query/findings';
import { buildDnsNxdomainBurst, buildDnsNxdomainNormal, buildDnsServfailBurst, buildDnsUnanswered } from '../../support/make-fixtures';
import { aboveLow, analyseFrames, evidenceOf } from './analysis-case';

describe('dns-failures', () => {
  test('NXDOMAIN burst from one client', async () => {
    const c = await analyseFrames('dns-nxdomain-burst.pcap', buildDnsNxdomainBurst());
    try {
      const list = c.findings.filter((f) => f.kind === 'dns-nxdomain-burst');
      assert.equal(list.length, 1);
      const f = getFinding(c.db, list[0].id);
      assert.equal(f.severity, 'medium');
      assert.deepEqual(f.sources, [{ addr: '10.0.0.77' }]);
      const nx = c.db.prepare("SELECT count(*) FROM dns_transactions t JOIN addrs a ON a.id = t.client_id WHERE a.addr = '10.0.0.77' AND t.rcode = 3").pluck().get();
      assert.equal(f.metrics.failures, nx);
      for (const r of evidenceOf(c.db, f.id)) {
        if (r.role === 'nxdomain-response') assert.ok(r.src === '10.0.0.53' && r.dst === '10.0.0.77' && /No such name/i.test(r.info), r.info);
        else assert.ok(r.role === 'query' && r.src === '10.0.0.77' && r.dport === 53);
      }
    } finally { c.close(); }
  });

  test('SERVFAIL burst from a resolver', async () => {
    const c = await analyseFrames('dns-servfail-burst.pcap', buildDnsServfailBurst());
    try {
      const list = c.findings.filter((f) => f.kind === 'dns-servfail-burst');
      assert.equal(list.length, 1);
      assert.equal(list[0].severity, 'high');
      assert.deepEqual(list[0].targets[0], { addr: '10.0.0.53', port: 53, proto: 'udp', service: 'dns' });
      assert.equal(getFinding(c.db, list[0].id).metrics.failures, 40);
    } finally { c.close(); }
  });

  test('a resolver that stops answering', async () => {
    const c = await analyseFrames('dns-unanswered.pcap', buildDnsUnanswered());
    try {
      const list = c.findings.filter((f) => f.kind === 'dns-unanswered');
      assert.equal(list.length, 1);
      assert.equal(list[0].targets[0].addr, '10.0.0.54');
      const f = getFinding(c.db, list[0].id);
      assert.equal(f.metrics.failures, 30);
      for (const r of evidenceOf(c.db, f.id)) assert.ok(r.role === 'unanswered-query' && r.dst === '10.0.0.54' && r.dport === 53);
    } finally { c.close(); }
  });

  test('near miss: a few typo NXDOMAINs among normal lookups', async () => {
    const c = await analyseFrames('dns-nxdomain-normal.pcap', buildDnsNxdomainNormal());
    try { assert.deepEqual(aboveLow(c.findings), []); } finally { c.close(); }
  });
});
