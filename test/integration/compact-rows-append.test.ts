/**
 * The ingest writer's compact layout (migration 0010) when a case grows run by run: the second run
 * reuses the HTTP values the first stored (one row per distinct value, never a duplicate), and the
 * same capture added again reads back the same, apart from its packet and flow numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { repoRoot, tempDir } from '../support/repo-paths';

const WEB = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');

test('a capture indexed again into the same case: HTTP values stored once, every packet, flow and message read back alike', async () => {
  const dir = tempDir('flowcase-append-');
  const casePath = path.join(dir, 'case.flowcase');
  try {
    await indexCaptures({ casePath, captures: [WEB] });
    await indexCaptures({ casePath, captures: [WEB], allowDuplicate: true });
    const db = openCase(casePath, { readonly: true });
    try {
      const count = db.prepare('SELECT count(*) FROM packets WHERE capture_id = ?').pluck();
      const n = count.get(1) as number;
      assert.ok(n > 0);
      assert.equal(count.get(2), n);
      const firstFlow2 = db.prepare('SELECT min(flow_id) FROM packets WHERE capture_id = 2').pluck().get() as number;
      const firstFlow1 = db.prepare('SELECT min(flow_id) FROM packets WHERE capture_id = 1').pluck().get() as number;
      // The second copy, renumbered back onto the first: frame numbers, ports, flags, times all equal.
      const packets = (capture: number, idShift: number, flowShift: number) => db.prepare(`SELECT id - ? AS id, frame_no, if_index, ts_ns,
        caplen, origlen, data_offset, ip_ver, src_id, dst_id, sport, dport, ip_proto, tcp_flags, proto_id, flow_id - ? AS flow, flags
        FROM packets WHERE capture_id = ? ORDER BY id`).safeIntegers(true).all(idShift, flowShift, capture);
      assert.deepEqual(packets(2, n, firstFlow2 - firstFlow1), packets(1, 0, 0));
      const frames = db.prepare('SELECT min(frame_no), max(frame_no) FROM packets WHERE capture_id = 2').raw().get();
      assert.deepEqual(frames, [1, n]);
      const http = (from: number, to: number, shift: number) => db.prepare(`SELECT packet_id - ? AS packet, kind, method, uri, version, host,
        user_agent, status, reason FROM http_messages WHERE packet_id BETWEEN ? AND ? ORDER BY packet_id`).all(shift, from, to);
      const http1 = http(1, n, 0);
      assert.ok(http1.length > 0, 'the fixture has HTTP messages');
      assert.deepEqual(http(n + 1, 2 * n, n), http1);
      const values = db.prepare('SELECT count(*) AS n, count(DISTINCT value) AS d FROM http_values').get() as { n: number; d: number };
      assert.equal(values.n, values.d);
      const flows = (from: number, to: number) => db.prepare(`SELECT ip_proto, orig_id, orig_port, resp_id, resp_port, last_ts_ns - first_ts_ns AS dur,
        syn_ts_ns - first_ts_ns AS syn, synack_ts_ns - first_ts_ns AS synack, ack_ts_ns - first_ts_ns AS ack, conn_state, history, service
        FROM flows WHERE id BETWEEN ? AND ? ORDER BY id`).safeIntegers(true).all(from, to);
      const nFlows = firstFlow2 - firstFlow1;
      assert.deepEqual(flows(firstFlow2, firstFlow2 + nFlows - 1), flows(firstFlow1, firstFlow2 - 1));
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
