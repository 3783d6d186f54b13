/**
 * Browser mode end to end over real sockets: a small capture is indexed into a case, then the
 * server is probed the way a hostile page or a confused user would.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/serve/server';
import { writePcap } from '../support/pcap-writer';
import { ACK, SYN, tcpFrame, udpFrame, dnsMessage } from '../support/packet-builder';

const T0 = 1_700_000_000_000_000; // µs

function fixtureFrames() {
  const frames = [];
  for (let i = 0; i < 20; i++) {
    frames.push({ tsUs: T0 + i * 1000, data: tcpFrame({ src: '10.0.0.5', dst: '10.0.0.9', sport: 40000 + i, dport: 443, flags: SYN, seq: 1000 + i }) });
  }
  frames.push({ tsUs: T0 + 25_000, data: tcpFrame({ src: '10.0.0.9', dst: '10.0.0.5', sport: 443, dport: 40000, flags: SYN | ACK, seq: 5, ack: 1001 }) });
  frames.push({ tsUs: T0 + 30_000, data: udpFrame({ src: '10.0.0.5', dst: '10.0.0.53', sport: 5353, dport: 53, payload: dnsMessage({ id: 7, qname: 'example.org', qtype: 1 }) }) });
  return frames;
}

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string; json: () => any }

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

describe('browser-mode server security', () => {
  let dir = '';
  let capture = '';
  let server: RunningServer;
  let port = 0;
  const api = (channel: string, args: unknown, headers: Record<string, string> = {}) => request(port, {
    method: 'POST', path: `/api/${channel}`, body: JSON.stringify(args),
    headers: { 'Content-Type': 'application/json', 'X-Flowcase-Token': server.token, ...headers },
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-serve-'));
    capture = path.join(dir, 'small.pcap');
    writePcap(capture, fixtureFrames());
    const renderer = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'"><script type="module" src="/assets/app.js"></script>`);
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
    server = await startServer({ casePath: path.join(dir, 'small.flowcase'), capturePaths: [capture], rendererDir: renderer, host: '127.0.0.1', maxUploadBytes: 1 << 20 });
    port = server.port;
    await server.session.jobs.whenIdle();
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a 127.0.0.1 URL carrying the token and indexes the capture', async () => {
    assert.equal(server.url, `http://127.0.0.1:${port}/?token=${server.token}`);
    const r = await api('case.overview', {});
    assert.equal(r.status, 200);
    assert.equal(r.json().packetCount, 22);
    assert.equal(r.json().captures[0].integrity, 'ok');
  });

  it('requires the token on every /api request', async () => {
    const none = await request(port, { method: 'POST', path: '/api/case.overview', body: '{}' });
    assert.equal(none.status, 401);
    const wrong = await api('case.overview', {}, { 'X-Flowcase-Token': 'A'.repeat(32) });
    assert.equal(wrong.status, 401);
    const unknownNoToken = await request(port, { method: 'POST', path: '/api/no.such', body: '{}' });
    assert.equal(unknownNoToken.status, 401);
    const uploadNoToken = await request(port, { method: 'POST', path: '/api/upload?name=x.pcap', body: 'x' });
    assert.equal(uploadNoToken.status, 401);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`]) {
      const r = await api('case.overview', {}, { Host: host });
      assert.equal(r.status, 403, host);
    }
    const page = await request(port, { path: '/', headers: { Host: 'evil.example' } });
    assert.equal(page.status, 403);
    const ok = await api('case.overview', {}, { Host: `localhost:${port}` });
    assert.equal(ok.status, 200);
  });

  it('refuses a foreign Origin (CSRF) even with the token', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const r = await api('case.overview', {}, { Origin: origin });
      assert.equal(r.status, 403, origin);
    }
    const same = await api('case.overview', {}, { Origin: `http://127.0.0.1:${port}` });
    assert.equal(same.status, 200);
  });

  it('listens on 127.0.0.1 only', async () => {
    await assert.rejects(startServer({ host: '0.0.0.0' as '127.0.0.1' }), /only listens on 127\.0\.0\.1/);
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      await assert.rejects(new Promise((resolve, reject) => {
        const req = http.request({ host: external.address, port, path: '/', timeout: 2000 }, resolve);
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.end();
      }), /ECONNREFUSED|timeout|EHOSTUNREACH/);
    }
  });

  it('refuses WebSocket upgrades without the token, from a foreign Origin, or on another path', async () => {
    const attempt = (url: string, origin?: string) => new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers: origin ? { Origin: origin } : {} });
      ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
      ws.on('open', () => { resolve(101); ws.close(); });
      ws.on('error', () => resolve(-1));
    });
    const base = `ws://127.0.0.1:${port}`;
    assert.equal(await attempt(`${base}/api/events`), 401);
    assert.equal(await attempt(`${base}/api/events?token=wrong`), 401);
    assert.equal(await attempt(`${base}/api/events?token=${server.token}`, 'http://evil.example'), 403);
    assert.equal(await attempt(`${base}/elsewhere?token=${server.token}`), 404);
    assert.equal(await attempt(`${base}/api/events?token=${server.token}`, `http://127.0.0.1:${port}`), 101);
  });

  it('pushes {event, payload} messages to an authorised socket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${server.token}`);
    await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
    const got = new Promise<any>((resolve) => ws.on('message', (m) => resolve(JSON.parse(m.toString()))));
    server.session.events.emit('case.changed', { casePath: 'x' });
    assert.deepEqual(await got, { event: 'case.changed', payload: { casePath: 'x' } });
    ws.close();
  });

  it('refuses path traversal and serves nothing outside the renderer', async () => {
    for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/..%5c..%5cetc/passwd']) {
      const r = await request(port, { path: p });
      assert.ok(r.status === 400 || r.status === 404, `${p} → ${r.status}`);
      assert.doesNotMatch(r.body, /root:/);
    }
    assert.equal((await request(port, { path: '/%2e%2e/%2e%2e/etc/passwd' })).status, 400);
  });

  it('serves the renderer with content types and security headers; index is never cached', async () => {
    const index = await request(port, { path: `/?token=${server.token}` });
    assert.equal(index.status, 200);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(index.headers['content-security-policy'], "default-src 'self'; script-src 'self'; frame-ancestors 'none'");
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['cache-control'], 'no-store');
    assert.equal(index.headers['referrer-policy'], 'no-referrer');
    const js = await request(port, { path: '/assets/app.js' });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await request(port, { method: 'DELETE', path: '/' })).status, 405);
  });

  it('answers bad requests with a clear ApiError', async () => {
    const bad = await api('packets.page', { limit: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().code, 'bad-argument');
    assert.match(bad.json().message, /'limit'/);
    const extra = await api('packets.page', { evil: 1 });
    assert.equal(extra.status, 400);
    assert.match(extra.json().message, /unknown argument 'evil'/);
    const unknown = await api('packets.delete', {});
    assert.equal(unknown.status, 404);
    const proto = await api('__proto__', {});
    assert.equal(proto.status, 404);
    const notJson = await request(port, { method: 'POST', path: '/api/packets.page', body: '{"limit":', headers: { 'X-Flowcase-Token': server.token } });
    assert.equal(notJson.status, 400);
    assert.match(notJson.json().message, /not valid JSON/);
    const huge = await request(port, { method: 'POST', path: '/api/filter.check', body: JSON.stringify({ filter: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'X-Flowcase-Token': server.token } });
    assert.equal(huge.status, 413);
    assert.equal(huge.json().code, 'bad-argument');
    const get = await request(port, { path: '/api/case.overview', headers: { 'X-Flowcase-Token': server.token } });
    assert.equal(get.status, 405);
    const badFilter = await api('packets.count', { filter: 'tcp.flags.syn == ' });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.json().code, 'bad-filter');
    assert.equal(typeof badFilter.json().position, 'number');
  });

  it('counts what a display filter matches', async () => {
    const r = await api('packets.count', { filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 0' });
    assert.equal(r.status, 200);
    assert.equal(r.json().count, 20);
  });

  it('keeps the case intact when the source capture goes missing or changes, and relocates only to the same file', async () => {
    const before = await api('packet.detail', { id: 1 });
    assert.equal(before.status, 200);
    const original = fs.readFileSync(capture);
    // pcap: 24-byte global header + 16-byte record header, then frame 1's bytes.
    assert.equal(before.json().bytesHex.slice(0, 28), original.subarray(40, 54).toString('hex'));
    assert.ok(before.json().tree.length >= 2, 'decoded layers');

    const moved = path.join(dir, 'moved.pcap');
    fs.renameSync(capture, moved);
    const overview = (await api('case.overview', {})).json();
    assert.equal(overview.captures[0].integrity, 'missing');
    assert.match(overview.captures[0].integrityDetail, /capture missing — relocate it/);
    assert.equal(overview.packetCount, 22, 'nothing indexed is lost');
    const detail = (await api('packet.detail', { id: 1 })).json();
    assert.equal(detail.bytesHex, null);
    assert.match(detail.bytesError, /capture missing — relocate it/);
    assert.equal(detail.row.id, 1);
    assert.equal((await api('packets.count', {})).json().count, 22);

    // Same size, different content: the hash check catches it.
    const tampered = Buffer.from(original);
    tampered[60] ^= 0xff;
    fs.writeFileSync(capture, tampered);
    fs.utimesSync(capture, new Date(), new Date(Date.now() + 5000));
    const changed = (await api('case.overview', {})).json();
    assert.equal(changed.captures[0].integrity, 'changed');
    assert.match(changed.captures[0].integrityDetail, /SHA-256/);
    assert.match((await api('packet.detail', { id: 1 })).json().bytesError, /capture changed/);

    const refused = await api('capture.relocate', { captureId: 1, path: capture });
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'source-changed');
    assert.match(refused.json().message, /Refusing to relocate small\.pcap/);
    const missing = await api('capture.relocate', { captureId: 1, path: path.join(dir, 'nope.pcap') });
    assert.equal(missing.status, 404);

    const relocated = await api('capture.relocate', { captureId: 1, path: moved });
    assert.equal(relocated.status, 200);
    assert.equal(relocated.json().integrity, 'ok');
    assert.equal(relocated.json().path, moved);
    assert.equal((await api('packet.detail', { id: 1 })).json().bytesHex, before.json().bytesHex);
  });

  it('accepts an upload into a folder beside the case under a safe name, and imports it', async () => {
    // A different capture: the same bytes again would be refused as a duplicate (same SHA-256).
    const other = path.join(dir, 'other.pcap');
    writePcap(other, fixtureFrames().slice(1));
    const body = fs.readFileSync(other);
    const r = await request(port, { method: 'POST', path: '/api/upload?name=..%2F..%2Fevil.pcap', body, headers: { 'X-Flowcase-Token': server.token, 'Content-Type': 'application/octet-stream' } });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json().path, path.join(dir, 'small-uploads', 'evil.pcap'));
    await server.session.jobs.whenIdle();
    const o = (await api('case.overview', {})).json();
    assert.equal(o.captures.length, 2);
    assert.equal(o.packetCount, 43);
    const tooBig = await request(port, { method: 'POST', path: '/api/upload?name=big.pcap', body: Buffer.alloc((1 << 20) + 1), headers: { 'X-Flowcase-Token': server.token } });
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.json().message, /limit/);
    assert.equal(fs.readdirSync(path.join(dir, 'small-uploads')).some((f) => f.startsWith('big')), false, 'partial upload removed');
  });
});
