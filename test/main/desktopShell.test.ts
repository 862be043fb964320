import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobRunOutcome } from '../../main/background/JobLoop.js';
import { HIDDEN_START_ARG } from '../../main/shell/loginItem.js';
import { startDesktopShell, type ShellServices } from '../../main/shell/startDesktopShell.js';
import type { SavedBounds } from '../../main/shell/windowBounds.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { ManualClock, type Clock, type TimerHandle } from '../../src/schedule/Clock.js';
import { MemoryScheduleState } from '../../src/schedule/ScheduleState.js';
import { IPC_CHANNELS } from '../../src/shared/contract/bridge.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { AttentionRaised } from '../../src/shared/contract/homeCommands.js';
import type { TransferSnapshot } from '../../src/shared/contract/models.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';
import { FAKE_APP_PATH, FakeApp, FakeBrowserWindow, FakeDialog, FakeNotification, fakeElectron, type FakeMenu } from './electronFakes.js';
import { RUNNING_SNAPSHOT } from './fixtures.js';

class FakeCore implements CoreHost {
  readonly listeners = new Set<(message: EventMessage) => void>();
  transfers: TransferSnapshot[] = [];
  closed = false;
  async invoke(command: string): Promise<Wire<unknown>> {
    if (command === 'transfers.list') return ok({ transfers: this.transfers, paused: false });
    return fail({ kind: 'unknownCommand', message: command, retryable: false });
  }
  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(message: EventMessage): void {
    for (const listener of this.listeners) listener(message);
  }
  async receive(): Promise<never> {
    throw new Error('not used by the shell');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const START = Date.parse('2026-12-07T10:00:30Z');

const FAILED_RUN: AttentionRaised = {
  id: 'run:41',
  kind: 'failure',
  title: 'invoices failed',
  text: 'partner-sftp refused the password',
  at: START,
  target: { kind: 'run', runId: 41 },
};

/** Node's timers as they are while the machine sleeps: armed, never firing; only the wall clock moves. */
class SleepingClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  setTimer(): TimerHandle {
    return { cancel: () => undefined };
  }
}

/** Everything behind the shell, with a clock that moves only when told and jobs that end when told. */
function fakeServices(clock: Clock) {
  const core = new FakeCore();
  const runs: string[] = [];
  const outcomes: Array<Omit<JobRunOutcome, 'job' | 'runId'>> = [];
  let nextRunId = 1;
  let finishRun: (() => void) | undefined;
  let holdRuns = false;
  let paused = false;
  const services: ShellServices = {
    core,
    jobs: {
      clock,
      state: new MemoryScheduleState([['invoices', START]]),
      jobs: [{ name: 'invoices', schedule: { every: '1m' } }, { name: 'refunds' }],
      run: async (job) => {
        runs.push(job);
        if (holdRuns) await new Promise<void>((resolve) => (finishRun = resolve));
        return { job, runId: nextRunId++, ...(outcomes.shift() ?? { status: 'succeeded', summary: '2 delivered' }) };
      },
      hold: () => (paused ? 'paused' : undefined),
    },
    interrupted: () => [],
    schedules: {
      paused: () => paused,
      setPaused: async (value) => {
        paused = value;
      },
    },
    close: () => core.close(),
  };
  return {
    services,
    core,
    runs,
    outcomes,
    holdRuns: () => (holdRuns = true),
    finishRun: () => finishRun?.(),
  };
}

let saved: SavedBounds[];
let openAtLogin: boolean;

interface StartOptions {
  readonly app?: FakeApp;
  readonly argv?: string[];
  readonly dialog?: FakeDialog;
}

function start(options: StartOptions = {}) {
  return startWith(new ManualClock(START), options);
}

async function startWith<C extends Clock>(clock: C, { app = new FakeApp(), argv = [], dialog = new FakeDialog(2) }: StartOptions = {}) {
  const electron = fakeElectron(app, dialog);
  const background = fakeServices(clock);
  const started = startDesktopShell(electron.ports, {
    platform: 'linux',
    argv,
    preload: '/ferry/out/preload/index.cjs',
    rendererRoot: '/ferry/out/renderer-web',
    bounds: { load: () => undefined, save: (b) => void saved.push(b) },
    loginItem: { enabled: () => openAtLogin, set: (on) => void (openAtLogin = on) },
    openServices: async () => background.services,
    warn: (message) => {
      throw new Error(`unexpected warning: ${message}`);
    },
  });
  app.ready();
  await started;
  const window = (): FakeBrowserWindow => {
    const made = FakeBrowserWindow.made.at(-1);
    if (made === undefined) throw new Error('No window was made');
    return made;
  };
  const trayMenu = (): FakeMenu => {
    const menu = electron.trays[0]?.menu;
    if (menu === null || menu === undefined) throw new Error('The tray has no menu');
    return menu;
  };
  return { ...electron, ...background, clock, window, trayMenu };
}

/** A page of the window subscribing to an event through the IPC router, as the preload does. */
async function subscribeFromWindow(shell: Awaited<ReturnType<typeof start>>, event: string): Promise<EventMessage[]> {
  const received: EventMessage[] = [];
  const sender = { send: (_channel: string, message: EventMessage) => void received.push(message), isDestroyed: () => false, once: () => undefined };
  const handler = shell.handlers.get(IPC_CHANNELS.subscribe);
  if (handler === undefined) throw new Error('The router has no subscribe channel');
  await handler({ sender, senderFrame: { url: 'app://ferry/index.html', parent: null } }, event);
  return received;
}

beforeEach(() => {
  FakeBrowserWindow.made.length = 0;
  FakeNotification.shown.length = 0;
  saved = [];
  openAtLogin = false;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the desktop shell', () => {
  it('opens one window with the secure preferences, served from app://ferry/ in a sandbox', async () => {
    const shell = await start();
    expect(shell.app.sandboxed).toBe(true);
    expect(shell.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect([...shell.protocol.handlers.keys()]).toEqual(['app']);
    expect(FakeBrowserWindow.made).toHaveLength(1);
    expect(shell.window().options.webPreferences).toEqual({
      preload: '/ferry/out/preload/index.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(shell.window().options.icon).toBe(join(FAKE_APP_PATH, 'assets', 'icons', '512x512.png'));
    expect(shell.window().loaded).toEqual(['app://ferry/index.html']);
    expect(shell.window().visible).toBe(false);
    shell.window().emit('ready-to-show');
    expect(shell.window().visible).toBe(true);
  });

  it('refuses every permission the page asks for', async () => {
    const shell = await start();
    const answers: boolean[] = [];
    shell.session.request?.({}, 'notifications', (granted) => answers.push(granted));
    shell.session.request?.({}, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(shell.session.check?.({}, 'clipboard-read')).toBe(false);
  });

  it('gives a development build reload and developer tools, and a packaged one neither', async () => {
    const packaged = await start();
    const roles = (menu: FakeMenu | null | undefined): unknown[] => (menu?.template ?? []).flatMap((item) => (Array.isArray(item.submenu) ? item.submenu.map((sub) => sub.role) : []));
    expect(roles(packaged.applicationMenus[0])).not.toContain('toggleDevTools');
    const development = await start({ app: new FakeApp({ packaged: false }) });
    expect(roles(development.applicationMenus[0])).toContain('toggleDevTools');
    expect(development.window().options.webPreferences?.devTools).toBe(true);
  });

  it('quits at once in a second instance, and the first one shows its window', async () => {
    const first = await start();
    first.window().close();
    expect(first.window().visible).toBe(false);
    first.app.emit('second-instance');
    expect(first.window().visible).toBe(true);

    FakeBrowserWindow.made.length = 0;
    const second = await start({ app: new FakeApp({ lock: false }) });
    expect(second.app.quits).toBe(1);
    expect(FakeBrowserWindow.made).toHaveLength(0);
  });

  it('hides the window when it is closed, and the schedules keep running', async () => {
    const shell = await start();
    expect(shell.window().close()).toBe(true);
    expect(shell.window().visible).toBe(false);
    expect(shell.window().destroyed).toBe(false);
    expect(saved).toHaveLength(1);
    await shell.clock.advance(60_000);
    expect(shell.runs).toEqual(['invoices']);
    await shell.clock.advance(60_000);
    expect(shell.runs).toEqual(['invoices', 'invoices']);
    expect(shell.app.quits).toBe(0);
  });

  it('started at login, stays in the tray until the tray opens the window', async () => {
    const shell = await start({ argv: ['/opt/Ferry/ferry', HIDDEN_START_ARG] });
    expect(FakeBrowserWindow.made).toHaveLength(0);
    shell.trayMenu().click('Open Ferry');
    expect(FakeBrowserWindow.made).toHaveLength(1);
  });

  it('runs a job from the tray, pauses and resumes every schedule', async () => {
    const shell = await start();
    expect(shell.trayMenu().labels()).toEqual(['Ferry: idle', 'separator', 'Open Ferry', 'Run now', 'Pause all schedules', 'Last results', 'separator', 'Start Ferry at login', 'Quit Ferry']);
    shell.trayMenu().click('Run now', 'refunds');
    const results = (): Array<string | undefined> => (shell.trayMenu().item('Last results').submenu as MenuItemConstructorOptions[]).map((item) => item.label);
    expect(results()).toEqual(['No runs yet']);
    await vi.waitFor(() => expect(results()[0]).toMatch(/^refunds: done at \d\d:\d\d \(2 delivered\)$/));
    expect(results()).toHaveLength(1);
    expect(shell.runs).toEqual(['refunds']);

    shell.trayMenu().click('Pause all schedules');
    await vi.waitFor(() => expect(shell.trayMenu().labels()).toContain('Resume schedules'));
    expect(shell.trayMenu().item('Ferry: schedules paused').enabled).toBe(false);
    await shell.clock.advance(60_000);
    expect(shell.runs).toEqual(['refunds']);
    shell.trayMenu().click('Resume schedules');
    await vi.waitFor(() => expect(shell.trayMenu().labels()).toContain('Pause all schedules'));
    await shell.clock.advance(60_000);
    expect(shell.runs).toEqual(['refunds', 'invoices']);
  });

  it('turns start at login on and off from the tray', async () => {
    const shell = await start();
    expect(shell.trayMenu().item('Start Ferry at login').checked).toBe(false);
    shell.trayMenu().click('Start Ferry at login');
    expect(openAtLogin).toBe(true);
    expect(shell.trayMenu().item('Start Ferry at login').checked).toBe(true);
  });

  it('shows a running job and a transfer in the tray, with the running icon', async () => {
    const shell = await start();
    shell.holdRuns();
    shell.trayMenu().click('Run now', 'invoices');
    shell.core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'running', snapshot: RUNNING_SNAPSHOT } });
    await vi.waitFor(() => expect(shell.trays[0]?.toolTip).toBe('Ferry: 1 transfer and 1 job running'));
    expect(shell.trays[0]?.image).toBe('running');
    expect(shell.trayMenu().item('Run now', 'invoices (running)').enabled).toBe(false);
    shell.finishRun();
    shell.core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'done', snapshot: { ...RUNNING_SNAPSHOT, state: 'done' } } });
    await vi.waitFor(() => expect(shell.trays[0]?.image).toBe('idle'));
  });

