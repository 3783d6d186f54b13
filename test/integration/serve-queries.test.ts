/**
 * The query modules behind the handlers (overview, timeline, flows, hosts, packet detail) and the
 * ingest job manager, driven through the shared handler table on a capture built for the test.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCase } from '../../db/open-case';
import type { Channel, Events, ResultOf } from '../../electron/ipc/contract';
import { createHandlers, invoke, type Handlers } from '../../electron/ipc/handlers';
import { chooseWidth } from '../../electron/query/timeline';
import { CaseSession } from '../../electron/session/case-session';
import { PROGRESS_INTERVAL_MS } from '../../electron/session/ingest-jobs';
import { writePcap, type TimedFrame } from '../support/pcap-writer';
import { ACK, FIN, RST, SYN, DNS_A, dnsMessage, tcpFrame, udpFrame } from '../support/packet-builder';

const T0_US = 1_700_000_000_000_000;
const MINUTE_US = 60_000_000;

/** 31 minutes of traffic: a SYN every minute, a SYN/ACK, RST and FIN now and then, DNS with an answer. */
function frames(): TimedFrame[] {
  const out: TimedFrame[] = [];
  for (let m = 0; m <= 30; m++) {
    const t = T0_US + m * MINUTE_US;
    out.push({ tsUs: t, data: tcpFrame({ src: '10.1.0.1', dst: '10.1.0.2', sport: 50000 + m, dport: 80, flags: SYN, payload: new Uint8Array(m) }) });
    if (m % 3 === 0) out.push({ tsUs: t + 1000, data: tcpFrame({ src: '10.1.0.2', dst: '10.1.0.1', sport: 80, dport: 50000 + m, flags: SYN | ACK }) });
    if (m % 5 === 0) out.push({ tsUs: t + 2000, data: tcpFrame({ src: '10.1.0.2', dst: '10.1.0.1', sport: 80, dport: 50000 + m, flags: RST | ACK }) });
    if (m % 10 === 0) out.push({ tsUs: t + 3000, data: tcpFrame({ src: '10.1.0.1', dst: '10.1.0.2', sport: 50000 + m, dport: 80, flags: FIN | ACK }) });
  }
  out.push({ tsUs: T0_US + 500, data: udpFrame({ src: '10.1.0.1', dst: '10.1.0.53', sport: 40000, dport: 53, payload: dnsMessage({ id: 1, qname: 'web.example', qtype: DNS_A }) }) });
  out.push({ tsUs: T0_US + 900, data: udpFrame({ src: '10.1.0.53', dst: '10.1.0.1', sport: 53, dport: 40000, payload: dnsMessage({ id: 1, qname: 'web.example', qtype: DNS_A, response: true, answers: [{ name: 'web.example', type: DNS_A, data: '10.1.0.2' }] }) }) });
  return out;
}

