import { join } from 'node:path';
import type { TrayStatus } from './trayMenu.js';

/**
 * The tray icon of a state: the PNG drawn from `assets/icon.svg` by `npm run icons`, inside the app's
 * folder (the asar when packaged). Electron picks the `@2x` file beside it on high-density screens.
 */
export function trayIconPath(appPath: string, status: TrayStatus): string {
  return join(appPath, 'assets', 'tray', `${status}.png`);
}

/** The window's icon where the window manager takes it from the window (Linux); elsewhere the installer sets it. */
export function windowIconPath(appPath: string): string {
  return join(appPath, 'assets', 'icons', '512x512.png');
}
