/**
 * The app window, locked down: isolated, sandboxed preload, no Node in the page, web security on,
 * no new windows, no navigation away from the app, no <webview>, no permissions.
 */
import path from 'node:path';
import { BrowserWindow, session, type WebContents } from 'electron';
import { APP_ORIGIN, preloadArguments } from './ipc-names';

/** webContents ids of our windows: IPC is answered only for these. */
export const appWebContentsIds = new Set<number>();

/** `route`: a checked renderer route such as #packet=12&case=… (packet-links.ts), or ''. */
export function createMainWindow(route = ''): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Flowcase',
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: path.join(__dirname, '..', 'preload', 'preload.js'),
      additionalArguments: preloadArguments(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  const id = win.webContents.id;
  appWebContentsIds.add(id);
  win.on('closed', () => appWebContentsIds.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html${route}`);
  return win;
}

/** Applied to every webContents the app ever creates (windows, devtools, anything else). */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    // Reloading the app page itself is fine; anything else (a link, a dropped file) is not.
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Frames (iframes included) never navigate: the app has none, and a planted one must not load anything.
  contents.on('will-frame-navigate', (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => {
    if (!event.isMainFrame || !event.url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
}

/** Session-wide defences: CSP on every response, every permission request denied. */
export function hardenSession(csp: string): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } });
  });
}
