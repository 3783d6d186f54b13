import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import path from 'node:path';
import { CHANNELS } from '../../../electron/ipc/channels';
import { EVENT_NAMES } from '../../../electron/ipc/events';

/**
 * The Electron main process cannot start here (no Electron binary), so its security settings are
 * checked against a stand-in 'electron' module: window options, navigation and new-window denial,
 * and the IPC bridge refusing calls that do not come from the app's own window.
 */
const created: Array<Record<string, any>> = [];
const handles = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>();
let nextId = 1;

class FakeBrowserWindow {
  webContents: { id: number; mainFrame: object };
  constructor(public options: Record<string, any>) {
    this.webContents = { id: nextId++, mainFrame: {} };
    created.push(options);
  }
  on() { return this; }
  once() { return this; }
  loadURL() { return Promise.resolve(); }
  static fromWebContents() { return null; }
}

const fakeElectron = {
  BrowserWindow: FakeBrowserWindow,
  session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } } },
  ipcMain: { handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) => { handles.set(channel, fn); } },
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
};

describe('Electron shell security', () => {
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  let windows: typeof import('../../../electron/main/window-factory');
  let bridge: typeof import('../../../electron/main/ipc-bridge');

  before(() => {
    mod._load = function (request, parent, isMain) {
      if (request === 'electron') return fakeElectron;
      return original.call(this, request, parent, isMain);
    };
    const main = path.join(__dirname, '..', '..', '..', 'electron', 'main');
    windows = require(path.join(main, 'window-factory.js'));
    bridge = require(path.join(main, 'ipc-bridge.js'));
  });
  after(() => { mod._load = original; });

  it('creates the window isolated, sandboxed, without Node, with the preload', () => {
    windows.createMainWindow();
    const prefs = created.at(-1)!.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
    assert.match(prefs.preload, /preload[\\/]preload\.js$/);
    // The preload learns the channel and event names from these, derived from the tables.
    assert.deepEqual(prefs.additionalArguments, [`--flowcase-channels=${CHANNELS.join(',')}`, `--flowcase-events=${EVENT_NAMES.join(',')}`]);
  });

  it('denies new windows and navigation away from the app', () => {
    const on = new Map<string, (...a: any[]) => void>();
    let openHandler: (() => { action: string }) | null = null;
    windows.hardenWebContents({ setWindowOpenHandler: (fn: () => { action: string }) => { openHandler = fn; }, on: (e: string, fn: (...a: any[]) => void) => { on.set(e, fn); } } as never);
    assert.deepEqual(openHandler!(), { action: 'deny' });
    const navigate = (url: string) => { let prevented = false; on.get('will-navigate')!({ preventDefault: () => { prevented = true; } }, url); return prevented; };
    assert.equal(navigate('https://evil.example/'), true);
    assert.equal(navigate('file:///etc/passwd'), true);
    assert.equal(navigate('app://flowcase/index.html'), false);
    let webview = false;
    on.get('will-attach-webview')!({ preventDefault: () => { webview = true; } });
    assert.equal(webview, true);
  });

  it('answers IPC only from the top frame of an app window on the app origin', async () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(CHANNELS.map((c) => [c, async () => { calls.push(c); return { fine: true }; }]));
    bridge.registerIpcBridge(handlers as never);
    assert.deepEqual([...handles.keys()].filter((c) => (CHANNELS as readonly string[]).includes(c)).sort(), [...CHANNELS].sort());
    windows.createMainWindow();
    const ourId = nextId - 1;
    const mainFrame = { url: 'app://flowcase/index.html' };
    const call = (event: unknown) => handles.get('case.overview')!(event, {});

    assert.deepEqual(await call({ sender: { id: ourId, mainFrame }, senderFrame: mainFrame }), { ok: true, result: { fine: true } });
    const refused = [
      { sender: { id: 9999, mainFrame }, senderFrame: mainFrame },                                   // not our window
      { sender: { id: ourId, mainFrame }, senderFrame: { url: 'app://flowcase/index.html' } },       // a sub-frame
      { sender: { id: ourId, mainFrame: { url: 'https://evil.example/' } }, senderFrame: null },      // no frame
    ];
    const evilTop = { url: 'https://evil.example/' };
    refused.push({ sender: { id: ourId, mainFrame: evilTop }, senderFrame: evilTop });                // navigated away
    for (const event of refused) {
      const r = await call(event) as { ok: boolean; error?: { code: string } };
      assert.equal(r.ok, false);
      assert.equal(r.error?.code, 'bad-argument');
    }
    assert.deepEqual(calls, ['case.overview'], 'refused calls never reach a handler');
  });
});
