import type { NotificationConstructorOptions } from 'electron';
import type { AttentionRaised, AttentionTarget } from '../../src/shared/contract/homeCommands.js';

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
  /** Opens the window where the notice leads. */
  readonly open: (target: AttentionTarget) => void;
}

/**
 * Shows each notice the core raises (a failed run, files put in quarantine, a file late for its deadline)
 * as a desktop notification; a click opens Ferry's window where the notice leads. Where the system has no
 * notifications, the tray's attention icon and its menu still tell.
 */
export function desktopNotifier(opts: DesktopNotifierOptions): (notice: AttentionRaised) => void {
  // Held until clicked or closed: a notification object the garbage collector takes loses its click.
  const shown = new Set<ShellNotification>();
  return (notice) => {
    if (!opts.isSupported()) return;
    const notification = opts.create({ title: notice.title, body: notice.text, urgency: notice.kind === 'failure' ? 'critical' : 'normal' });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      opts.open(notice.target);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
}
