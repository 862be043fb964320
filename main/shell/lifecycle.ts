import type { MessageBoxOptions } from 'electron';

interface Preventable {
  preventDefault(): void;
}

/** The parts of Electron's `app` the lifecycle uses. */
export interface LifecycleApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): void;
  on(event: 'window-all-closed', listener: () => void): void;
  on(event: 'activate', listener: () => void): void;
  on(event: 'before-quit', listener: (event: Preventable) => void): void;
}

/**
 * One Ferry per user: a second launch (a click on the menu entry while Ferry sits in the tray) shows the
 * first one's window and ends. Returns false in that second instance, which must quit.
 */
export function claimSingleInstance(app: LifecycleApp, show: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', show);
  return true;
}

/**
 * Ferry lives in the tray: with no window open it goes on (a listener on `window-all-closed` is what
 * keeps Electron from quitting), and the dock icon on macOS shows the window again.
 */
export function keepRunningWithoutWindows(app: LifecycleApp, show: () => void): void {
  app.on('window-all-closed', () => undefined);
  app.on('activate', show);
}

/** What would be cut short by quitting now. */
export interface BusyWork {
  readonly transfers: number;
  readonly jobs: number;
}

export type QuitAnswer = 'wait' | 'stop' | 'cancel';

export interface QuitGuardOptions {
  readonly app: LifecycleApp;
  readonly busy: () => BusyWork;
  /** Asks the user what to do about the busy work (a native dialog). */
  readonly ask: (work: BusyWork) => Promise<QuitAnswer>;
  /** Lets running transfers and jobs finish, starting nothing new. */
  readonly drain: () => Promise<void>;
  /** Stops them at a safe point: the next start resumes them. */
  readonly stop: () => Promise<void>;
  /** Closes the core (history, connections) once nothing runs. */
  readonly shutdown: () => Promise<void>;
  /** Called just before the final quit: the window may close for real now. */
  readonly leaving: () => void;
  readonly warn: (message: string) => void;
}

/**
 * Quitting (from the tray, the menu or the system) first asks, when transfers or jobs are running, whether
 * to wait for them, stop them, or keep Ferry running; then closes the core and quits. Electron does not
 * wait for promises in its quit events, so the first `before-quit` is held back and `quit()` is called
 * again when all is closed.
 */
export function guardQuit(opts: QuitGuardOptions): void {
  let phase: 'running' | 'closing' | 'closed' = 'running';
  const close = async (): Promise<void> => {
    try {
      const work = opts.busy();
      if (work.transfers + work.jobs > 0) {
        const answer = await opts.ask(work);
        if (answer === 'cancel') {
          phase = 'running';
          return;
        }
        await (answer === 'wait' ? opts.drain() : opts.stop());
      }
      await opts.shutdown();
    } catch (e) {
      // Quitting goes on: what was cut short is shown as interrupted and resumed at the next start.
      opts.warn(`Ferry could not close everything cleanly: ${e instanceof Error ? e.message : String(e)}`);
    }
    phase = 'closed';
    opts.leaving();
    opts.app.quit();
  };
  opts.app.on('before-quit', (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase === 'closing') return;
    phase = 'closing';
    void close();
  });
}

const ANSWERS: ReadonlyArray<QuitAnswer> = ['wait', 'stop', 'cancel'];

/** The native question put before quitting with work running, and how its buttons read back. */
export function quitQuestion(work: BusyWork): MessageBoxOptions {
  const parts = [
    work.transfers > 0 ? `${work.transfers} transfer${work.transfers === 1 ? '' : 's'}` : undefined,
    work.jobs > 0 ? `${work.jobs} job${work.jobs === 1 ? '' : 's'}` : undefined,
  ].filter((part) => part !== undefined);
  return {
    type: 'question',
    title: 'Quit Ferry',
    message: `${parts.join(' and ')} ${work.transfers + work.jobs === 1 ? 'is' : 'are'} still running. Quit Ferry?`,
    detail: 'Waiting lets them finish first. Stopping ends them at a safe point: Ferry takes them up where they stopped at its next start.',
    buttons: ['Wait for them, then quit', 'Stop them and quit', 'Keep Ferry running'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
  };
}

/** The answer of the button at `index` of `quitQuestion`'s dialog; anything else keeps Ferry running. */
export function quitAnswer(index: number): QuitAnswer {
  return ANSWERS[index] ?? 'cancel';
}
