import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationFilter, endpointFilter, HISTORY_MAX, loadHistory, pushHistory, saveHistory } from '../../../renderer/src/lib/filter-text.js';
import { formatBytes, formatEndpoint, formatEndpoints, formatOffset, shortHash } from '../../../renderer/src/lib/format.js';
import { sortFindings } from '../../../renderer/src/lib/severity.js';
import type { FindingSummary } from '../../../electron/ipc/contract.js';

test('conversation and endpoint filters', () => {
  assert.equal(
    conversationFilter({ proto: 'TCP', ipProto: 6, src: '10.0.0.5', sport: 40000, dst: '192.0.2.1', dport: 443 }),
    'ip.addr == 10.0.0.5 && ip.addr == 192.0.2.1 && tcp.port == 40000 && tcp.port == 443',
  );
  assert.equal(
    conversationFilter({ proto: 'UDP', ipProto: 17, src: '2001:db8::1', sport: 5353, dst: 'ff02::fb', dport: 5353 }),
    'ipv6.addr == 2001:db8::1 && ipv6.addr == ff02::fb && udp.port == 5353 && udp.port == 5353',
  );
  assert.equal(conversationFilter({ proto: 'ICMP', ipProto: 1, src: '10.0.0.1', sport: -1, dst: '10.0.0.2', dport: -1 }), 'ip.addr == 10.0.0.1 && ip.addr == 10.0.0.2 && icmp');
  assert.equal(endpointFilter('192.0.2.1'), 'ip.addr == 192.0.2.1');
  // Anything unexpected in an address is quoted rather than spliced into the filter.
  assert.equal(endpointFilter('1.2.3.4 || 1'), 'ip.addr == "1.2.3.4 || 1"');
});

test('filter history: most recent first, unique, bounded, tolerant of bad storage', () => {
  let h: string[] = [];
  h = pushHistory(h, 'tcp');
  h = pushHistory(h, ' udp ');
  h = pushHistory(h, 'tcp');
  h = pushHistory(h, '   ');
  assert.deepEqual(h, ['tcp', 'udp']);
  for (let i = 0; i < 50; i++) h = pushHistory(h, `f${i}`);
  assert.equal(h.length, HISTORY_MAX);
  const store = new Map<string, string>();
  const kv = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  saveHistory(kv, ['a', 'b']);
  assert.deepEqual(loadHistory(kv), ['a', 'b']);
  store.set('flowcase.filterHistory', '{not json');
  assert.deepEqual(loadHistory(kv), []);
  store.set('flowcase.filterHistory', '["ok", 3, null]');
  assert.deepEqual(loadHistory(kv), ['ok']);
  assert.deepEqual(loadHistory(null), []);
});

test('formatting helpers', () => {
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1500), '1.50 kB');
  assert.equal(formatBytes(182_334_112), '182 MB');
  assert.equal(formatOffset(4660), '0x1234 (4,660)');
  assert.equal(shortHash('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), 'e3b0c44298fc…52b855');
  assert.equal(formatEndpoint({ addr: '192.0.2.1', port: 443, proto: 'TCP', service: 'https' }), '192.0.2.1:443/tcp (https)');
  assert.equal(formatEndpoint({ addr: '2001:db8::1', port: 53 }), '[2001:db8::1]:53');
  assert.equal(formatEndpoints([{ addr: 'a' }, { addr: 'b' }, { addr: 'c' }]), 'a, b +1 more');
});

test('findings sort by severity, then time', () => {
  const f = (id: number, severity: FindingSummary['severity'], startTs: string): FindingSummary => ({
    id, kind: 'k', title: 't', severity, confidence: 1, startTs, endTs: startTs, targets: [], sources: [], evidenceTotal: 1,
  });
  const sorted = sortFindings([f(1, 'low', '5'), f(2, 'critical', '9'), f(3, 'high', '7'), f(4, 'high', '3')]);
  assert.deepEqual(sorted.map((x) => x.id), [2, 4, 3, 1]);
});
