import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { APP_PAGE, guardContents, type GuardedContents } from '../security.js';
import type { WindowBoundsMemory } from './windowBounds.js';

/** The parts of a BrowserWindow the shell uses. */
export interface ShellBrowserWindow {
  readonly webContents: GuardedContents;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  once(event: 'ready-to-show', listener: () => void): void;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
  loadURL(url: string): Promise<void>;
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => ShellBrowserWindow;

export interface ShellWindowOptions {
  /** Electron's `BrowserWindow`. */
  readonly BrowserWindow: BrowserWindowConstructor;
  /** The bundled preload (one CommonJS file: a sandboxed preload can load nothing else). */
  readonly preload: string;
  /** Only in development: a packaged Ferry has no developer tools. */
  readonly devTools: boolean;
  /** The window's icon file, where the window manager reads it from the window (Linux). */
  readonly icon: string | undefined;
  readonly bounds: WindowBoundsMemory;
  /** The displays' work areas now, to check that a remembered place is still on screen. */
  readonly workAreas: () => ReadonlyArray<Rectangle>;
  readonly warn: (message: string) => void;
}

const DEFAULT_SIZE = { width: 1280, height: 800 };

/**
 * Ferry's one window. Closing it hides it, so that schedules and transfers go on from the tray and the
 * page (each pane's folder, the open screen) is as it was when it is shown again; only quitting closes it.
 * It is made when first shown, so that a start at login costs no renderer until the user opens it.
 */
export class ShellWindow {
  readonly #opts: ShellWindowOptions;
  #window: ShellBrowserWindow | undefined;
  #quitting = false;

  constructor(opts: ShellWindowOptions) {
    this.#opts = opts;
  }

  /** Shows the window, made if needed, restored if minimized, in front. */
  show(): void {
    const window = this.#window;
    if (window === undefined || window.isDestroyed()) {
      this.#window = this.#create();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** From now on closing the window closes it: Ferry is quitting. */
  allowClose(): void {
    this.#quitting = true;
  }

  #create(): ShellBrowserWindow {
    const { BrowserWindow, bounds, devTools, icon, preload } = this.#opts;
    const saved = bounds.load(this.#opts.workAreas());
    const place = saved === undefined ? DEFAULT_SIZE : { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    // Every security-relevant preference spelled out here, not left to defaults that change between
    // Electron versions, and written literally so that the static check can see them.
    const window = new BrowserWindow({
      ...place,
      minWidth: 900,
      minHeight: 560,
      show: false,
      title: 'Ferry',
      ...(icon === undefined ? {} : { icon }),
      webPreferences: {
        preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // A middle click would open links in new windows; those are denied anyway, this stops the attempt.
        disableBlinkFeatures: 'Auxclick',
        devTools,
      },
    });
    guardContents(window.webContents);
    window.on('close', (event) => {
      bounds.save({ ...window.getNormalBounds(), maximized: window.isMaximized() });
      if (this.#quitting) return;
      event.preventDefault();
      window.hide();
    });
    window.once('ready-to-show', () => {
      if (saved?.maximized === true) window.maximize();
      window.show();
    });
    window.loadURL(APP_PAGE).catch((e: unknown) => this.#opts.warn(`Ferry's window could not load its page: ${e instanceof Error ? e.message : String(e)}`));
    return window;
  }
}
