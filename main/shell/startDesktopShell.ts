import type { CustomScheme, MenuItemConstructorOptions, MessageBoxOptions, Rectangle } from 'electron';
import type { CoreHost } from '../../src/host/CoreHost.js';
import type { AttentionTarget } from '../../src/shared/contract/homeCommands.js';
import { JobLoop, type JobLoopOptions } from '../background/JobLoop.js';
import { TransferActivity } from '../background/TransferActivity.js';
import { registerCoreIpc, type IpcMainPort } from '../ipc/registerCoreIpc.js';
import { desktopNotifier, type DesktopNotifierOptions } from '../notify/desktopNotifications.js';
import { guardSession, isAppFrame, type GuardedSession } from '../security.js';
import { DesktopTray, type TrayPorts } from '../tray/DesktopTray.js';
import { windowIconPath } from '../tray/trayIcons.js';
import type { TrayView } from '../tray/trayMenu.js';
import { appMenuTemplate } from './appMenu.js';
import { APP_SCHEME, rendererResponder } from './appProtocol.js';
import { claimSingleInstance, guardQuit, keepRunningWithoutWindows, quitAnswer, quitQuestion, type LifecycleApp } from './lifecycle.js';
import { HIDDEN_START_ARG, type LoginItem } from './loginItem.js';
import { ShellWindow, type BrowserWindowConstructor } from './ShellWindow.js';
import type { WindowBoundsMemory } from './windowBounds.js';

/** Electron's modules as the shell uses them; `index.ts` passes the real ones, tests pass fakes. */
export interface ElectronPorts<Image, Menu> {
  readonly app: LifecycleApp & {
    whenReady(): Promise<void>;
    enableSandbox(): void;
    /** The app's folder (the asar when packaged), where its icons are. */
    getAppPath(): string;
    readonly isPackaged: boolean;
  };
  readonly BrowserWindow: BrowserWindowConstructor;
  readonly screen: { getAllDisplays(): ReadonlyArray<{ readonly workArea: Rectangle }> };
  readonly protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  readonly session: GuardedSession;
  readonly ipcMain: IpcMainPort;
  readonly menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): Menu; setApplicationMenu(menu: Menu | null): void };
  readonly tray: TrayPorts<Image, Menu>;
  readonly notification: Pick<DesktopNotifierOptions, 'isSupported' | 'create'>;
  readonly dialog: { showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> };
  readonly powerMonitor: { on(event: 'resume', listener: () => void): void };
}

/** The core and the background work, opened once Electron is ready (the secret store needs it). */
export interface ShellServices {
  readonly core: CoreHost;
  readonly jobs: Pick<JobLoopOptions, 'clock' | 'state' | 'jobs' | 'run' | 'hold'>;
  /** Scheduled jobs whose last run was cut short (Ferry was killed or the machine went down): taken up at start. */
  readonly interrupted: () => ReadonlyArray<string>;
  /** "Pause all schedules", shared with the window, the daemon and the command line. */
  readonly schedules: { paused(): boolean; setPaused(paused: boolean): Promise<unknown> };
  /** Closes the core and the workspace. */
  readonly close: () => Promise<void>;
}

export interface ShellOptions {
  readonly platform: NodeJS.Platform;
  readonly argv: ReadonlyArray<string>;
  readonly preload: string;
  /** The renderer's build, served as `app://ferry/`. */
  readonly rendererRoot: string;
  readonly bounds: WindowBoundsMemory;
  readonly loginItem: LoginItem;
  readonly openServices: () => Promise<ShellServices>;
  readonly warn: (message: string) => void;
}

/**
 * Starts Ferry's desktop app: one instance, a secure window served from `app://ferry/`, the core behind
 * the IPC router, the jobs' schedules running in this process, the tray, notifications, and a quit that
 * asks before cutting work short. Resolves once everything runs (or at once in a second instance).
 */
