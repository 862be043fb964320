import type { BrowserWindowConstructorOptions, CustomScheme, MenuItemConstructorOptions, MessageBoxOptions, NotificationConstructorOptions, Rectangle, SafeStorage } from 'electron';
import { basename, resolve } from 'node:path';
import type { SafeStoragePort } from '../../main/secrets/SafeStorageSecretStore.js';
import type { GuardedContents, GuardedSession } from '../../main/security.js';
import type { ElectronPorts } from '../../main/shell/startDesktopShell.js';
import type { ShellBrowserWindow } from '../../main/shell/ShellWindow.js';
import type { ShellTray } from '../../main/tray/DesktopTray.js';
import type { ShellNotification } from '../../main/notify/desktopNotifications.js';

/** A cancellable Electron event. */
export class FakeEvent {
  prevented = false;
  preventDefault(): void {
    this.prevented = true;
  }
}

type Listener = (...args: never[]) => unknown;

/** Listeners by event name, called the way Electron's emitters call them. */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  once(event: string, listener: Listener): void {
    this.on(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

export class FakeWebContents extends Emitter implements GuardedContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
}

/** A BrowserWindow that records what it was asked. */
export class FakeBrowserWindow extends Emitter implements ShellBrowserWindow {
  static readonly made: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  focused = 0;
  bounds: Rectangle;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = { x: options.x ?? 10, y: options.y ?? 10, width: options.width ?? 800, height: options.height ?? 600 };
    FakeBrowserWindow.made.push(this);
  }

  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rectangle {
    return this.bounds;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }

  /** The user closes the window: returns whether Electron was told not to. */
  close(): boolean {
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.prevented) this.destroyed = true;
    return event.prevented;
  }
}

/** Where the fake app says its folder is: the checkout, so the icons' files are real. */
export const FAKE_APP_PATH = resolve(import.meta.dirname, '..', '..');

export class FakeApp extends Emitter {
  readonly isPackaged: boolean;
  lockHeld: boolean;
  quits = 0;
  sandboxed = false;
  #ready: () => void = () => undefined;
  readonly #whenReady = new Promise<void>((resolve) => (this.#ready = resolve));

  constructor({ packaged = true, lock = true }: { packaged?: boolean; lock?: boolean } = {}) {
    super();
    this.isPackaged = packaged;
    this.lockHeld = lock;
  }

  requestSingleInstanceLock(): boolean {
    return this.lockHeld;
  }
  enableSandbox(): void {
    this.sandboxed = true;
  }
  getAppPath(): string {
    return FAKE_APP_PATH;
  }
  whenReady(): Promise<void> {
    return this.#whenReady;
  }
  ready(): void {
    this.#ready();
  }
  /** As Electron does: `before-quit` may hold the quit back. */
  quit(): void {
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.prevented) this.quits++;
  }
}

export class FakeTray extends Emitter implements ShellTray<string, FakeMenu> {
  image: string;
  toolTip = '';
  menu: FakeMenu | null = null;
  menusSet = 0;
  destroyed = false;
  constructor(image: string) {
    super();
    this.image = image;
  }
  setImage(image: string): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
    this.menusSet++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** A built menu: its template, with a way to click an item by its label path. */
export class FakeMenu {
  constructor(readonly template: MenuItemConstructorOptions[]) {}

  item(...labels: string[]): MenuItemConstructorOptions {
    let items = this.template;
    let found: MenuItemConstructorOptions | undefined;
    for (const label of labels) {
      found = items.find((item) => item.label === label);
      if (found === undefined) throw new Error(`No menu item "${label}" among ${items.map((i) => i.label ?? i.role ?? i.type).join(', ')}`);
      items = Array.isArray(found.submenu) ? found.submenu : [];
    }
    if (found === undefined) throw new Error('No label given');
    return found;
  }

  click(...labels: string[]): void {
    const item = this.item(...labels);
    if (item.enabled === false) throw new Error(`"${labels.join(' > ')}" is disabled`);
    // Electron passes the item, the window and the event; the shell's handlers read none of them.
    (item.click as (() => void) | undefined)?.();
  }

  labels(): string[] {
    return this.template.map((item) => item.label ?? item.role ?? item.type ?? '');
  }
}

export class FakeNotification extends Emitter implements ShellNotification {
  static readonly shown: FakeNotification[] = [];
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export class FakeSession implements GuardedSession {
  request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  check: ((contents: unknown, permission: string) => boolean) | undefined;
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.check = handler;
  }
}

export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

export class FakeDialog {
  readonly asked: MessageBoxOptions[] = [];
  constructor(public answer: number) {}
  async showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> {
    this.asked.push(options);
    return { response: this.answer };
  }
}

/** Electron's `safeStorage` with a reversible, visibly non-plain "encryption" and a chosen backend. */
export class FakeSafeStorage implements SafeStoragePort {
  available = true;
  constructor(public backend: ReturnType<SafeStorage['getSelectedStorageBackend']>) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    return Buffer.from(`sealed:${this.backend}:${Buffer.from(plainText, 'utf8').toString('hex').split('').reverse().join('')}`);
  }
  decryptString(encrypted: Buffer): string {
    const [tag, backend, hex] = encrypted.toString().split(':');
    if (tag !== 'sealed' || backend !== this.backend || hex === undefined) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(hex.split('').reverse().join(''), 'hex').toString('utf8');
  }
  getSelectedStorageBackend(): ReturnType<SafeStorage['getSelectedStorageBackend']> {
    return this.backend;
  }
}

/** Every Electron module the shell takes, faked; the fakes are reachable to drive and inspect them. */
export function fakeElectron(app: FakeApp = new FakeApp(), dialog = new FakeDialog(2)) {
  const trays: FakeTray[] = [];
  const protocol = new FakeProtocol();
  const session = new FakeSession();
  const powerMonitor = new Emitter();
  const applicationMenus: Array<FakeMenu | null> = [];
  const handlers = new Map<string, Parameters<ElectronPorts<string, FakeMenu>['ipcMain']['handle']>[1]>();
  const ports: ElectronPorts<string, FakeMenu> = {
    app,
    BrowserWindow: FakeBrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    protocol,
    session,
    ipcMain: {
      handle: (channel, handler) => void handlers.set(channel, handler),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    menu: { buildFromTemplate: (template) => new FakeMenu(template), setApplicationMenu: (menu) => void applicationMenus.push(menu) },
    tray: {
      createTray: (image) => {
        const tray = new FakeTray(image);
        trays.push(tray);
        return tray;
      },
      image: (path) => basename(path, '.png'),
      buildMenu: (template) => new FakeMenu(template),
    },
    notification: { isSupported: () => true, create: (options) => new FakeNotification(options) },
    dialog,
    powerMonitor,
  };
  return { ports, app, trays, protocol, session, powerMonitor, applicationMenus, handlers, dialog };
}
