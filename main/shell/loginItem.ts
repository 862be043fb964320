import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Started at login, Ferry goes straight to the tray without opening its window. */
export const HIDDEN_START_ARG = '--hidden';

/** The parts of Electron's `app` that login items use on macOS and Windows. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
  getLoginItemSettings(): { openAtLogin: boolean };
}

/** Whether Ferry starts when the user logs in. */
export interface LoginItem {
  enabled(): boolean;
  set(enabled: boolean): void;
}

export interface LoginItemOptions {
  readonly platform: NodeJS.Platform;
  readonly app: LoginItemApp;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** The program to start: inside an AppImage `$APPIMAGE` (the mounted path changes each run), else Electron's executable. */
  readonly execPath: string;
  /** What Electron needs after the program to start this app (the app's folder when not packaged). */
  readonly appArgs: ReadonlyArray<string>;
}

/**
 * macOS and Windows keep login items themselves; on Linux `setLoginItemSettings` does nothing, so Ferry
 * writes an XDG autostart entry, which GNOME, KDE, Xfce and the others read.
 */
export function loginItem(opts: LoginItemOptions): LoginItem {
  if (opts.platform !== 'linux') {
    return {
      enabled: () => opts.app.getLoginItemSettings().openAtLogin,
      set: (enabled) => opts.app.setLoginItemSettings({ openAtLogin: enabled, args: [...opts.appArgs, HIDDEN_START_ARG] }),
    };
  }
  const file = autostartFile(opts.env, opts.home);
  const program = opts.env['APPIMAGE'] ?? opts.execPath;
  const entry = autostartEntry([program, ...opts.appArgs, HIDDEN_START_ARG]);
  return {
    enabled: () => {
      try {
        return readFileSync(file, 'utf8') === entry;
      } catch {
        return false;
      }
    },
    set: (enabled) => {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, entry);
    },
  };
}

/** `$XDG_CONFIG_HOME/autostart/ferry.desktop`, `~/.config` when the variable is unset or not absolute. */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const config = env['XDG_CONFIG_HOME'];
  return join(config !== undefined && config.startsWith('/') ? config : join(home, '.config'), 'autostart', 'ferry.desktop');
}

/** A desktop entry whose Exec line quotes each argument as the Desktop Entry Specification asks. */
export function autostartEntry(command: ReadonlyArray<string>): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Ferry',
    'Comment=Keeps Ferry\'s scheduled file flows running from the tray',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function execArgument(arg: string): string {
  if (/^[A-Za-z0-9_\-./=:@+,]+$/.test(arg)) return arg;
  // Inside double quotes the spec reserves ", `, $ and \, each escaped with a backslash; the file's string
  // escapes are undone before that, so each of those backslashes is written twice. A literal % is %%.
  const quoted = arg.replace(/["`$\\]/g, (c) => `\\${c}`);
  return `"${quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')}"`;
}