export async function startDesktopShell<Image, Menu>(electron: ElectronPorts<Image, Menu>, opts: ShellOptions): Promise<void> {
  const { app } = electron;
  // Both must happen before Electron is ready.
  app.enableSandbox();
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME]);

  let open: (target?: AttentionTarget) => void = () => undefined;
  if (!claimSingleInstance(app, () => open())) {
    app.quit();
    return;
  }
  await app.whenReady();

  electron.protocol.handle(APP_SCHEME.scheme, rendererResponder(opts.rendererRoot));
  guardSession(electron.session);
  electron.menu.setApplicationMenu(electron.menu.buildFromTemplate(appMenuTemplate({ platform: opts.platform, packaged: app.isPackaged })));

  const window = new ShellWindow({
    BrowserWindow: electron.BrowserWindow,
    preload: opts.preload,
    devTools: !app.isPackaged,
    icon: opts.platform === 'linux' ? windowIconPath(app.getAppPath()) : undefined,
    bounds: opts.bounds,
    workAreas: () => electron.screen.getAllDisplays().map((display) => display.workArea),
    warn: opts.warn,
  });
  const services = await opts.openServices();
  const ipc = registerCoreIpc({ ipcMain: electron.ipcMain, core: services.core, isTrustedSender: isAppFrame });

  let attention = 0;
  let refresh: () => void = () => undefined;
  const transfers = new TransferActivity(() => refresh());
  const notify = desktopNotifier({
    isSupported: () => electron.notification.isSupported(),
    create: (options) => electron.notification.create(options),
    open: (target) => open(target),
  });
  const loop = new JobLoop({
    ...services.jobs,
    onChange: () => refresh(),
    warn: opts.warn,
  });

  open = (target) => {
    window.show();
    attention = 0;
    refresh();
    if (target !== undefined) ipc.publish({ event: 'window.navigate', payload: target });
  };
  const tray = new DesktopTray(electron.tray, {
    open: () => open(),
    runNow: (job) => void loop.runNow(job),
    setPaused: (paused) => {
      services.schedules.setPaused(paused).then(refresh, (e: unknown) => opts.warn(`Schedules could not be ${paused ? 'paused' : 'resumed'}: ${e instanceof Error ? e.message : String(e)}`));
    },
    openRun: (runId) => open({ kind: 'run', runId }),
    setOpenAtLogin: (enabled) => {
      opts.loginItem.set(enabled);
      refresh();
    },
    quit: () => app.quit(),
  }, app.getAppPath());
  const view = (): TrayView => ({
    running: { transfers: transfers.busy(), jobs: loop.running() },
    attention,
    jobs: loop.jobs(),
    paused: services.schedules.paused(),
    recent: loop.recent(),
    openAtLogin: opts.loginItem.enabled(),
  });
  refresh = () => tray.render(view());

  keepRunningWithoutWindows(app, () => open());
  // Node's timers stand still while the machine sleeps: on waking, every schedule is re-armed at once.
  electron.powerMonitor.on('resume', () => loop.rearm());
  // The core notices failures, refusals and late files in the history, whichever process wrote them.
  const stopAttention = services.core.subscribe((message) => {
    if (message.event !== 'attention.raised') return;
    attention++;
    refresh();
    notify(message.payload);
  });
  guardQuit({
    app,
    busy: () => ({ transfers: transfers.busy(), jobs: loop.running() }),
    ask: async (work) => quitAnswer((await electron.dialog.showMessageBox(quitQuestion(work))).response),
    drain: async () => {
      await Promise.all([transfers.idle(), loop.stop({ abort: false })]);
    },
    // Transfers stop at a safe point when the core closes, in shutdown.
    stop: () => loop.stop({ abort: true }),
    shutdown: async () => {
      stopAttention();
      await loop.stop({ abort: true });
      ipc.close();
      transfers.close();
      tray.destroy();
      await services.close();
    },
    leaving: () => window.allowClose(),
    warn: opts.warn,
  });

  try {
    await transfers.follow(services.core);
  } catch (e) {
    opts.warn(e instanceof Error ? e.message : String(e));
  }
  loop.start();
  for (const job of services.interrupted()) loop.runNow(job);
  refresh();
  if (!opts.argv.includes(HIDDEN_START_ARG)) open();
}