describe('queries behind the handlers', () => {
  let dir = '';
  let session: CaseSession;
  let handlers: Handlers;
  let all: TimedFrame[];
  const call = async <C extends Channel>(c: C, args: unknown): Promise<ResultOf<C>> => {
    const r = await invoke(handlers, c, args);
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.result;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-queries-'));
    all = frames();
    writePcap(path.join(dir, 'minutes.pcap'), all);
    session = new CaseSession({ casesDir: dir });
    handlers = createHandlers(session);
    // No case open: importing creates one in the cases folder, named after the capture.
    await call('capture.import', { paths: [path.join(dir, 'minutes.pcap')] });
    assert.equal(session.casePath, path.join(dir, 'minutes.flowcase'));
    await session.jobs.whenIdle();
  });
  after(async () => {
    await session?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('chooses the smallest nice bucket width that fits', () => {
    const s = 1_000_000_000n;
    assert.equal(chooseWidth(0n, 23n * s, 400).width, 100_000_000n);
    assert.equal(chooseWidth(0n, 3600n * s, 400).width, 10n * s);
    assert.equal(chooseWidth(5n, 5n, 400).width, 1000n);
    assert.equal(chooseWidth(0n, 10n * 86400n * s, 400).width, 3600n * s);
    for (const [from, to, n] of [[17n, 99n * s + 3n, 7], [1_700_000_000n * s, 1_700_000_777n * s, 400], [0n, 400n * 365n * 86400n * s, 50]] as const) {
      const { width, start } = chooseWidth(from, to, n);
      assert.ok(start <= from && from - start < width);
      assert.ok((to - start) / width + 1n <= BigInt(n), `${from}..${to} in ${n}`);
    }
  });

  it('overview: counts, span, talkers with DNS names', async () => {
    const o = await call('case.overview', {});
    assert.equal(o.status, 'complete');
    assert.equal(o.packetCount, all.length);
    assert.equal(o.firstTs, `${T0_US}000`);
    assert.equal(o.lastTs, `${T0_US + 30 * MINUTE_US + 3000}000`);
    assert.equal(o.captures[0].integrity, 'ok');
    assert.equal(o.topTalkers[0].addr, '10.1.0.1');
    const server = o.topTalkers.find((t) => t.addr === '10.1.0.2');
    assert.deepEqual(server?.names, ['web.example']);
    assert.ok(o.topTalkers.every((t, i, a) => i === 0 || a[i - 1].bytes >= t.bytes), 'ordered by bytes');
  });

  it('overview: findings most severe first', async () => {
    const w = openCase(session.casePath!);
    try {
      const ins = w.prepare(`INSERT INTO findings (kind, title, severity, confidence, start_ts_ns, end_ts_ns, explanation, evidence_total) VALUES (?, ?, ?, 0.9, 1, 2, 'x', ?)`);
      ins.run('test-low', 'low one', 'low', 1);
      ins.run('test-critical', 'critical one', 'critical', 1);
      ins.run('test-medium', 'medium one', 'medium', 1);
    } finally { w.close(); }
    const order = (await call('case.overview', {})).findings.filter((f) => f.kind.startsWith('test-')).map((f) => f.severity);
    assert.deepEqual(order, ['critical', 'medium', 'low']);
  });

  it('timeline: whole span from the stored table, every packet in its bucket', async () => {
    const t = await call('timeline.get', { metric: 'packets', dim: 'proto' });
    assert.equal(t.widthSec, 5); // 1800 s / 400 → 5 s
    const start = BigInt(t.startNs);
    const width = BigInt(t.widthNs);
    const expected = new Map<number, number>();
    for (const f of all) {
      const i = Number((BigInt(f.tsUs) * 1000n - start) / width);
      expected.set(i, (expected.get(i) ?? 0) + 1);
    }
    const got = new Map(t.points.map((p) => [p.i, p.values.reduce((a, b) => a + b, 0)]));
    assert.deepEqual([...got.entries()].sort((a, b) => a[0] - b[0]), [...expected.entries()].sort((a, b) => a[0] - b[0]));
    assert.deepEqual(t.keys.slice(0, 1), ['TCP'], 'most packets first');
  });

  it('timeline: coarse widths use the roll-ups, fine ranges count packets directly', async () => {
    const coarse = await call('timeline.get', { metric: 'packets', dim: 'tcp', buckets: 10 });
    assert.equal(coarse.widthSec, 300);
    const totals = Object.fromEntries(coarse.keys.map((k, j) => [k, coarse.points.reduce((n, p) => n + p.values[j], 0)]));
    assert.deepEqual(totals, { syn: 31, rst: 7, synack: 11, fin: 4 });
    // Two seconds around minute 10, inclusive at both ends: 401 five-ms buckets would be one too many, so 10 ms.
    const from = `${T0_US + 10 * MINUTE_US - 1_000_000}000`;
    const to = `${T0_US + 10 * MINUTE_US + 1_000_000}000`;
    const fine = await call('timeline.get', { metric: 'bytes', dim: 'tcp', from, to });
    assert.equal(fine.widthNs, '10000000');
    assert.deepEqual(fine.keys.sort(), ['fin', 'rst', 'syn']); // no SYN/ACK at minute 10 (only every third minute)
    assert.equal(fine.points.length, 1, 'minute 10 falls in one 10 ms bucket');
    assert.equal(fine.points[0].i, 100);
    assert.equal(fine.points[0].values.filter((v) => v > 0).length, 3);
  });

  it('flows and hosts sort by whitelisted columns and report totals', async () => {
    const byBytes = await call('flows.list', { sort: 'bytes', dir: 'desc', limit: 5 });
    assert.equal(byBytes.total, 32);
    const sizes = byBytes.rows.map((r) => r.origBytes + r.respBytes);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    const page2 = await call('flows.list', { sort: 'dport', dir: 'asc', limit: 10, offset: 10 });
    assert.equal(page2.rows.length, 10);
    assert.ok(page2.rows.every((r) => r.proto === 'TCP' || r.proto === 'UDP'));
    const hosts = await call('hosts.list', { sort: 'addr', dir: 'asc' });
    assert.deepEqual(hosts.rows.map((h) => h.addr), ['10.1.0.1', '10.1.0.2', '10.1.0.53']);
    assert.deepEqual(hosts.rows[1].names, ['web.example']);
    const bad = await invoke(handlers, 'hosts.list', { sort: 'addr) --' });
    assert.ok(!bad.ok && bad.error.code === 'bad-argument');
  });

  it('packet detail: tree, bytes and a not-found for unknown ids', async () => {
    const d = await call('packet.detail', { id: 1 });
    assert.equal(d.frameNo, 1);
    assert.ok(d.bytesHex && d.bytesHex.length === d.row.length * 2);
    assert.match(d.tree[0].label, /^Frame 1:/);
    const missing = await invoke(handlers, 'packet.detail', { id: 999_999 });
    assert.ok(!missing.ok && missing.error.code === 'not-found');
  });

  it('capture.import refuses missing files and folders clearly', async () => {
    const missing = await invoke(handlers, 'capture.import', { paths: [path.join(dir, 'nope.pcap')] });
    assert.ok(!missing.ok && missing.error.code === 'not-found' && /capture not found/.test(missing.error.message));
    const folder = await invoke(handlers, 'capture.import', { paths: [dir] });
    assert.ok(!folder.ok && folder.error.code === 'bad-argument' && /folder/.test(folder.error.message));
  });
});

describe('ingest jobs', () => {
  it('throttles progress, then sends done and case.changed; cancel stops a queued job', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-jobs-'));
    const session = new CaseSession({ casesDir: dir });
    try {
      const big = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'captures', 'real', 'rusticata__wireshark_samples-test.pcapng');
      const capture = fs.existsSync(big) ? big : path.join(dir, 'small.pcap');
      if (!fs.existsSync(capture)) writePcap(capture, frames());
      const seen: Array<{ at: number; event: keyof Events; payload: any }> = [];
      session.events.onAny((event, payload) => seen.push({ at: Date.now(), event, payload }));
      session.open(path.join(dir, 'jobs.flowcase'), { create: true });
      const first = session.importCaptures([capture]);
      const second = session.importCaptures([capture]);
      assert.equal(session.jobs.cancel(second), true, 'a queued job can be cancelled');
      await session.jobs.whenIdle();
      assert.equal(session.jobs.cancel(first), false, 'finished jobs cannot be cancelled');

      const progress = seen.filter((s) => s.event === 'ingest.progress' && s.payload.jobId === first);
      assert.ok(progress.length >= 2, 'at least the start and the end');
      assert.equal(progress[0].payload.phase, 'reading');
      assert.equal(progress.at(-1)!.payload.phase, 'done');
      for (let i = 1; i < progress.length; i++) {
        if (progress[i].payload.phase === progress[i - 1].payload.phase) {
          assert.ok(progress[i].at - progress[i - 1].at >= PROGRESS_INTERVAL_MS - 20, 'same-phase updates are ≥ 250 ms apart');
        }
      }
      const done = seen.filter((s) => s.event === 'ingest.done');
      assert.deepEqual(done.map((d) => [d.payload.jobId, d.payload.cancelled]).sort(), [[first, false], [second, true]]);
      assert.ok(done.find((d) => d.payload.jobId === first)!.payload.packets > 0);
      assert.ok(seen.some((s) => s.event === 'case.changed'));
    } finally {
      await session.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
