import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { guardContents, mainWindowOptions, withCsp } from './security.js';

const RENDERER_HTML = join(import.meta.dirname, '..', '..', 'renderer', 'index.html');

function createMainWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '..', 'preload', 'index.js')));
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
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: withCsp(details.responseHeaders) });
    });
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });
}
