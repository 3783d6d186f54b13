import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DnsMatcher } from '../../../electron/ingest/dns-matcher';
import type { DnsSummary } from '../../../electron/decode/packet-summary';

const msg = (id: number, isResponse: boolean, rcode = 0): DnsSummary => ({ id, isResponse, opcode: 0, rcode, flags: 0, qname: 'example.com', qtype: 1, questionCount: 1, answers: [] });

test('queries pair with responses by tuple and id; the rest are unanswered', () => {
  const m = new DnsMatcher();
  m.observe(msg(1, false), 1, 7, '10.0.0.2', 5000, '10.0.0.53', 53, 1, 2, 100, 0);
  m.observe(msg(2, false), 2, 7, '10.0.0.2', 5000, '10.0.0.53', 53, 1, 2, 100, 500);
  m.observe(msg(1, true, 3), 3, 7, '10.0.0.53', 53, '10.0.0.2', 5000, 2, 1, 100, 2_000_000);
  const tx = m.finish();
  assert.equal(tx.length, 2);
  const answered = tx.find((t) => t.status === 'answered')!;
  assert.equal(answered.queryPacketId, 1);
  assert.equal(answered.responsePacketId, 3);
  assert.equal(answered.rcode, 3);
  assert.equal(answered.rttNs, 2_000_000n);
  const unanswered = tx.find((t) => t.status === 'unanswered')!;
  assert.equal(unanswered.queryPacketId, 2);
  assert.equal(unanswered.rcode, null);
});

test('a response from the wrong server is not taken as the answer', () => {
  const m = new DnsMatcher();
  m.observe(msg(9, false), 1, 1, '10.0.0.2', 5000, '10.0.0.53', 53, 1, 2, 100, 0);
  m.observe(msg(9, true), 2, 2, '10.6.6.6', 53, '10.0.0.2', 5000, 3, 1, 100, 10);
  const tx = m.finish();
  assert.deepEqual(tx.map((t) => t.status).sort(), ['response-only', 'unanswered']);
});
