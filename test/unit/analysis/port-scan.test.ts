import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../../../electron/decode/packet-summary';
import { getFinding } from '../../../electron/query/findings';
import { countPackets } from '../../../electron/query/packet-query';
import {
  buildHorizontalScan, buildLongCaptureWithScan, buildScanNearMiss, buildUdpScan, buildVerticalScan, HSCAN_SOURCE, LONG_SCAN_PORT,
  LONG_SCANNER, LONG_SLOW_SCANNER, SCAN_TARGET, USCAN_SOURCE, VSCAN_SOURCE,
} from '../../support/make-fixtures';
import { aboveLow, analyseFrames, evidenceOf } from './analysis-case';

describe('port-scan', () => {
  test('vertical SYN scan: source, target, open ports, every probe a SYN to the target', async () => {
    const c = await analyseFrames('port-scan-vertical.pcap', buildVerticalScan({ ports: 500, open: [22, 80, 443] }));
    try {
      const scans = c.findings.filter((f) => f.kind === 'port-scan');
      assert.equal(scans.length, 1);
      const f = getFinding(c.db, scans[0].id);
      assert.equal(f.severity, 'medium');
      assert.deepEqual(f.sources, [{ addr: VSCAN_SOURCE, proto: 'tcp' }]);
      assert.equal(f.targets[0].addr, SCAN_TARGET);
      assert.equal(f.metrics.scanKind, 'vertical');
      assert.equal(f.metrics.scanType, 'TCP SYN (half-open)');
      assert.equal(f.metrics.probed, 500);
      assert.equal(f.metrics.open, 3);
      assert.ok(f.mitre.some((m) => m.id === 'T1046'));
      const rows = evidenceOf(c.db, f.id);
      assert.equal(rows.length, f.evidenceTotal);
      for (const r of rows) {
        if (r.role === 'probe') assert.ok(r.src === VSCAN_SOURCE && r.dst === SCAN_TARGET && ((r.tcp_flags ?? 0) & (TCP_SYN | TCP_ACK)) === TCP_SYN);
        else if (r.role === 'open') assert.ok(r.src === SCAN_TARGET && [22, 80, 443].includes(r.sport!) && ((r.tcp_flags ?? 0) & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK));
        else assert.ok(r.role === 'closed' && r.src === SCAN_TARGET && ((r.tcp_flags ?? 0) & TCP_RST));
      }
    } finally { c.close(); }
  });

  test('horizontal connect scan of 445 across a /24', async () => {
    const c = await analyseFrames('port-scan-horizontal.pcap', buildHorizontalScan());
    try {
      const scans = c.findings.filter((f) => f.kind === 'port-scan');
      assert.equal(scans.length, 1);
      const f = getFinding(c.db, scans[0].id);
      assert.equal(f.metrics.scanKind, 'horizontal');
      assert.equal(f.metrics.scanType, 'TCP connect');
      assert.equal(f.metrics.port, 445);
      assert.equal(f.metrics.probed, 254);
      assert.equal(f.metrics.open, 5);
      assert.equal(f.sources[0].addr, HSCAN_SOURCE);
      for (const r of evidenceOf(c.db, f.id).filter((x) => x.role === 'probe')) assert.ok(r.src === HSCAN_SOURCE && r.dport === 445);
    } finally { c.close(); }
  });

  test('UDP scan answered by ICMP port unreachable', async () => {
    const c = await analyseFrames('port-scan-udp.pcap', buildUdpScan());
    try {
      const scans = c.findings.filter((f) => f.kind === 'port-scan');
      assert.equal(scans.length, 1);
      const f = getFinding(c.db, scans[0].id);
      assert.equal(f.metrics.scanType, 'UDP');
      assert.equal(f.metrics.probed, 200);
      assert.equal(f.sources[0].addr, USCAN_SOURCE);
      for (const r of evidenceOf(c.db, f.id)) {
        if (r.role === 'probe') assert.ok(r.ip_proto === 17 && r.src === USCAN_SOURCE && r.dst === SCAN_TARGET);
        if (r.role === 'closed') assert.ok(r.ip_proto === 1 && r.src === SCAN_TARGET && r.sport === 3 && r.dport === 3);
      }
    } finally { c.close(); }
  });

  test('a long capture: clients failing now and then over three hours are no scan; a fast scan inside it is', async () => {
    const c = await analyseFrames('port-scan-long.pcap', buildLongCaptureWithScan());
    try {
      const scans = c.findings.filter((f) => f.kind === 'port-scan');
      assert.deepEqual(scans.map((f) => f.title), [`Horizontal TCP SYN (half-open) scan of SSH (22/tcp) on 60 hosts by ${LONG_SCANNER}: 4 answering`]);
      const f = getFinding(c.db, scans[0].id);
      assert.deepEqual([f.metrics.probed, f.metrics.open, f.metrics.closed, f.metrics.filtered, f.metrics.port], [60, 4, 18, 38, LONG_SCAN_PORT]);
      assert.ok(Number(f.metrics.durationSec) < 5, `the finding covers the scan, not the capture: ${f.metrics.durationSec} s`);
      // Every probe and answer of the scan, nothing else; each role's query reproduces it exactly.
      assert.equal(f.evidenceTotal, 60 + 4 + 18);
      for (const q of f.evidenceQueries) {
        assert.ok(q.exact, q.role);
        assert.equal(countPackets(c.db, { filter: q.filter, from: q.from, to: q.to }), q.total, `${q.role}: ${q.filter}`);
      }
      assert.deepEqual(Object.fromEntries(f.evidenceQueries.map((q) => [q.role, q.total])), { open: 4, closed: 18, probe: 60 });
      assert.equal(countPackets(c.db, { findingId: f.id }), f.evidenceTotal);
    } finally { c.close(); }
  });

  test('a slow scan beyond the window is reported once the window is widened (portScan.windowSec)', async () => {
    const c = await analyseFrames('port-scan-long.pcap', buildLongCaptureWithScan(), { portScan: { windowSec: 4 * 3600, minHosts: 100 } });
    try {
      const scans = c.findings.filter((f) => f.kind === 'port-scan');
      const slow = scans.find((f) => f.sources.some((s) => s.addr === LONG_SLOW_SCANNER));
      assert.ok(slow, scans.map((f) => f.title).join('; '));
      assert.equal(getFinding(c.db, slow.id).metrics.probed, 25);
    } finally { c.close(); }
  });

  test('near miss: an admin trying a few services and a browser using many servers', async () => {
    const c = await analyseFrames('port-scan-near-miss.pcap', buildScanNearMiss());
    try { assert.deepEqual(aboveLow(c.findings), []); } finally { c.close(); }
  });
});
