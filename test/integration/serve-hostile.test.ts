import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/serve/server';
import { CaseSession } from '../../electron/session/case-session';
import { writePcap } from '../support/pcap-writer';
import { udpFrame, dnsMessage } from '../support/packet-builder';
import { tempDir } from '../support/repo-paths';

/** Issue 12, findings 9 and 11: hostile clients and failed uploads cannot crash or litter browser mode. */

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const frames = (n: number) => Array.from({ length: n }, (_, i) => ({
  tsUs: 1_700_000_000_000_000 + i * 1000,
  data: udpFrame({ src: '10.0.0.5', dst: '10.0.0.53', sport: 5000 + i, dport: 53, payload: dnsMessage({ id: i, qname: 'example.org', qtype: 1 }) }),
}));

describe('browser mode under hostile input', () => {
  const dir = tempDir();
  const renderer = path.join(dir, 'renderer');
  let server: RunningServer;
  const api = (route: string, body: Buffer | string, query = '') => request(server.port, { method: 'POST', path: `/api/${route}${query}`, body, headers: { 'X-Flowcase-Token': server.token } });

  before(async () => {
    fs.mkdirSync(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    server = await startServer({ casePath: path.join(dir, 'c.flowcase'), rendererDir: renderer, maxUploadBytes: 1 << 20, maxUploadTotalBytes: 40_000, session: new CaseSession({ detect: false, mode: 'inline' }) });
  });
  after(async () => { await server.close(); await server.session.close(); });

  const alive = async () => assert.equal((await request(server.port, { path: '/index.html' })).status, 200, 'the server still answers');

  for (const [what, send] of [
    ['a frame over 64 KiB', (ws: WebSocket) => ws.send(Buffer.alloc(70 * 1024, 0x61))],
    ['a text frame with invalid UTF-8', (ws: WebSocket) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })],
  ] as const) {
    it(`a WebSocket client sending ${what} is dropped; the server survives`, async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
      ws.on('error', () => { /* the server closes us */ });
      await new Promise((resolve) => ws.once('open', resolve));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      send(ws);
      assert.ok([1007, 1009, 1006].includes(await closed));
      await alive();
    });
  }

  it('a static file removed while requests are in flight answers 404 or 200, never a crash', async () => {
    const file = path.join(renderer, 'flaky.js');
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; i < 200; i++) {
      fs.writeFileSync(file, 'x'.repeat(64 * 1024));
      pending.push(request(server.port, { path: '/flaky.js' }).then((r) => assert.ok([200, 404].includes(r.status), String(r.status)), () => { /* a reset is fine */ }));
      if (i % 2) fs.rmSync(file, { force: true });
    }
    await Promise.all(pending);
    await alive();
  });

  it('two same-name uploads at once get two files; a failed import leaves no file and no capture row', async () => {
    const a = path.join(dir, 'a.pcap'), b = path.join(dir, 'b.pcap');
    writePcap(a, frames(3));
    writePcap(b, frames(5));
    const [ra, rb] = await Promise.all([api('upload', fs.readFileSync(a), '?name=same.pcap'), api('upload', fs.readFileSync(b), '?name=same.pcap')]);
    assert.equal(ra.status, 200, ra.body);
    assert.equal(rb.status, 200, rb.body);
    const pa = JSON.parse(ra.body).path as string, pb = JSON.parse(rb.body).path as string;
    assert.notEqual(pa, pb);
    assert.deepEqual([fs.statSync(pa).size, fs.statSync(pb).size].sort(), [fs.statSync(a).size, fs.statSync(b).size].sort(), 'neither upload replaced the other');
    assert.equal(fs.statSync(pa).mode & 0o777, 0o600);
    await server.session.jobs.whenIdle();

    const bad = await api('upload', 'this is not a capture\n'.repeat(10), '?name=notes.pcap');
    assert.equal(bad.status, 200, bad.body);
    const badPath = JSON.parse(bad.body).path as string;
    await server.session.jobs.whenIdle();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fs.existsSync(badPath), false, 'the failed upload is deleted');
    const o = JSON.parse((await api('case.overview', '{}')).body) as { status: string; captures: Array<{ name: string; status: string }> };
    assert.deepEqual(o.captures.map((c) => c.status), ['complete', 'complete'], 'no failed capture row');
    assert.equal(o.status, 'complete');
    assert.equal(fs.readdirSync(path.dirname(pa)).filter((f) => f.endsWith('.partial')).length, 0);
  });

  it('the total upload size of a run is capped', async () => {
    const big = Buffer.alloc(25_000, 0x61);
    assert.equal((await api('upload', big, '?name=big.pcap')).status, 200, 'under the total');
    await server.session.jobs.whenIdle();
    const r = await api('upload', big, '?name=big2.pcap');
    assert.equal(r.status, 413, r.body);
    assert.match(r.body, /total upload limit/);
    await alive();
  });

  it('a .flowcase given to capture.import is opened as a case, not imported', async () => {
    const other = path.join(dir, 'other.flowcase');
    const s2 = new CaseSession({ detect: false, mode: 'inline' });
    const cap = path.join(dir, 'o.pcap');
    writePcap(cap, frames(2));
    s2.open(other, { create: true });
    s2.importCaptures([cap]);
    await s2.jobs.whenIdle();
    await s2.close();
    const r = await api('capture.import', JSON.stringify({ paths: [other] }));
    assert.equal(r.status, 200, r.body);
    assert.equal(server.session.casePath, other);
    const o = JSON.parse((await api('case.overview', '{}')).body) as { captures: Array<{ name: string }> };
    assert.deepEqual(o.captures.map((c) => c.name), ['o.pcap'], 'the case is open; it is not listed as evidence');
  });
});
