import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appMenuTemplate } from '../../main/shell/appMenu.js';
import { quitAnswer, quitQuestion } from '../../main/shell/lifecycle.js';
import { autostartEntry, autostartFile, HIDDEN_START_ARG, loginItem } from '../../main/shell/loginItem.js';
import { ShellWindow } from '../../main/shell/ShellWindow.js';
import { windowBoundsFile } from '../../main/shell/windowBounds.js';
import { FakeBrowserWindow } from './electronFakes.js';

let dir: string;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-shell-'));
  warnings = [];
  FakeBrowserWindow.made.length = 0;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('the window', () => {
  it('reopens where it was, maximized again, and forgets a place on a monitor that is gone', async () => {
    const file = join(dir, 'window.json');
    const bounds = windowBoundsFile(file, (w) => warnings.push(w));
    const window = new ShellWindow({ BrowserWindow: FakeBrowserWindow, preload: '/p.cjs', devTools: false, icon: undefined, bounds, workAreas: () => SCREEN, warn: (w) => warnings.push(w) });
    window.show();
    const first = FakeBrowserWindow.made[0];
    expect(first?.options).toMatchObject({ width: 1280, height: 800, show: false });
    if (first === undefined) throw new Error('no window');
    first.bounds = { x: 200, y: 100, width: 1400, height: 900 };
    first.maximized = true;
    window.allowClose();
    expect(first.close()).toBe(false);

    const again = new ShellWindow({ BrowserWindow: FakeBrowserWindow, preload: '/p.cjs', devTools: false, icon: undefined, bounds, workAreas: () => SCREEN, warn: (w) => warnings.push(w) });
    again.show();
    const second = FakeBrowserWindow.made[1];
    expect(second?.options).toMatchObject({ x: 200, y: 100, width: 1400, height: 900 });
    second?.emit('ready-to-show');
    expect(second?.maximized).toBe(true);

    expect(bounds.load([{ x: 3000, y: 0, width: 1920, height: 1080 }])).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('opens at its default size, saying why, when the remembered place cannot be read', async () => {
    const file = join(dir, 'window.json');
    await writeFile(file, '{"x": "left"}');
    expect(windowBoundsFile(file, (w) => warnings.push(w)).load(SCREEN)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file} could not be read`);
  });

  it('shows a minimized window restored and in front instead of making another', () => {
    const window = new ShellWindow({ BrowserWindow: FakeBrowserWindow, preload: '/p.cjs', devTools: false, icon: undefined, bounds: { load: () => undefined, save: () => undefined }, workAreas: () => SCREEN, warn: (w) => warnings.push(w) });
    window.show();
    const made = FakeBrowserWindow.made[0];
    if (made === undefined) throw new Error('no window');
    made.minimized = true;
    window.show();
    expect(FakeBrowserWindow.made).toHaveLength(1);
    expect(made).toMatchObject({ minimized: false, visible: true, focused: 1 });
  });
});

describe('start at login', () => {
  it('writes and removes an XDG autostart entry on Linux, starting the AppImage hidden', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), APPIMAGE: '/home/ops/Apps/Ferry 1.0.AppImage' };
    const calls: unknown[] = [];
    const item = loginItem({
      platform: 'linux',
      app: { setLoginItemSettings: (s) => calls.push(s), getLoginItemSettings: () => ({ openAtLogin: true }) },
      env,
      home: dir,
      execPath: '/tmp/.mount_Ferry/ferry',
      appArgs: [],
    });
    expect(item.enabled()).toBe(false);
    item.set(true);
    expect(item.enabled()).toBe(true);
    const entry = await readFile(join(dir, 'config', 'autostart', 'ferry.desktop'), 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Ferry\n');
    expect(entry).toContain(`Exec="/home/ops/Apps/Ferry 1.0.AppImage" ${HIDDEN_START_ARG}\n`);
    item.set(false);
    expect(item.enabled()).toBe(false);
    expect(calls).toEqual([]);
  });

  it('quotes what the Desktop Entry Specification reserves', () => {
    expect(autostartEntry(['/opt/a "b" $c`d`\\e 100%'])).toContain('Exec="/opt/a \\\\"b\\\\" \\\\$c\\\\`d\\\\`\\\\\\\\e 100%%"\n');
    expect(autostartFile({}, '/home/ops')).toBe('/home/ops/.config/autostart/ferry.desktop');
    expect(autostartFile({ XDG_CONFIG_HOME: 'relative' }, '/home/ops')).toBe('/home/ops/.config/autostart/ferry.desktop');
  });

  it("uses the system's login items elsewhere", () => {
    const calls: unknown[] = [];
    const item = loginItem({
      platform: 'win32',
      app: { setLoginItemSettings: (s) => calls.push(s), getLoginItemSettings: () => ({ openAtLogin: true }) },
      env: {},
      home: dir,
      execPath: 'C:\\Program Files\\Ferry\\Ferry.exe',
      appArgs: [],
    });
    item.set(true);
    expect(calls).toEqual([{ openAtLogin: true, args: [HIDDEN_START_ARG] }]);
    expect(item.enabled()).toBe(true);
  });
});

describe('the native menus', () => {
  it('are made of roles, with an Edit menu for copy and paste and zoom in View', () => {
    const template = appMenuTemplate({ platform: 'linux', packaged: true });
    const roles = template.flatMap((menu) => [menu.role, ...(Array.isArray(menu.submenu) ? menu.submenu.map((item) => item.role ?? item.type) : [])]);
    expect(roles).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll', 'undo', 'redo', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'quit', 'windowMenu']));
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).not.toContain('reload');
    expect(template.map((menu) => menu.role ?? menu.label)).toEqual(['&File', '&Edit', '&View', 'windowMenu']);
    expect(appMenuTemplate({ platform: 'darwin', packaged: true }).map((menu) => menu.role ?? menu.label)).toEqual(['appMenu', '&File', '&Edit', '&View', 'windowMenu']);
  });
});

describe('the quit question', () => {
  it('names what runs and reads its buttons back', () => {
    expect(quitQuestion({ transfers: 2, jobs: 0 }).message).toBe('2 transfers are still running. Quit Ferry?');
    expect(quitQuestion({ transfers: 0, jobs: 1 }).message).toBe('1 job is still running. Quit Ferry?');
    expect([0, 1, 2, -1].map(quitAnswer)).toEqual(['wait', 'stop', 'cancel', 'cancel']);
  });
});
