import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ferryPaths } from '../src/config/ferryHome.js';
import { createFerryHost } from '../src/host/FerryHost.js';
import { Workspace } from '../src/workspace/Workspace.js';
import { registerCoreIpc } from './ipc/registerCoreIpc.js';
import { guardContents, isAppFrame, mainWindowOptions, withCsp } from './security.js';

const RENDERER_HTML = join(import.meta.dirname, '..', '..', 'renderer', 'index.html');
/** The preload and everything it imports in one CommonJS file (npm run build:preload): a sandbox loads no other. */
const PRELOAD = join(import.meta.dirname, '..', 'preload', 'index.cjs');

function createMainWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(PRELOAD));
  guardContents(window.webContents, pathToFileURL(RENDERER_HTML).href);
  window.once('ready-to-show', () => window.show());
  void window.loadFile(RENDERER_HTML);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void app.whenReady().then(() => {
    const core = createFerryHost({ workspace: new Workspace(ferryPaths()), host: 'electron', version: app.getVersion() });
    // Answers only a page served from APP_URL: the file:// page below is refused until the window is.
    const closeIpc = registerCoreIpc({ ipcMain, core, isTrustedSender: isAppFrame });
    // Quitting does not wait for the core: a transfer cut short is shown as interrupted by the history.
    app.once('will-quit', () => {
      closeIpc();
      void core.close();
    });
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: withCsp(details.responseHeaders) });
    });
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });
}
