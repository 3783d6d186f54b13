/**
 * The detectors over the real-world captures in /work/shared/captures/real/ (outside the repo):
 * known attacks are found with the right source, target and service, and ordinary traffic
 * raises nothing above low severity.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { getFinding } from '../../electron/query/findings';
import { aboveLow, analyseCaptures, AnalysedCase } from '../unit/analysis/analysis-case';

// dist/test/integration → repo root → its sibling "shared".
const REAL = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'captures', 'real');
const skip = fs.existsSync(REAL) ? false : `real captures not found at ${REAL}`;

async function withCase(name: string, check: (c: AnalysedCase) => void): Promise<void> {
  const c = await analyseCaptures([path.join(REAL, name)]);
  try { check(c); } finally { c.close(); }
}

/** Captures that contain attacks or failures on purpose; every other capture is "ordinary". */
const EXPECTED: Record<string, (c: AnalysedCase) => void> = {
  'chrissanders__synscan.pcapng': (c) => {
    const scans = c.findings.filter((f) => f.kind === 'port-scan');
    assert.equal(scans.length, 1);
    assert.equal(scans[0].sources[0].addr, '172.16.0.8');
    assert.equal(scans[0].targets[0].addr, '64.13.134.52');
    assert.equal(getFinding(c.db, scans[0].id).metrics.scanType, 'TCP SYN (half-open)');
    assert.deepEqual(c.findings.filter((f) => f.kind === 'syn-flood'), []);
  },
  'suricata__tcp-session-syn-flood-drop-precedence__input.pcap': (c) => {
    const floods = c.findings.filter((f) => f.kind === 'syn-flood');
    assert.equal(floods.length, 1);
    assert.deepEqual(floods[0].sources.map((s) => s.addr), ['192.0.2.10']);
    assert.equal(floods[0].targets[0].addr, '198.51.100.5');
    assert.equal(floods[0].targets[0].port, 443);
    assert.ok(['high', 'critical'].includes(floods[0].severity));
    assert.equal(floods[0].evidenceTotal, 200);
  },
  'zeek__icmp-destunreach-udp.pcap': (c) => {
    const u = c.findings.filter((f) => f.kind === 'unreachable-service');
    assert.equal(u.length, 1);
    assert.equal(u[0].targets[0].service, 'dns');
    assert.equal(u[0].targets[0].port, 53);
    assert.equal(u[0].targets[0].addr, '192.168.1.1');
  },
  'suricata__flow-drop-iponly-02__input.pcap': (c) => {
    const u = c.findings.filter((f) => f.kind === 'unreachable-service');
    assert.equal(u.length, 1);
    assert.equal(u[0].targets[0].service, 'dns');
    assert.equal(u[0].targets[0].addr, '192.168.10.10');
    assert.match(getFinding(c.db, u[0].id).explanation, /download\.windowsupdate\.com/);
  },
  'zeek__conn-size.pcap': (c) => {
    const u = c.findings.filter((f) => f.kind === 'unreachable-service');
    assert.equal(u.length, 1);
    assert.equal(u[0].targets[0].service, 'sunrpc');
    assert.equal(u[0].targets[0].port, 111);
    assert.equal(u[0].targets[0].addr, '192.150.186.169');
  },
  // nmap's SYN scans of 10.200.1.18 from three hosts (window 1024, fixed source port) are real scans.
  'gopacket__cip.pcap': (c) => {
    assert.ok(c.findings.length >= 1);
    for (const f of aboveLow(c.findings)) assert.equal(f.kind, 'port-scan', f.title);
  },
};

describe('findings on the real captures', { skip }, () => {
  for (const [name, check] of Object.entries(EXPECTED)) {
    test(name, () => withCase(name, check));
  }

  test('ordinary captures raise nothing above low severity', async () => {
    const ordinary = fs.readdirSync(REAL).filter((f) => !(f in EXPECTED) && f !== 'zeek__nmap-vsn.pcap').sort();
    assert.ok(ordinary.length > 20);
    const noisy: string[] = [];
    for (const name of ordinary) {
      await withCase(name, (c) => {
        const errors = c.db.prepare("SELECT value FROM case_meta WHERE key = 'detector_errors'").pluck().get();
        assert.equal(errors, undefined, `${name}: ${errors}`);
        for (const f of aboveLow(c.findings)) noisy.push(`${name}: [${f.severity}] ${f.title}`);
      });
    }
    assert.deepEqual(noisy, []);
  });
});
