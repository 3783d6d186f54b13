import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../../../electron/ipc/channels';
import { EVENT_NAMES } from '../../../electron/ipc/events';
import { fakeElectronLoader } from '../../support/fake-electron';

/**
 * The Electron main process cannot start here (no Electron binary), so its security settings are
 * checked against a stand-in 'electron' module: window options, navigation and new-window denial,
 * and the IPC bridge refusing calls that do not come from the app's own window.
 */
const created: Array<Record<string, any>> = [];
const handles = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>();
const listeners = new Map<string, (event: unknown, args: unknown) => void>();
let nextId = 1;
let dialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };

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

const fakeElectron: Record<string, unknown> = {
  BrowserWindow: FakeBrowserWindow,
  session: { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, webRequest: { onHeadersReceived() {} } } },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) => { handles.set(channel, fn); },
    on: (channel: string, fn: (event: unknown, args: unknown) => void) => { listeners.set(channel, fn); },
  },
  dialog: { showOpenDialog: async () => dialogAnswer },
};

describe('Electron shell security', () => {
  const electron = fakeElectronLoader(fakeElectron);
  let windows: typeof import('../../../electron/main/window-factory');
  let bridge: typeof import('../../../electron/main/ipc-bridge');

  before(() => {
    electron.install();
    windows = electron.requireMain('window-factory');
    bridge = electron.requireMain('ipc-bridge');
  });
  after(() => electron.restore());

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

  it('finding 12: the renderer names files only through handles from the dialog or a drop', async () => {
    const seen: unknown[] = [];
    const handlers = Object.fromEntries(CHANNELS.map((c) => [c, async (args: unknown) => { seen.push(args); return { jobId: 1 }; }]));
    handles.clear();
    bridge.registerIpcBridge(handlers as never);
    windows.createMainWindow();
    const mainFrame = { url: 'app://flowcase/index.html' };
    const ours = { sender: { id: nextId - 1, mainFrame }, senderFrame: mainFrame };
    const imp = (paths: unknown[]) => handles.get('capture.import')!(ours, { paths }) as Promise<{ ok: boolean; error?: { message: string } }>;

    const raw = await imp(['/etc/shadow']);
    assert.equal(raw.ok, false, 'a raw path is refused');
    assert.match(raw.error!.message, /not a file handle/);
    const relocate = await handles.get('capture.relocate')!(ours, { captureId: 1, path: '/etc/shadow' }) as { ok: boolean };
    assert.equal(relocate.ok, false);
    assert.equal(seen.length, 0, 'the handler never saw the path');

    dialogAnswer = { canceled: false, filePaths: ['/evidence/dump.pcap'] };
    const chosen = await handles.get('flowcase:choose-captures')!(ours, undefined) as string[];
    assert.equal(chosen.length, 1);
    assert.match(chosen[0], /^fh:[0-9a-f]{32}:dump\.pcap$/, 'a handle, not the path');
    assert.equal((await imp(chosen)).ok, true);
    assert.deepEqual(seen.at(-1), { paths: ['/evidence/dump.pcap'] });

    const drop = { ...ours, returnValue: undefined as unknown };
    listeners.get('flowcase:drop-handle')!(drop, '/evidence/dropped.pcapng');
    assert.match(String(drop.returnValue), /^fh:[0-9a-f]{32}:dropped\.pcapng$/);
    assert.equal((await imp([drop.returnValue])).ok, true);
    const foreign = { sender: { id: 9999, mainFrame }, senderFrame: mainFrame, returnValue: undefined as unknown };
    listeners.get('flowcase:drop-handle')!(foreign, '/etc/shadow');
    assert.equal(foreign.returnValue, '', 'no handle for a window that is not ours');
  });

  it('finding 12: frames never navigate; the desktop CSP has no WebSocket allowance', async () => {
    const on = new Map<string, (...a: any[]) => void>();
    windows.hardenWebContents({ setWindowOpenHandler: () => {}, on: (e: string, fn: (...a: any[]) => void) => { on.set(e, fn); } } as never);
    const frameNav = (url: string, isMainFrame: boolean) => { let prevented = false; on.get('will-frame-navigate')!({ url, isMainFrame, preventDefault: () => { prevented = true; } }); return prevented; };
    assert.equal(frameNav('https://evil.example/', false), true);
    assert.equal(frameNav('app://flowcase/index.html', false), true, 'no sub-frame navigates, even to the app');
    assert.equal(frameNav('https://evil.example/', true), true);
    assert.equal(frameNav('app://flowcase/index.html', true), false);
    const { desktopCsp } = electron.requireMain<typeof import('../../../electron/main/file-handles')>('file-handles');
    const csp = desktopCsp("default-src 'self'; connect-src 'self' ws://127.0.0.1:* wss://127.0.0.1:*; object-src 'none'");
    assert.equal(csp, "default-src 'self'; connect-src 'self'; object-src 'none'");
  });

  it('finding 12: app.enableSandbox() before ready; the native-binding override only when not packaged', () => {
    const calls: string[] = [];
    Object.assign(fakeElectron, {
      app: {
        isPackaged: true,
        getAppPath: () => '/nonexistent-app',
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => { calls.push('lock'); return false; },
        quit: () => calls.push('quit'),
        whenReady: () => { calls.push('whenReady'); return new Promise(() => {}); },
        on: () => {},
      },
      protocol: { registerSchemesAsPrivileged: () => calls.push('scheme') },
    });
    process.env.FLOWCASE_SQLITE_BINDING = '/tmp/evil/better_sqlite3.node';
    const warn = console.warn;
    console.warn = () => {};
    try {
      electron.requireMain('main');
    } finally {
      console.warn = warn;
    }
    assert.notEqual(process.env.FLOWCASE_SQLITE_BINDING, '/tmp/evil/better_sqlite3.node', 'a packaged app ignores the override');
    delete process.env.FLOWCASE_SQLITE_BINDING;
    assert.ok(calls.includes('enableSandbox'));
    assert.ok(calls.indexOf('enableSandbox') < calls.indexOf('lock'), 'before anything else starts');
  });
});
