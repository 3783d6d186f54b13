import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { indexCaptures } from '../../electron/ingest/index-captures';
import { openCase } from '../../db/open-case';
import { DNS_A, DNS_AAAA, RCODE_NXDOMAIN, SYN, dnsMessage, tcpFrame, udpFrame } from '../support/packet-builder';
import { writePcap, type TimedFrame } from '../support/pcap-writer';
import { tempDir } from '../support/repo-paths';

const T0 = 1_710_234_000_000_000;
const CLIENT = '10.0.0.2';
const RESOLVER = '10.0.0.53';

function dns(i: number, response: boolean, answers: Array<{ name: string; type: number; data: string }> = [], rcode = 0): TimedFrame {
  const payload = dnsMessage({ id: 100 + i, qname: answers[0]?.name ?? 'nothing.example', response, rcode, answers });
  const [src, dst, sport, dport] = response ? [RESOLVER, CLIENT, 53, 5000 + i] : [CLIENT, RESOLVER, 5000 + i, 53];
  return { tsUs: T0 + i * 1000 + (response ? 500 : 0), data: udpFrame({ src, dst, sport, dport, payload }) };
}

test('names from DNS answers reach host_names through the worker\'s batches; an answer address seen later in a packet keeps its packet-time id', async () => {
  const dir = tempDir('flowcase-names-');
  try {
    const capture = path.join(dir, 'names.pcap');
    writePcap(capture, [
      dns(1, false),
      dns(1, true, [{ name: 'www.example.com', type: DNS_A, data: '192.0.2.80' }, { name: 'v6.example.com', type: DNS_AAAA, data: '2001:db8::80' }]),
      dns(2, true, [{ name: 'typo.example', type: DNS_A, data: '198.51.100.1' }], RCODE_NXDOMAIN), // not a success: no name learnt
      { tsUs: T0 + 5000, data: tcpFrame({ src: CLIENT, dst: '192.0.2.80', sport: 40000, dport: 443, flags: SYN }) },
      dns(3, true, [{ name: 'www.example.com', type: DNS_A, data: '192.0.2.80' }, { name: 'www2.example.com', type: DNS_A, data: '192.0.2.80' }]),
    ]);
    const casePath = path.join(dir, 'names.flowcase');
    // A batch of 2 packets: the names cross in several batches, as in a long capture.
    await indexCaptures({ casePath, captures: [capture], batchSize: 2 });
    const db = openCase(casePath, { readonly: true });
    try {
      const addrs = db.prepare('SELECT id, addr FROM addrs ORDER BY id').raw().all();
      assert.deepEqual(addrs, [[1, CLIENT], [2, RESOLVER], [3, '192.0.2.80'], [4, '2001:db8::80']]);
      const names = db.prepare('SELECT addr_id, name, source FROM host_names ORDER BY addr_id, name').raw().all();
      assert.deepEqual(names, [[3, 'www.example.com', 'dns'], [3, 'www2.example.com', 'dns'], [4, 'v6.example.com', 'dns']]);
      const bin = db.prepare("SELECT hex(bin) FROM addrs WHERE addr = '2001:db8::80'").pluck().get();
      assert.equal(bin, '20010DB8000000000000000000000080');
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
