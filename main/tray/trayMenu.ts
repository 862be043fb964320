import type { MenuItemConstructorOptions } from 'electron';
import type { FinishedRunStatus } from '../../src/history/records.js';

/** What the tray shows: idle, something running, or something that needs the user. */
export type TrayStatus = 'idle' | 'running' | 'attention';

/** One run of a job, as the tray lists the latest. */
export interface RecentRun {
  readonly job: string;
  readonly runId: number;
  readonly status: FinishedRunStatus;
  readonly finishedAt: number;
  /** `3 delivered, 1 quarantined`. */
  readonly summary: string;
}

export interface TrayView {
  /** Transfers and job runs going on now. */
  readonly running: { readonly transfers: number; readonly jobs: number };
  /** Failures, quarantines and missed deadlines since the window was last opened. */
  readonly attention: number;
  /** Every job of the jobs folder; `running` while a run of it goes on. */
  readonly jobs: ReadonlyArray<{ readonly name: string; readonly running: boolean }>;
  /** Whether every schedule is paused. */
  readonly paused: boolean;
  /** Newest first. */
  readonly recent: ReadonlyArray<RecentRun>;
  readonly openAtLogin: boolean;
}

export interface TrayActions {
  open(): void;
  runNow(job: string): void;
  setPaused(paused: boolean): void;
  openRun(runId: number): void;
  setOpenAtLogin(enabled: boolean): void;
  quit(): void;
}

/** The one-line state at the top of the menu and in the tooltip. */
export function trayHeadline(view: TrayView): string {
  const running = [plural(view.running.transfers, 'transfer'), plural(view.running.jobs, 'job')].filter((part) => part !== '').join(' and ');
  const parts = [
    view.attention > 0 ? `${plural(view.attention, 'problem')} to look at` : '',
    running === '' ? '' : `${running} running`,
    view.paused ? 'schedules paused' : '',
  ].filter((part) => part !== '');
  return `Ferry: ${parts.length === 0 ? 'idle' : parts.join(', ')}`;
}

/**
 * The tray's context menu. It is the tray's only dependable control (Linux's AppIndicator may never
 * report a click), so everything the tray can do is in it, and it is set again whenever the view changes.
 */
export function trayMenuTemplate(view: TrayView, actions: TrayActions): MenuItemConstructorOptions[] {
  const runNow: MenuItemConstructorOptions[] =
    view.jobs.length === 0
      ? [{ label: 'No jobs in the jobs folder', enabled: false }]
      : view.jobs.map(({ name, running }) => ({ label: running ? `${name} (running)` : name, enabled: !running, click: () => actions.runNow(name) }));
  const recent: MenuItemConstructorOptions[] =
    view.recent.length === 0
      ? [{ label: 'No runs yet', enabled: false }]
      : view.recent.map((run) => ({ label: `${run.job}: ${STATUS_WORDS[run.status]} at ${clockTime(run.finishedAt)} (${run.summary})`, click: () => actions.openRun(run.runId) }));
  return [
    { label: trayHeadline(view), enabled: false },
    { type: 'separator' },
    { label: 'Open Ferry', click: () => actions.open() },
    { label: 'Run now', submenu: runNow },
    view.paused ? { label: 'Resume schedules', click: () => actions.setPaused(false) } : { label: 'Pause all schedules', click: () => actions.setPaused(true) },
    { label: 'Last results', submenu: recent },
    { type: 'separator' },
    { label: 'Start Ferry at login', type: 'checkbox', checked: view.openAtLogin, click: () => actions.setOpenAtLogin(!view.openAtLogin) },
    { label: 'Quit Ferry', click: () => actions.quit() },
  ];
}

const STATUS_WORDS: Readonly<Record<FinishedRunStatus, string>> = {
  succeeded: 'done',
  partial: 'partly failed',
  failed: 'failed',
  cancelled: 'cancelled',
};

function plural(count: number, noun: string): string {
  return count === 0 ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function clockTime(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** Attention outranks running: a failed run must show even while another is going. */
export function trayStatus(view: Pick<TrayView, 'attention' | 'running'>): TrayStatus {
  if (view.attention > 0) return 'attention';
  return view.running.transfers + view.running.jobs > 0 ? 'running' : 'idle';
}
