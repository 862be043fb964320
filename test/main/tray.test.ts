import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesktopTray } from '../../main/tray/DesktopTray.js';
import { trayIconPath, windowIconPath } from '../../main/tray/trayIcons.js';
import { trayMenuTemplate, trayStatus, type TrayActions, type TrayView } from '../../main/tray/trayMenu.js';
import { FAKE_APP_PATH, FakeMenu, FakeTray } from './electronFakes.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const IDLE: TrayView = {
  running: { transfers: 0, jobs: 0 },
  attention: 0,
  jobs: [{ name: 'inbound-orders', running: false }, { name: 'invoices', running: false }],
  paused: false,
  recent: [],
  openAtLogin: false,
};

function recorder(): { actions: TrayActions; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      open: () => calls.push('open'),
      runNow: (job) => calls.push(`run ${job}`),
      setPaused: (paused) => calls.push(`paused ${paused}`),
      openRun: (runId) => calls.push(`run #${runId}`),
      setOpenAtLogin: (on) => calls.push(`login ${on}`),
      quit: () => calls.push('quit'),
    },
  };
}

const menu = (view: TrayView, actions: TrayActions = recorder().actions): FakeMenu => new FakeMenu(trayMenuTemplate(view, actions));

describe('the tray menu', () => {
  it('when idle: the state, open, every job to run now, pause, no runs yet, login and quit', () => {
    const { actions, calls } = recorder();
    const idle = menu(IDLE, actions);
    expect(idle.labels()).toEqual(['Ferry: idle', 'separator', 'Open Ferry', 'Run now', 'Pause all schedules', 'Last results', 'separator', 'Start Ferry at login', 'Quit Ferry']);
    expect(idle.item('Ferry: idle').enabled).toBe(false);
    expect(idle.item('Last results', 'No runs yet').enabled).toBe(false);
    idle.click('Open Ferry');
    idle.click('Run now', 'invoices');
    idle.click('Pause all schedules');
    idle.click('Start Ferry at login');
    idle.click('Quit Ferry');
    expect(calls).toEqual(['open', 'run invoices', 'paused true', 'login true', 'quit']);
    expect(trayStatus(IDLE)).toBe('idle');
  });

  it('while running: says what runs, and a running job cannot be started twice', () => {
    const view = { ...IDLE, running: { transfers: 2, jobs: 1 }, jobs: [{ name: 'inbound-orders', running: true }, { name: 'invoices', running: false }] };
    const running = menu(view);
    expect(running.labels()[0]).toBe('Ferry: 2 transfers and 1 job running');
    expect(running.item('Run now', 'inbound-orders (running)').enabled).toBe(false);
    expect(running.item('Run now', 'invoices').enabled).toBe(true);
    expect(trayStatus(view)).toBe('running');
  });

  it('needing attention: says so first, and each last result opens its run', () => {
    const { actions, calls } = recorder();
    const finishedAt = new Date(2026, 11, 7, 9, 5).getTime();
    const view: TrayView = {
      ...IDLE,
      running: { transfers: 1, jobs: 0 },
      attention: 2,
      recent: [
        { job: 'invoices', runId: 12, status: 'failed', finishedAt, summary: '0 delivered, 0 quarantined, 3 failed' },
        { job: 'inbound-orders', runId: 11, status: 'succeeded', finishedAt, summary: '4 delivered, 0 quarantined, 0 failed' },
      ],
    };
    const attention = menu(view, actions);
    expect(attention.labels()[0]).toBe('Ferry: 2 problems to look at, 1 transfer running');
    expect((attention.item('Last results').submenu as Array<{ label?: string }>).map((item) => item.label)).toEqual([
      'invoices: failed at 09:05 (0 delivered, 0 quarantined, 3 failed)',
      'inbound-orders: done at 09:05 (4 delivered, 0 quarantined, 0 failed)',
    ]);
    attention.click('Last results', 'invoices: failed at 09:05 (0 delivered, 0 quarantined, 3 failed)');
    expect(calls).toEqual(['run #12']);
    expect(trayStatus(view)).toBe('attention');
  });

  it('with schedules paused: offers to resume, and login start shows as ticked', () => {
    const { actions, calls } = recorder();
    const paused = menu({ ...IDLE, paused: true, openAtLogin: true }, actions);
    expect(paused.labels()).toContain('Resume schedules');
    expect(paused.labels()).not.toContain('Pause all schedules');
    expect(paused.labels()[0]).toBe('Ferry: schedules paused');
    expect(paused.item('Start Ferry at login')).toMatchObject({ type: 'checkbox', checked: true });
    paused.click('Resume schedules');
    paused.click('Start Ferry at login');
    expect(calls).toEqual(['paused false', 'login false']);
  });

  it('with no jobs: says so instead of an empty list', () => {
    expect(menu({ ...IDLE, jobs: [] }).item('Run now', 'No jobs in the jobs folder').enabled).toBe(false);
  });
});

describe('the tray icon', () => {
  it('loads each state from its drawn PNG in the app folder, with the high-density file beside it', () => {
    const files = (['idle', 'running', 'attention'] as const).map((status) => trayIconPath(FAKE_APP_PATH, status));
    expect(files).toEqual(['idle', 'running', 'attention'].map((name) => join(FAKE_APP_PATH, 'assets', 'tray', `${name}.png`)));
    for (const file of files) {
      expect(readFileSync(file).subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(readFileSync(file.replace(/\.png$/, '@2x.png')).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    }
    expect(readFileSync(windowIconPath(FAKE_APP_PATH)).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('sets a new menu on every change, and a new picture only when the state changes', () => {
    const trays: FakeTray[] = [];
    const images: string[] = [];
    const tray = new DesktopTray<string, FakeMenu>(
      {
        createTray: (image) => {
          const made = new FakeTray(image);
          trays.push(made);
          return made;
        },
        image: (path) => {
          images.push(path);
          return path;
        },
        buildMenu: (template) => new FakeMenu(template),
      },
      recorder().actions,
      '/opt/Ferry/resources/app.asar',
    );
    tray.render(IDLE);
    tray.render({ ...IDLE, paused: true });
    tray.render({ ...IDLE, attention: 1 });
    expect(trays).toHaveLength(1);
    expect(trays[0]?.menusSet).toBe(3);
    expect(images).toEqual([join('/opt/Ferry/resources/app.asar', 'assets', 'tray', 'idle.png'), join('/opt/Ferry/resources/app.asar', 'assets', 'tray', 'attention.png')]);
    expect(trays[0]?.image).toBe(images[1]);
    expect(trays[0]?.toolTip).toBe('Ferry: 1 problem to look at');
    tray.destroy();
    expect(trays[0]?.destroyed).toBe(true);
  });
});
