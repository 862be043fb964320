import type { MenuItemConstructorOptions } from 'electron';
import { trayIconPath } from './trayIcons.js';
import { trayHeadline, trayMenuTemplate, trayStatus, type TrayActions, type TrayStatus, type TrayView } from './trayMenu.js';

/** The parts of an Electron `Tray` the shell uses. */
export interface ShellTray<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): void;
  destroy(): void;
}

/** How the tray's parts are made: `new Tray`, `nativeImage.createFromPath`, `Menu.buildFromTemplate`. */
export interface TrayPorts<Image, Menu> {
  createTray(image: Image): ShellTray<Image, Menu>;
  image(path: string): Image;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
}

/** Ferry's tray icon: its picture follows the state, its menu is built anew from each view. */
export class DesktopTray<Image, Menu> {
  readonly #ports: TrayPorts<Image, Menu>;
  readonly #actions: TrayActions;
  readonly #appPath: string;
  #tray: ShellTray<Image, Menu> | undefined;
  #status: TrayStatus | undefined;

  /** `appPath`: the app's folder (`app.getAppPath()`), where the icons' files are. */
  constructor(ports: TrayPorts<Image, Menu>, actions: TrayActions, appPath: string) {
    this.#ports = ports;
    this.#actions = actions;
    this.#appPath = appPath;
  }

  render(view: TrayView): void {
    const status = trayStatus(view);
    const icon = (): Image => this.#ports.image(trayIconPath(this.#appPath, status));
    let tray = this.#tray;
    if (tray === undefined) {
      tray = this.#ports.createTray(icon());
      // Where the platform reports clicks (Windows, macOS, some Linux panels), a click opens the window.
      tray.on('click', () => this.#actions.open());
      this.#tray = tray;
    } else if (status !== this.#status) {
      tray.setImage(icon());
    }
    this.#status = status;
    tray.setToolTip(trayHeadline(view));
    // Set again on every change: Linux's AppIndicator shows a menu's items as they were when it was set.
    tray.setContextMenu(this.#ports.buildMenu(trayMenuTemplate(view, this.#actions)));
  }

  destroy(): void {
    this.#tray?.destroy();
    this.#tray = undefined;
  }
}
