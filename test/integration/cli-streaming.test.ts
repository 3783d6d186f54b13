/**
 * `flowcase packets <case> --json` streams every packet as a JSON line in constant memory: on a
 * case of a million packets the command's peak RSS stays under 150 MB and the line count equals the
 * packet count. The case is the indexed SYN-flood fixture, its packet rows repeated (ids and times
 * shifted) to a million: every row still points at real frames, so Info is decoded for each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { repoRoot, tempDir } from '../support/repo-paths';

const TARGET_PACKETS = 1_000_000;
const RSS_LIMIT_MB = 150;

async function millionPacketCase(dir: string): Promise<{ casePath: string; packets: number }> {
  const casePath = path.join(dir, 'million.flowcase');
  await indexCaptures({ casePath, captures: [path.join(repoRoot(), 'test/fixtures/captures/syn-flood-443.pcap')] });
  const db = openCase(casePath);
  try {
    const { n, span } = db.prepare('SELECT count(*) AS n, max(ts_ns) - min(ts_ns) + 1000 AS span FROM packets').get() as { n: number; span: number };
    const copies = Math.ceil(TARGET_PACKETS / n) - 1;
    db.prepare(`WITH RECURSIVE k(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM k WHERE c < ?)
      INSERT INTO packets (id, capture_id, frame_gap, ts_ns, caplen, origlen, data_offset, src_id, dst_id,
        sport16, dport16, ip_proto, tcp_flags, proto_id, flow_id, flag_bits)
      SELECT p.id + k.c * ?, p.capture_id, p.frame_gap, p.ts_ns + k.c * ?, p.caplen, p.origlen, p.data_offset,
        p.src_id, p.dst_id, p.sport16, p.dport16, p.ip_proto, p.tcp_flags, p.proto_id, p.flow_id, p.flag_bits
      FROM packets p, k WHERE p.id <= ? ORDER BY k.c, p.id`).run(copies, n, span, n);
    return { casePath, packets: db.prepare('SELECT count(*) FROM packets').pluck().get() as number };
  } finally {
    db.close();
  }
}

/** Runs the CLI's main in a child that reports its own peak RSS; counts stdout lines as they arrive. */
function streamPackets(casePath: string): Promise<{ code: number | null; lines: number; maxRssMb: number; firstLine: string; stderr: string }> {
  const main = path.join(repoRoot(), 'dist/electron/cli/main.js');
  const script = `require(${JSON.stringify(main)}).main(['packets', ${JSON.stringify(casePath)}, '--json'])
    .then((code) => { process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n'); process.exitCode = code; })`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0, firstLine = '', head = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (firstLine === '') { head += d.toString('utf8'); const nl = head.indexOf('\n'); if (nl >= 0) firstLine = head.slice(0, nl); }
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      const kb = Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({ code, lines, maxRssMb: kb / 1024, firstLine, stderr });
    });
  });
}

test(`packets --json streams a ${TARGET_PACKETS.toLocaleString('en-US')}-packet case as JSON lines under ${RSS_LIMIT_MB} MB RSS`, { timeout: 600_000 }, async (t) => {
  const dir = tempDir('flowcase-stream-');
  try {
    const { casePath, packets } = await millionPacketCase(dir);
    assert.ok(packets >= TARGET_PACKETS, `${packets} packets`);
    const r = await streamPackets(casePath);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines, packets, 'one line per packet');
    const first = JSON.parse(r.firstLine) as { id: number; proto: string; info: string };
    assert.equal(first.id, 1);
    assert.ok(first.info.length > 0 && !first.info.startsWith('[Info needs'), first.info);
    t.diagnostic(`${packets} packets streamed, peak RSS ${r.maxRssMb.toFixed(0)} MB`);
    assert.ok(r.maxRssMb < RSS_LIMIT_MB, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
