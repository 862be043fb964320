import type { NOTIFICATION_EVENTS } from './config.js';

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface Notification {
  readonly event: NotificationEvent;
  readonly job: string;
  readonly runId?: number;
  /** One line. */
  readonly subject: string;
  /** Plain-text body. */
  readonly text: string;
  /** Machine-readable details for filters and incident systems: file, rule, reason, quarantine location... */
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

export type DeliveryChannel = 'email' | 'webhook' | 'desktop';

export interface DeliveryOutcome {
  readonly channel: DeliveryChannel;
  /** An address, the webhook URL without its query, or `desktop`. */
  readonly recipient: string;
  readonly status: 'sent' | 'failed';
  /** Never holds a secret value. */
  readonly error?: string;
}
