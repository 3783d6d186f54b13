import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentTypeFor, FALLBACK_CSP, headerCsp, rendererCsp, resolveStatic } from '../../../electron/serve/static-files';
import { hostAllowed, newToken, originAllowed, tokenMatches } from '../../../electron/serve/request-guards';
import { safeUploadName } from '../../../electron/serve/upload';

describe('resolveStatic', () => {
  let root = '';
  let outside = '';
  before(() => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-static-'));
    root = path.join(base, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; connect-src \'self\'">');
    fs.writeFileSync(path.join(root, 'assets', 'app-1.js'), '1');
    fs.writeFileSync(path.join(root, '.secret'), 'x');
    outside = path.join(base, 'secret.txt');
    fs.writeFileSync(outside, 'do not serve');
    fs.symlinkSync(outside, path.join(root, 'link.txt'));
  });
  after(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

  it('serves index for / and files under the root', () => {
    const idx = resolveStatic(root, '/');
    assert.ok(idx.ok && idx.isIndex && idx.file.endsWith('index.html'));
    const js = resolveStatic(root, '/assets/app-1.js');
    assert.ok(js.ok && !js.isIndex);
  });

  it('refuses traversal in every spelling', () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt', '/..\\secret.txt', '/a%00.js', '/C:/x', '/%']) {
      const r = resolveStatic(root, p);
      assert.equal(r.ok, false, p);
      if (!r.ok) assert.equal(r.status, 400, p);
    }
  });

  it('does not follow a symlink out of the root, nor serve dot-files or missing files', () => {
    for (const p of ['/link.txt', '/.secret', '/nope.js', '/assets']) {
      const r = resolveStatic(root, p);
      assert.equal(r.ok, false, p);
      if (!r.ok) assert.equal(r.status, 404, p);
    }
  });

  it('takes the CSP from the renderer meta tag, adds frame-ancestors for the header', () => {
    assert.equal(rendererCsp(root), "default-src 'self'; connect-src 'self'");
    assert.equal(headerCsp(rendererCsp(root)), "default-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    assert.equal(rendererCsp(path.join(root, 'missing')), FALLBACK_CSP);
  });

  it('knows the content types', () => {
    assert.equal(contentTypeFor('a.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('a.CSS'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('x.unknown'), 'application/octet-stream');
  });
});

describe('request guards', () => {
  it('allows only 127.0.0.1:PORT and localhost:PORT as Host', () => {
    assert.ok(hostAllowed('127.0.0.1:8080', 8080));
    assert.ok(hostAllowed('localhost:8080', 8080));
    for (const h of [undefined, '', 'evil.example', 'evil.example:8080', '127.0.0.1', '127.0.0.1:8081', 'localhost.evil.example:8080', '0.0.0.0:8080', '[::1]:8080']) {
      assert.equal(hostAllowed(h, 8080), false, String(h));
    }
  });

  it('allows a missing Origin or our own only', () => {
    assert.ok(originAllowed(undefined, 9));
    assert.ok(originAllowed('http://127.0.0.1:9', 9));
    assert.ok(originAllowed('http://localhost:9', 9));
    for (const o of ['null', 'http://evil.example', 'http://127.0.0.1:10', 'https://127.0.0.1:9', 'file://']) assert.equal(originAllowed(o, 9), false, o);
  });

  it('makes 32-character base64url tokens and compares them exactly', () => {
    const t = newToken();
    assert.match(t, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(newToken(), t);
    assert.ok(tokenMatches(t, t));
    assert.equal(tokenMatches(t.slice(1), t), false);
    assert.equal(tokenMatches(undefined, t), false);
    assert.equal(tokenMatches([t], t), false);
  });

  it('sanitises upload names', () => {
    assert.equal(safeUploadName('../../etc/passwd'), 'passwd');
    assert.equal(safeUploadName('C:\\evil\\dump.pcapng'), 'dump.pcapng');
    assert.equal(safeUploadName('my capture (1).pcap'), 'my_capture__1_.pcap');
    assert.equal(safeUploadName('...hidden.pcap'), 'hidden.pcap');
    assert.throws(() => safeUploadName('..'), /not a usable file name/);
    assert.throws(() => safeUploadName(''), /not a usable file name/);
  });
});
