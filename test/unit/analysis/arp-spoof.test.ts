import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getFinding } from '../../../electron/query/findings';
import {
  ARP_ATTACKER_MAC, ARP_GATEWAY_IP, ARP_STORM_MAC, buildArpGratuitousStorm, buildArpNormal, buildArpSpoof,
} from '../../support/make-fixtures';
import { aboveLow, analyseFrames, evidenceOf } from './analysis-case';

describe('arp-spoof', () => {
  test('the gateway IP claimed by a second MAC is ARP spoofing, the attacker named', async () => {
    const c = await analyseFrames('arp-spoof.pcap', buildArpSpoof());
    try {
      const list = c.findings.filter((f) => f.kind === 'arp-spoof');
      assert.equal(list.length, 1);
      const f = getFinding(c.db, list[0].id);
      assert.equal(f.severity, 'high');
      assert.equal(f.targets[0].addr, ARP_GATEWAY_IP);
      assert.equal(f.metrics.suspectMac, ARP_ATTACKER_MAC);
      assert.ok(f.mitre.some((m) => m.id === 'T1557.002'));
      const rows = evidenceOf(c.db, f.id);
      assert.equal(rows.filter((r) => r.role === 'conflicting-claim').length, 60);
      for (const r of rows) {
        const arp = c.db.prepare('SELECT sender_mac, sender_ip FROM arp_messages WHERE packet_id = ?').get(r.id) as { sender_mac: string; sender_ip: string };
        assert.equal(arp.sender_ip, ARP_GATEWAY_IP);
        if (r.role === 'conflicting-claim') assert.equal(arp.sender_mac, ARP_ATTACKER_MAC);
      }
    } finally { c.close(); }
  });

  test('a gratuitous ARP storm', async () => {
    const c = await analyseFrames('arp-gratuitous-storm.pcap', buildArpGratuitousStorm({ count: 120 }));
    try {
      const list = c.findings.filter((f) => f.kind === 'arp-gratuitous-storm');
      assert.equal(list.length, 1);
      assert.equal(list[0].severity, 'medium');
      assert.deepEqual(list[0].sources, [{ addr: ARP_STORM_MAC }]);
      assert.equal(list[0].evidenceTotal, 120);
    } finally { c.close(); }
  });

  test('near miss: normal ARP, boot announcements and one NIC swap stay at low or below', async () => {
    const c = await analyseFrames('arp-normal.pcap', buildArpNormal());
    try {
      assert.deepEqual(aboveLow(c.findings), []);
      assert.deepEqual(c.findings.map((f) => f.kind), ['arp-ip-moved']);
    } finally { c.close(); }
  });
});
