import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, screen, session, Tray, type NativeImage } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ferryPaths } from '../src/config/ferryHome.js';
import { defaultRendererFolder, ferryPackageFolder } from '../src/host/http/ferryPackage.js';
import { openDesktopServices } from './background/desktopServices.js';
import { desktopSecrets } from './secrets/desktopSecrets.js';
import { SafeStorageSecretStore } from './secrets/SafeStorageSecretStore.js';
import { loginItem } from './shell/loginItem.js';
import { startDesktopShell } from './shell/startDesktopShell.js';
import { windowBoundsFile } from './shell/windowBounds.js';

const APP_FOLDER = ferryPackageFolder();
/** The preload and everything it imports in one CommonJS file (npm run build:preload): a sandbox loads no other. */
const PRELOAD = join(APP_FOLDER, 'out', 'preload', 'index.cjs');
const RENDERER = defaultRendererFolder();

const warn = (message: string): void => console.error(`Ferry: ${message}`);
const paths = ferryPaths(process.env);

const keychain = new SafeStorageSecretStore({
  file: join(paths.home, 'desktop-secrets.json'),
  safeStorage,
  platform: process.platform,
  allowWithoutKeyring: async () => {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'No keyring',
      message: 'This computer has no keyring running, so Ferry cannot lock passwords with your login.',
      detail:
        'Without a keyring (GNOME Keyring or KWallet), passwords are kept with a key that anyone who can read your files can use. ' +
        'Start a keyring and open Ferry again to protect them, or store them this way anyway.',
      buttons: ['Store without a keyring', 'Do not store'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    return response === 0;
  },
});

void startDesktopShell<NativeImage, Menu>(
  {
    app,
    BrowserWindow,
    screen: { getAllDisplays: () => screen.getAllDisplays() },
    protocol,
    session: { setPermissionRequestHandler: (h) => session.defaultSession.setPermissionRequestHandler(h), setPermissionCheckHandler: (h) => session.defaultSession.setPermissionCheckHandler(h) },
    ipcMain,
    menu: { buildFromTemplate: (template) => Menu.buildFromTemplate(template), setApplicationMenu: (menu) => Menu.setApplicationMenu(menu) },
    tray: {
      createTray: (image) => new Tray(image),
      image: (path) => nativeImage.createFromPath(path),
      buildMenu: (template) => Menu.buildFromTemplate(template),
    },
    notification: { isSupported: () => Notification.isSupported(), create: (options) => new Notification(options) },
    dialog: { showMessageBox: (options) => dialog.showMessageBox(options) },
    powerMonitor,
  },
  {
    platform: process.platform,
    argv: process.argv,
    preload: PRELOAD,
    rendererRoot: RENDERER,
    bounds: windowBoundsFile(join(paths.home, 'window.json'), warn),
    loginItem: loginItem({
      platform: process.platform,
      app,
      env: process.env,
      home: homedir(),
      execPath: process.execPath,
      appArgs: app.isPackaged ? [] : [APP_FOLDER],
    }),
    openServices: () =>
      openDesktopServices({
        paths,
        env: process.env,
        version: app.getVersion(),
        secrets: (fileStore) => desktopSecrets(keychain, fileStore),
        warn,
      }),
    warn,
  },
).catch((e: unknown) => {
  warn(`could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  app.exit(1);
});
