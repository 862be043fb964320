import type { NotificationConstructorOptions } from 'electron';
import type { WindowTarget } from '../../src/shared/contract/events.js';
import type { JobRunOutcome } from '../background/JobLoop.js';

/** Something that needs the user: a failed run, files put in quarantine, an expected file that did not come. */
export interface AttentionNotice {
  readonly kind: 'failure' | 'quarantine' | 'sla';
  readonly title: string;
  readonly body: string;
  /** What clicking the notification opens. */
  readonly target: WindowTarget;
}

/** The parts of an Electron `Notification` the shell uses. */
export interface ShellNotification {
  on(event: 'click', listener: () => void): void;
  on(event: 'close', listener: () => void): void;
  show(): void;
}

export interface DesktopNotifierOptions {
  /** `Notification.isSupported()`: false on a Linux desktop without a notification daemon. */
  readonly isSupported: () => boolean;
  /** `new Notification(options)`. */
  readonly create: (options: NotificationConstructorOptions) => ShellNotification;
  /** Opens the window on the notice's entry. */
  readonly open: (target: WindowTarget) => void;
}

/**
 * Shows each notice as a desktop notification; a click opens Ferry's window on its entry. Where the system
 * has no notifications, the tray's attention icon and its menu still tell.
 */
export function desktopNotifier(opts: DesktopNotifierOptions): (notice: AttentionNotice) => void {
  // Held until clicked or closed: a notification object the garbage collector takes loses its click.
  const shown = new Set<ShellNotification>();
  return (notice) => {
    if (!opts.isSupported()) return;
    const notification = opts.create({ title: notice.title, body: notice.body, urgency: notice.kind === 'failure' ? 'critical' : 'normal' });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      opts.open(notice.target);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
}

/** What a finished run has to tell the user, if anything: its failure, and the files it put in quarantine. */
export function noticesOfRun(outcome: JobRunOutcome): ReadonlyArray<AttentionNotice> {
  const target: WindowTarget = { to: 'run', runId: outcome.runId };
  const notices: AttentionNotice[] = [];
  if (outcome.status === 'failed' || outcome.status === 'partial') {
    notices.push({
      kind: 'failure',
      title: `${outcome.job}: run ${outcome.status === 'failed' ? 'failed' : 'partly failed'}`,
      body: outcome.error ?? outcome.summary,
      target,
    });
  }
  if (outcome.quarantined > 0) {
    notices.push({
      kind: 'quarantine',
      title: `${outcome.job}: ${outcome.quarantined} file${outcome.quarantined === 1 ? '' : 's'} put in quarantine`,
      body: 'Open the run to see why each was refused.',
      target,
    });
  }
  return notices;
}

/** The notice of an expected file that had not arrived by its deadline. */
export function slaNotice(job: string, expected: string, by: string): AttentionNotice {
  return { kind: 'sla', title: `${job}: ${expected} has not arrived`, body: `It was expected by ${by}.`, target: { to: 'job', job } };
}
