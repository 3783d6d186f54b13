/**
 * The overview never says "complete" before the detectors have finished (issue 13 point 4, browser
 * mode). The ingest runs in its worker thread exactly as in `flowcase serve`; the test pause seam holds
 * the analysing phase, and case.overview is polled from the main thread meanwhile, as the browser does.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel, ResultOf } from '../../electron/ipc/contract';
import { createHandlers, invoke, type Handlers } from '../../electron/ipc/handlers';
import { CaseSession } from '../../electron/session/case-session';
import { repoRoot } from '../support/repo-paths';

const CAPTURE = path.join(repoRoot(), 'test', 'fixtures', 'captures', 'syn-flood-443.pcap');

describe('case.overview status while a job runs', () => {
  let dir = '';
  let session: CaseSession;
  let handlers: Handlers;
  const call = async <C extends Channel>(c: C, args: unknown): Promise<ResultOf<C>> => {
    const r = await invoke(handlers, c, args);
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.result;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcase-overview-status-'));
    // Read by the ingest worker thread (it gets a copy of the environment when it starts).
    process.env.FLOWCASE_TEST_PAUSE_AT = 'analysing';
    process.env.FLOWCASE_TEST_PAUSE_MS = '1500';
    session = new CaseSession({ casesDir: dir });
    handlers = createHandlers(session);
  });
  after(async () => {
    delete process.env.FLOWCASE_TEST_PAUSE_AT;
    delete process.env.FLOWCASE_TEST_PAUSE_MS;
    await session?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says analysing (not complete) with no findings until the detectors commit, then complete with them', async () => {
    assert.ok(fs.existsSync(CAPTURE), CAPTURE);
    await call('capture.import', { paths: [CAPTURE] });
    const seen: Array<{ status: string; phase: string | undefined; findings: number; hosts: number }> = [];
    const idle = session.jobs.whenIdle().then(() => true);
    let done = false;
    void idle.then(() => { done = true; });
    while (!done) {
      const o = await call('case.overview', {});
      const last = seen[seen.length - 1];
      const now = { status: o.status, phase: o.phase, findings: o.findings.length, hosts: o.hostCount };
      if (!last || last.status !== now.status || last.phase !== now.phase || last.findings !== now.findings) seen.push(now);
      await new Promise((r) => setTimeout(r, 25));
    }
    const end = await call('case.overview', {});
    seen.push({ status: end.status, phase: end.phase, findings: end.findings.length, hosts: end.hostCount });
    const trail = JSON.stringify(seen);

    // The pause held the analysing phase for 1.5 s: the overview must have been asked meanwhile.
    assert.ok(seen.some((s) => s.phase === 'analysing' && s.status === 'analysing' && s.findings === 0), trail);
    for (const s of seen) {
      if (s.phase !== 'complete') assert.notEqual(s.status, 'complete', `status complete in phase ${s.phase}: ${trail}`);
      if (s.status === 'complete') assert.ok(s.findings > 0, `complete without findings: ${trail}`);
    }
    assert.equal(end.status, 'complete');
    assert.equal(end.phase, 'complete');
    assert.ok(end.findings.some((f) => f.kind === 'syn-flood'), trail);
  });
});
