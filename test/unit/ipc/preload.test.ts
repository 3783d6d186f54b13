import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import path from 'node:path';
import { CHANNELS } from '../../../electron/ipc/channels';
import { EVENT_NAMES } from '../../../electron/ipc/events';
import { CHANNELS_ARG, CHOOSE_CAPTURES_CHANNEL, EVENT_CHANNEL_PREFIX, EVENTS_ARG, preloadArguments } from '../../../electron/main/ipc-names';
import fs from 'node:fs';

/** A stand-in for the 'electron' module as a sandboxed preload sees it. */
function fakeElectron() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<{ channel: string; args: unknown }> = [];
  const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  return {
    exposed, invoked, listeners,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => { exposed[key] = api; } },
      ipcRenderer: {
        invoke: async (channel: string, args: unknown) => {
          invoked.push({ channel, args });
          if (channel === CHOOSE_CAPTURES_CHANNEL) return ['/x.pcap'];
          if (channel === 'packet.detail') return { ok: false, error: { code: 'not-found', message: 'packet 9 is not in this case' } };
          return { ok: true, result: { echo: channel } };
        },
        on: (channel: string, fn: (...a: unknown[]) => void) => { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel)!.add(fn); },
        removeListener: (channel: string, fn: (...a: unknown[]) => void) => { listeners.get(channel)?.delete(fn); },
        // The main process answers a dropped file's path with a handle (electron/main/file-handles.ts).
        sendSync: (channel: string, file: string) => (channel === 'flowcase:drop-handle' ? `fh:0:${file}` : undefined),
      },
      webUtils: { getPathForFile: (f: { fakePath: string }) => f.fakePath },
    },
  };
}

describe('preload', () => {
  const fake = fakeElectron();
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  const argv = [...process.argv];

  before(() => {
    // As Electron does with webPreferences.additionalArguments: appended to the preload's argv.
    process.argv.push(...preloadArguments());
    // The sandboxed preload may require nothing but 'electron': fail loudly if it tries.
    mod._load = function (request, parent, isMain) {
      if (request === 'electron') return fake.module;
      const from = (parent as { filename?: string } | null)?.filename ?? '';
      if (from.endsWith(`${path.sep}preload.js`)) throw new Error(`sandboxed preload must not require ${request}`);
      return original.call(this, request, parent, isMain);
    };
    require(path.join(__dirname, '..', '..', '..', 'electron', 'preload', 'preload.js'));
  });
  after(() => { mod._load = original; process.argv.splice(0, process.argv.length, ...argv); });

  it('repeats the main process\'s IPC name constants exactly', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'electron', 'preload', 'preload.js'), 'utf8');
    for (const value of [EVENT_CHANNEL_PREFIX, CHOOSE_CAPTURES_CHANNEL, CHANNELS_ARG, EVENTS_ARG]) {
      assert.ok(text.includes(`'${value}'`), `preload.js should contain '${value}'`);
    }
  });

  it('exposes exactly one method per channel, plus on/chooseCaptures/pathForFile/transport', () => {
    const api = fake.exposed.flowcase as Record<string, unknown>;
    assert.ok(api, 'window.flowcase exposed');
    assert.deepEqual(Object.keys(api).sort(), [...CHANNELS, 'chooseCaptures', 'on', 'pathForFile', 'transport'].sort());
    assert.equal(api.transport, 'electron');
    assert.equal('invoke' in api, false, 'no generic invoke');
  });

  it('each method invokes exactly its own channel and unwraps the reply', async () => {
    const api = fake.exposed.flowcase as Record<string, (a: unknown) => Promise<unknown>>;
    for (const c of CHANNELS.filter((x) => x !== 'packet.detail')) {
      fake.invoked.length = 0;
      assert.deepEqual(await api[c]({ a: 1 }), { echo: c });
      assert.deepEqual(fake.invoked, [{ channel: c, args: { a: 1 } }]);
    }
  });

  it('rejects with the ApiError object on failure', async () => {
    const api = fake.exposed.flowcase as Record<string, (a: unknown) => Promise<unknown>>;
    await assert.rejects(api['packet.detail']({ id: 9 }), (e: unknown) => {
      assert.deepEqual(e, { code: 'not-found', message: 'packet 9 is not in this case' });
      return true;
    });
  });

  it('on() accepts only known events, strips the IPC event and unsubscribes', () => {
    const api = fake.exposed.flowcase as { on: (e: string, l: (p: unknown) => void) => () => void };
    assert.throws(() => api.on('evil.channel', () => {}), /unknown event/);
    for (const name of EVENT_NAMES) {
      const got: unknown[] = [];
      const off = api.on(name, (p) => got.push(p));
      const set = fake.listeners.get(EVENT_CHANNEL_PREFIX + name)!;
      assert.equal(set.size, 1);
      for (const fn of set) fn({ sender: 'secret' }, { n: 1 });
      assert.deepEqual(got, [{ n: 1 }]);
      off();
      assert.equal(set.size, 0);
    }
  });

  it('chooseCaptures uses the dialog channel; pathForFile turns the webUtils path into a main-process handle', async () => {
    const api = fake.exposed.flowcase as { chooseCaptures: () => Promise<string[]>; pathForFile: (f: object) => string };
    assert.deepEqual(await api.chooseCaptures(), ['/x.pcap']);
    assert.equal(api.pathForFile({ fakePath: '/drop/a.pcapng' }), 'fh:0:/drop/a.pcapng', 'the page gets the handle, not the path');
    assert.equal(api.pathForFile({ fakePath: '' }), '', 'a File that is not a dropped file has no handle');
  });
});
