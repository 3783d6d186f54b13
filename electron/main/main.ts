/**
 * Electron main process: the desktop shell around the same session + handler table that browser
 * mode serves. Only this folder and electron/preload import 'electron'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, webContents, type WebContents } from 'electron';
import { createHandlers } from '../ipc/handlers';
import { toApiError } from '../ipc/api-failure';
import { CaseSession } from '../session/case-session';
import { defaultRendererDir } from '../serve/static-files';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { CAPTURE_FILE_FILTERS, forwardEvents, registerIpcBridge } from './ipc-bridge';
import { buildMenu } from './menu';
import { desktopCsp } from './file-handles';
import { RecentCases } from './recent-cases';
import { registerPacketLinkScheme, splitLinkArguments } from './packet-links';
import { packetRoute, type PacketLink } from '../../renderer/src/lib/packet-link';
import { appWebContentsIds, createMainWindow, hardenSession, hardenWebContents } from './window-factory';

/**
 * better-sqlite3 is a native module: the copy in node_modules is built for Node's ABI (CLI,
 * tests, browser mode). The app loads one built for Electron's ABI by
 * build/rebuild-native-electron.js; db/open-case.ts reads this variable.
 */
function useElectronSqliteBinding(): void {
  // The override loads native code from any path: honoured only in a development build.
  if (app.isPackaged) delete process.env.FLOWCASE_SQLITE_BINDING;
  if (process.env.FLOWCASE_SQLITE_BINDING) return;
  const inApp = path.join(app.getAppPath(), 'build', 'native', 'electron', 'better_sqlite3.node');
  // Native modules cannot load from inside an asar archive; electron-builder unpacks them.
  const candidate = inApp.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  if (fs.existsSync(candidate)) process.env.FLOWCASE_SQLITE_BINDING = candidate;
  else console.warn(`Flowcase: ${candidate} not found; run \`node build/rebuild-native-electron.js\` or opening a case will fail with an ABI mismatch.`);
}

/** The files and packet links on a command line (ours at start, or a second instance's). */
function cliInputs(argv: string[]): { files: string[]; links: PacketLink[] } {
  const { links, rest } = splitLinkArguments(argv.slice(app.isPackaged ? 1 : 2));
  return { files: rest.filter((arg) => !arg.startsWith('-') && arg !== '.'), links };
}

useElectronSqliteBinding();
// Every renderer sandboxed, whatever a window's options say (must run before 'ready').
app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
  // A packet link that arrives before the window exists opens with it (as its route); later ones go to the running window.
  let pendingLink: PacketLink | null = cliInputs(process.argv).links[0] ?? null;
  let openLink: (link: PacketLink) => void = (link) => { pendingLink = link; };
  registerPacketLinkScheme((link) => openLink(link));

  void app.whenReady().then(() => {
    const csp = desktopCsp(handleAppProtocol(defaultRendererDir()));
    hardenSession(csp);

    const session = new CaseSession({
      casesDir: path.join(app.getPath('userData'), 'cases'),
      mode: process.env.FLOWCASE_INGEST_INLINE === '1' ? 'inline' : 'worker',
    });
    const handlers = createHandlers(session);
    registerIpcBridge(handlers);
    const ourContents = (): WebContents[] => webContents.getAllWebContents().filter((wc) => appWebContentsIds.has(wc.id));
    forwardEvents(session.events, ourContents);

    const recent = new RecentCases(path.join(app.getPath('userData'), 'recent-cases.json'));
    let win: BrowserWindow | null = createMainWindow(pendingLink ? packetRoute(pendingLink) : '');
    win.on('closed', () => { win = null; });
    pendingLink = null;
    openLink = (link) => {
      if (!win) {
        win = createMainWindow(packetRoute(link));
        win.on('closed', () => { win = null; });
        return;
      }
      if (win.isMinimized()) win.restore();
      win.focus();
      session.events.emit('link.packet', link);
    };

    const showError = (title: string, err: unknown) => {
      const message = toApiError(err).message;
      if (win) void dialog.showMessageBox(win, { type: 'error', title, message: title, detail: message });
      else dialog.showErrorBox(title, message);
    };
    const remember = () => {
      if (session.casePath) {
        recent.add(session.casePath);
        app.addRecentDocument(session.casePath);
      }
      refreshMenu();
    };
    const openCaptures = (paths: string[]) => {
      if (!paths.length) return;
      try {
        session.importCaptures(paths);
        remember();
      } catch (err) { showError('Could not open the capture', err); }
    };
    const openCaseFile = (file: string) => {
      try {
        session.open(file);
        remember();
      } catch (err) { showError('Could not open the case', err); }
    };
    const openInput = (input: string) => (input.endsWith('.flowcase') ? openCaseFile(input) : openCaptures([input]));

    const actions = {
      async openCapture() {
        const chosen = await dialog.showOpenDialog({ title: 'Open capture', properties: ['openFile', 'multiSelections'], filters: CAPTURE_FILE_FILTERS });
        if (!chosen.canceled) openCaptures(chosen.filePaths);
      },
      async openCase() {
        const chosen = await dialog.showOpenDialog({ title: 'Open case', properties: ['openFile'], filters: [{ name: 'Flowcase case', extensions: ['flowcase'] }] });
        if (!chosen.canceled && chosen.filePaths[0]) openCaseFile(chosen.filePaths[0]);
      },
      openRecent: openCaseFile,
      clearRecent() { recent.clear(); refreshMenu(); },
      async exportReport(format: 'md' | 'html') {
        try {
          const { content, fileName } = await handlers['report.export']({ format });
          const chosen = await dialog.showSaveDialog({ title: 'Export report', defaultPath: fileName, filters: [format === 'md' ? { name: 'Markdown', extensions: ['md'] } : { name: 'HTML', extensions: ['html'] }] });
          if (!chosen.canceled && chosen.filePath) await fs.promises.writeFile(chosen.filePath, content);
        } catch (err) { showError('Could not export the report', err); }
      },
      command(name: string) { session.events.emit('menu.command', { command: name }); },
      about() {
        void dialog.showMessageBox({ type: 'info', title: 'About Flowcase', message: `Flowcase ${app.getVersion()}`, detail: 'Offline forensic workbench for packet captures.' });
      },
    };
    const refreshMenu = () => Menu.setApplicationMenu(buildMenu(actions, recent.list(), !app.isPackaged));
    refreshMenu();

    for (const input of cliInputs(process.argv).files) openInput(path.resolve(input));
    app.on('second-instance', (_e, argv) => {
      if (win) { if (win.isMinimized()) win.restore(); win.focus(); }
      const { files, links } = cliInputs(argv);
      for (const input of files) openInput(path.resolve(input));
      for (const link of links) openLink(link);
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow();
    });
    app.on('before-quit', () => { void session.close(); });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
