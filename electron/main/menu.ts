/**
 * The application menu. File actions run in the main process (dialogs, opening cases); view and
 * navigation items are sent to the renderer as 'menu.command' events so the UI stays in charge.
 */
import path from 'node:path';
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openCapture(): void;
  openCase(): void;
  openRecent(casePath: string): void;
  clearRecent(): void;
  exportReport(format: 'md' | 'html'): void;
  /** Forwarded to the renderer as a 'menu.command' event. */
  command(name: string): void;
  about(): void;
}

export function buildMenu(actions: MenuActions, recent: string[], devTools: boolean): Menu {
  const isMac = process.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((p) => ({ label: `${path.basename(p)} — ${path.dirname(p)}`, click: () => actions.openRecent(p) }))
    : [{ label: 'No recent cases', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Capture…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCapture() },
        { label: 'Open Case…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openCase() },
        { label: 'Open Recent', submenu: [...recentItems, { type: 'separator' }, { label: 'Clear Recent', enabled: recent.length > 0, click: () => actions.clearRecent() }] },
        { type: 'separator' },
        {
          label: 'Export Report…',
          submenu: [
            { label: 'Markdown…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportReport('md') },
            { label: 'HTML…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportReport('html') },
          ],
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Find (display filter)', accelerator: 'CmdOrCtrl+F', click: () => actions.command('find') },
        { label: 'Go to Packet…', accelerator: 'CmdOrCtrl+G', click: () => actions.command('goto') },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Overview', accelerator: 'CmdOrCtrl+1', click: () => actions.command('view-overview') },
        { label: 'Timeline', accelerator: 'CmdOrCtrl+2', click: () => actions.command('view-timeline') },
        { label: 'Packets', accelerator: 'CmdOrCtrl+3', click: () => actions.command('view-packets') },
        { label: 'Conversations', accelerator: 'CmdOrCtrl+4', click: () => actions.command('view-conversations') },
        { label: 'Endpoints', accelerator: 'CmdOrCtrl+5', click: () => actions.command('view-endpoints') },
        { label: 'Findings', accelerator: 'CmdOrCtrl+6', click: () => actions.command('view-findings') },
        { type: 'separator' },
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(devTools ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts', click: () => actions.command('help-shortcuts') },
        { label: 'About Flowcase', click: () => actions.about() },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
