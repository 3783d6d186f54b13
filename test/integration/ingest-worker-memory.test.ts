import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCase } from '../../db/open-case';
import { MAX_NAMED_ADDRS } from '../../electron/ingest/host-name-stage';
import { DNS_AAAA, dnsMessage, udpFrame } from '../support/packet-builder';
import { writePcap, type TimedFrame } from '../support/pcap-writer';
import { tempDir } from '../support/repo-paths';

/**
 * The decode worker's heap cap for this file's ingests (read by index-captures.ts when it loads).
 * The worker that kept every name learnt from DNS until the end of the job needed 48 MB for the
 * capture below (out of memory at 32); with the names staged by the writer it needs about 12.
 */
const WORKER_HEAP_MB = 20;
process.env.FLOWCASE_WORKER_HEAP_MB = String(WORKER_HEAP_MB);

test(`the decode worker's memory does not grow with the names DNS answers teach: 60,000 distinct AAAA answers within a ${WORKER_HEAP_MB} MB worker heap`, async () => {
  const { indexCaptures } = await import('../../electron/ingest/index-captures.js');
  const dir = tempDir('flowcase-worker-memory-');
  try {
    const capture = path.join(dir, 'aaaa-answers.pcap');
    const frames: TimedFrame[] = [];
    for (let i = 0; i < 60_000; i++) {
      const name = `h${i}.example.com`;
      const data = `2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}`;
      const payload = dnsMessage({ id: i & 0xffff, qname: name, qtype: DNS_AAAA, response: true, answers: [{ name, type: DNS_AAAA, data }] });
      frames.push({ tsUs: 1_710_234_000_000_000 + i * 100, data: udpFrame({ src: '10.0.0.53', dst: '10.0.0.2', sport: 53, dport: 5000 + (i % 1000), payload }) });
    }
    writePcap(capture, frames);
    const casePath = path.join(dir, 'aaaa-answers.flowcase');
    const result = await indexCaptures({ casePath, captures: [capture] });
    assert.equal(result.packets, 60_000);
    const db = openCase(casePath, { readonly: true });
    try {
      // The names are all there, capped as before: the first MAX_NAMED_ADDRS addresses answered.
      assert.equal(db.prepare("SELECT count(*) FROM host_names WHERE source = 'dns'").pluck().get(), MAX_NAMED_ADDRS);
      assert.equal(db.prepare("SELECT name FROM host_names h JOIN addrs a ON a.id = h.addr_id WHERE a.addr = '2001:db8::c34f'").pluck().get(), 'h49999.example.com');
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
