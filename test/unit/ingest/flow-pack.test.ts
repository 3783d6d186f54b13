import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowBuffers, packFlows, unpackFlows } from '../../../electron/ingest/flow-pack';
import type { FlowRecord } from '../../../electron/ingest/flow-table';

const tcp: FlowRecord = {
  id: 2 ** 40 + 7, ipProto: 6, origId: 1, origPort: 49152, respId: 2 ** 31 + 3, respPort: 443,
  firstTsNs: 1_710_234_000_123_456_789n, lastTsNs: 1_710_234_099_000_000_001n,
  origPkts: 12, origBytes: 2 ** 45 + 1, respPkts: 9, respBytes: 88_000,
  connState: 'SF', history: 'ShADadFf',
  synTsNs: 1_710_234_000_123_456_789n, synAckTsNs: 1_710_234_000_200_000_000n, ackTsNs: 1_710_234_000_200_000_500n,
  synCount: 1, synAckCount: 1, rstOrig: 0, rstResp: 0, service: 'ssl',
};
// A SYN that was never answered: history and state set, no SYN/ACK or ACK time, no service.
const attempt: FlowRecord = { ...tcp, id: 8, respPkts: 0, respBytes: 0, connState: 'S0', history: 'S', synAckTsNs: null, ackTsNs: null, synCount: 3, service: null };
// A TCP flow seen only mid-stream: an empty history is not a missing one.
const midstream: FlowRecord = { ...tcp, id: 9, connState: 'OTH', history: '', synTsNs: null, synAckTsNs: null, ackTsNs: null, synCount: 0, synAckCount: 0 };
const udp: FlowRecord = {
  id: 10, ipProto: 17, origId: 4, origPort: 5353, respId: 5, respPort: 53,
  firstTsNs: -5_000_000_000n, lastTsNs: 0n, // before 1970 and at the epoch: still exact
  origPkts: 1, origBytes: 80, respPkts: 1, respBytes: 120,
  connState: null, history: null, synTsNs: null, synAckTsNs: null, ackTsNs: null,
  synCount: 0, synAckCount: 0, rstOrig: 0, rstResp: 0, service: 'dns',
};

test('flows packed for the writer come back field for field, nulls and empty texts apart', () => {
  const flows = [tcp, attempt, midstream, udp];
  assert.deepEqual(unpackFlows(packFlows(flows)), flows);
  assert.deepEqual(unpackFlows(packFlows([])), []);
});

test('packed flows cross a thread boundary by transfer: the buffers move, the flows arrive whole', () => {
  const packed = packFlows([tcp, udp]);
  const received = structuredClone(packed, { transfer: flowBuffers(packed) });
  assert.equal(packed.nums.byteLength, 0, 'the sender no longer holds the numbers');
  assert.equal(packed.times.byteLength, 0, 'nor the times');
  assert.deepEqual(unpackFlows(received), [tcp, udp]);
});
