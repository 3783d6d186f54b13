/**
 * Electron IPC: one ipcMain.handle per contract channel, all running the shared handler table.
 * Calls are answered only for the top frame of our own windows, loaded from our own origin;
 * anything else (an iframe, a navigated-away page, devtools extensions) gets a refusal.
 * Replies are envelopes ({ok, result} | {ok:false, error}) because Electron drops the fields of
 * thrown errors; the preload unwraps them.
 */
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { ApiError } from '../ipc/api-failure';
import { CHANNELS } from '../ipc/channels';
import type { EventHub } from '../ipc/events';
import { invoke, type Handlers } from '../ipc/handlers';
import { APP_ORIGIN, CHOOSE_CAPTURES_CHANNEL, DROP_HANDLE_CHANNEL, EVENT_CHANNEL_PREFIX } from './ipc-names';
import { FileHandles, withFileHandles } from './file-handles';
import { appWebContentsIds } from './window-factory';

export const CAPTURE_FILE_FILTERS = [
  { name: 'Packet captures', extensions: ['pcap', 'pcapng', 'cap', 'dmp', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
  const frame = event.senderFrame;
  if (!frame || !appWebContentsIds.has(event.sender.id)) return false;
  if (frame !== event.sender.mainFrame) return false;
  let origin: string;
  try {
    origin = new URL(frame.url).origin;
  } catch {
    return false;
  }
  return origin === APP_ORIGIN || frame.url.startsWith(`${APP_ORIGIN}/`);
}

const REFUSED: ApiError = { code: 'bad-argument', message: 'IPC refused: the call did not come from a Flowcase window' };

export function registerIpcBridge(rawHandlers: Handlers, handles = new FileHandles()): void {
  // capture.import / capture.relocate take only handles issued below (dialog, drop), never paths.
  const handlers = withFileHandles(rawHandlers, handles);
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: REFUSED };
      return invoke(handlers, channel, args);
    });
  }
  ipcMain.on(DROP_HANDLE_CHANNEL, (event, file: unknown) => {
    event.returnValue = isTrustedSender(event) && typeof file === 'string' && file.length > 0 && file.length < 4096 ? handles.issue(file) : '';
  });
  ipcMain.handle(CHOOSE_CAPTURES_CHANNEL, async (event) => {
    if (!isTrustedSender(event)) return [];
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Open capture', properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>, filters: CAPTURE_FILE_FILTERS };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? [] : r.filePaths.map((f) => handles.issue(f));
  });
}

/** Forward every session event to our windows, each on its own channel. */
export function forwardEvents(events: EventHub, targets: () => WebContents[]): () => void {
  return events.onAny((event, payload) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL_PREFIX + event, payload);
  });
}
