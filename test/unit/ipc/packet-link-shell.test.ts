/**
 * The desktop shell's side of flowcase:// packet links, against a stand-in 'electron' module (no
 * Electron binary here): the scheme is registered, a macOS 'open-url' reaches the app only when the
 * shared parser accepts it, command-line links are split from files, and a new window opens on the
 * link's renderer route.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PacketLink } from '../../../renderer/src/lib/packet-link';
import { fakeElectronLoader } from '../../support/fake-electron';

const CASE = 'fedcba9876543210fedcba9876543210';
const registered: unknown[][] = [];
const appListeners = new Map<string, (...a: any[]) => void>();
const loaded: string[] = [];

class FakeBrowserWindow {
  webContents = { id: 99 };
  on() { return this; }
  once() { return this; }
  loadURL(url: string) { loaded.push(url); return Promise.resolve(); }
}

const fakeElectron = {
  app: {
    setAsDefaultProtocolClient: (...a: unknown[]) => { registered.push(a); return true; },
    on: (event: string, fn: (...a: any[]) => void) => { appListeners.set(event, fn); },
  },
  BrowserWindow: FakeBrowserWindow,
  session: { defaultSession: {} },
};

describe('packet links in the Electron shell', () => {
  const electron = fakeElectronLoader(fakeElectron);
  let links: typeof import('../../../electron/main/packet-links');
  let windows: typeof import('../../../electron/main/window-factory');

  before(() => {
    electron.install();
    links = electron.requireMain('packet-links');
    windows = electron.requireMain('window-factory');
  });
  after(() => electron.restore());

  it('registers flowcase: and passes on only links the parser accepts', () => {
    const got: PacketLink[] = [];
    links.registerPacketLinkScheme((l) => got.push(l));
    assert.equal(registered.at(-1)![0], 'flowcase');
    const openUrl = appListeners.get('open-url')!;
    let prevented = 0;
    const event = { preventDefault: () => { prevented++; } };
    openUrl(event, `flowcase://packet/42?case=${CASE}`);
    openUrl(event, 'flowcase://packet/42?case=../../x');
    openUrl(event, 'flowcase://packet/1;rm -rf');
    openUrl(event, 'https://example.com/');
    assert.equal(prevented, 4);
    assert.deepEqual(got, [{ packetId: 42, caseId: CASE }]);
  });

  it('splits command-line links from files', () => {
    const r = links.splitLinkArguments(['case.flowcase', `flowcase://packet/7?case=${CASE}`, 'FLOWCASE://packet/x', '--inspect']);
    assert.deepEqual(r.links, [{ packetId: 7, caseId: CASE }]);
    assert.deepEqual(r.rest, ['case.flowcase', '--inspect'], 'a refused link is dropped, never opened as a file');
  });

  it('opens a window on the link\'s route', () => {
    windows.createMainWindow(`#packet=7&case=${CASE}`);
    assert.equal(loaded.at(-1), `app://flowcase/index.html#packet=7&case=${CASE}`);
    windows.createMainWindow();
    assert.equal(loaded.at(-1), 'app://flowcase/index.html');
  });
});
