import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CaseSession } from '../../electron/session/case-session';
import { createHandlers, invoke } from '../../electron/ipc/handlers';
import { repoRoot, tempDir } from '../support/repo-paths';
import { runCli } from '../support/run-cli';

/** The app's session: annotations through the handlers, and another process's change noticed. */
test('handlers annotate through the session; a CLI change elsewhere becomes case.changed, our own does not', async () => {
  const work = tempDir('flowcase-session-writes-');
  const casePath = path.join(work, 'ping.flowcase');
  const capture = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'icmp-ping-normal.pcap');
  assert.equal((await runCli(['index', capture, '-o', casePath, '--no-detect'])).code, 0);
  const session = new CaseSession({ casesDir: work, detect: false });
  try {
    session.open(casePath);
    const handlers = createHandlers(session);
    const changed: string[] = [];
    session.events.on('case.changed', (e) => changed.push(e.casePath));

    const added = await invoke(handlers, 'annotations.add', { target: { kind: 'packet', packetId: 2 }, text: 'from the app', tags: ['suspicious'] });
    assert.ok(added.ok, JSON.stringify(added));
    session.pollExternalChanges();
    assert.deepEqual(changed, [], 'our own write does not echo back');

    const bad = await invoke(handlers, 'annotations.add', { target: { kind: 'packet', packetId: 999 }, text: 'x' });
    assert.deepEqual(bad, { ok: false, error: { code: 'not-found', message: 'packet 999 is not in this case' } });
    const tooLong = await invoke(handlers, 'annotations.add', { target: { kind: 'case' }, text: 'x'.repeat(70_000) });
    assert.equal(tooLong.ok, false);
    assert.match(!tooLong.ok ? tooLong.error.message : '', /too long \(70000 characters; the limit is 65536\)/);

    const cli = await runCli(['annotate', casePath, '--packet', '4', '--note', 'from the CLI'], { env: { ...process.env, FLOWCASE_ANALYST: 'other' } });
    assert.equal(cli.code, 0, cli.stderr);
    session.pollExternalChanges();
    assert.deepEqual(changed, [casePath]);
    const list = await invoke(handlers, 'annotations.list', {});
    assert.ok(list.ok);
    assert.deepEqual(list.ok && list.result.map((a) => [a.text, a.author]), [['from the app', list.ok ? list.result[0].author : ''], ['from the CLI', 'other']]);
    const status = await invoke(handlers, 'custody.status', {});
    assert.ok(status.ok && status.result.state === 'verified');
    const rows = await invoke(handlers, 'packets.page', { limit: 5 });
    assert.ok(rows.ok);
    assert.deepEqual(rows.ok && rows.result.rows.filter((r) => r.annotated).map((r) => [r.id, r.annotationCount, r.annotationTags]), [[2, 1, ['suspicious']], [4, 1, []]]);
  } finally {
    await session.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