  it("notifies what the core raises, and a click opens the window where it leads", async () => {
    const shell = await start();
    shell.window().close();
    shell.core.emit({ event: 'attention.raised', payload: { ...FAILED_RUN } });
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]?.options).toMatchObject({ title: 'invoices failed', body: 'partner-sftp refused the password', urgency: 'critical' });
    expect(shell.trays[0]?.image).toBe('attention');
    expect(shell.trays[0]?.toolTip).toBe('Ferry: 1 problem to look at');

    FakeNotification.shown[0]?.emit('click');
    expect(shell.window().visible).toBe(true);
    expect(shell.trays[0]?.image).toBe('idle');
    // The page may subscribe only once it has loaded: the request waits for it.
    expect(await subscribeFromWindow(shell, 'window.navigate')).toEqual([{ event: 'window.navigate', payload: { kind: 'run', runId: 41 } }]);
  });

  it('routes each notice to its own entry: files put in quarantine, a late file', async () => {
    const shell = await start();
    const received = await subscribeFromWindow(shell, 'window.navigate');
    shell.core.emit({ event: 'attention.raised', payload: { id: 'q:7', kind: 'quarantine', title: 'invoices refused a file', text: 'INV-1.csv: amount below 0', at: START, target: { kind: 'validation', job: 'invoices', entryId: 7 } } });
    shell.core.emit({ event: 'attention.raised', payload: { id: 'sla:x', kind: 'sla', title: 'invoices: INV-*.csv is late', text: 'Expected by 09:00.', at: START, target: { kind: 'job', job: 'invoices' } } });
    expect(FakeNotification.shown.map((n) => n.options.urgency)).toEqual(['normal', 'normal']);
    FakeNotification.shown[1]?.emit('click');
    FakeNotification.shown[0]?.emit('click');
    expect(received).toEqual([
      { event: 'window.navigate', payload: { kind: 'job', job: 'invoices' } },
      { event: 'window.navigate', payload: { kind: 'validation', job: 'invoices', entryId: 7 } },
    ]);
  });

  it('opens a last result from the tray on its run', async () => {
    const shell = await start();
    const received = await subscribeFromWindow(shell, 'window.navigate');
    shell.trayMenu().click('Run now', 'refunds');
    await vi.waitFor(() => expect(shell.trayMenu().item('Last results').submenu).toMatchObject([{ label: expect.stringMatching(/^refunds/) as unknown }]));
    const [result] = shell.trayMenu().item('Last results').submenu as MenuItemConstructorOptions[];
    shell.trayMenu().click('Last results', result?.label ?? '');
    expect(received).toEqual([{ event: 'window.navigate', payload: { kind: 'run', runId: 1 } }]);
  });

  it('shows no notification where the system has none, but the tray still tells', async () => {
    const shell = await start();
    vi.spyOn(shell.ports.notification, 'isSupported').mockReturnValue(false);
    shell.core.emit({ event: 'attention.raised', payload: { ...FAILED_RUN } });
    expect(FakeNotification.shown).toEqual([]);
    expect(shell.trays[0]?.image).toBe('attention');
  });

  it('quits at once when nothing runs, closing the core', async () => {
    const shell = await start();
    shell.app.quit();
    await vi.waitFor(() => expect(shell.app.quits).toBe(1));
    expect(shell.dialog.asked).toEqual([]);
    expect(shell.core.closed).toBe(true);
    expect(shell.trays[0]?.destroyed).toBe(true);
    expect(shell.window().close()).toBe(false);
  });

  it('asks before quitting while a transfer runs, and keeps running when told to', async () => {
    const shell = await start({ dialog: new FakeDialog(2) });
    shell.core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'running', snapshot: RUNNING_SNAPSHOT } });
    shell.trayMenu().click('Quit Ferry');
    await vi.waitFor(() => expect(shell.dialog.asked).toHaveLength(1));
    expect(shell.dialog.asked[0]).toMatchObject({ message: '1 transfer is still running. Quit Ferry?', buttons: ['Wait for them, then quit', 'Stop them and quit', 'Keep Ferry running'] });
    await vi.waitFor(() => expect(shell.trays[0]?.destroyed).toBe(false));
    expect(shell.app.quits).toBe(0);
    expect(shell.core.closed).toBe(false);
    expect(shell.window().close()).toBe(true);

    shell.dialog.answer = 1;
    shell.app.quit();
    await vi.waitFor(() => expect(shell.app.quits).toBe(1));
    expect(shell.dialog.asked).toHaveLength(2);
    expect(shell.core.closed).toBe(true);
  });

  it('waits for a running transfer and job to finish when asked to, then quits', async () => {
    const shell = await start({ dialog: new FakeDialog(0) });
    shell.holdRuns();
    shell.trayMenu().click('Run now', 'invoices');
    shell.core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'running', snapshot: RUNNING_SNAPSHOT } });
    shell.app.quit();
    await vi.waitFor(() => expect(shell.dialog.asked[0]?.message).toBe('1 transfer and 1 job are still running. Quit Ferry?'));
    shell.core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'done', snapshot: { ...RUNNING_SNAPSHOT, state: 'done' } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(shell.app.quits).toBe(0);
    expect(shell.core.closed).toBe(false);
    shell.finishRun();
    await vi.waitFor(() => expect(shell.app.quits).toBe(1));
    expect(shell.core.closed).toBe(true);
  });

  it('re-arms the schedules when the machine wakes from sleep', async () => {
    const clock = new SleepingClock(START);
    const shell = await startWith(clock);
    shell.powerMonitor.emit('resume');
    expect(shell.runs).toEqual([]);
    clock.time = START + 10 * 60_000;
    shell.powerMonitor.emit('resume');
    await vi.waitFor(() => expect(shell.runs).toEqual(['invoices']));
  });
});
