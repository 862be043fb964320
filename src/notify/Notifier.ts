import { DEFAULT_SMTP_SERVER, type NotificationRule, type SmtpServerConfig } from './config.js';
import { Deadline } from './Deadline.js';
import { EmailSender } from './email.js';
import type { DeliveryOutcome, Notification } from './Notification.js';
import { describeError, failed, sent } from './outcome.js';
import { deliverWebhook, webhookRecipient, type WebhookTarget } from './webhook.js';

export interface NotifierDeps {
  readonly smtpServers: (name: string) => SmtpServerConfig | undefined;
  readonly secret: (name: string) => Promise<string | undefined>;
  /** The app's platform port; absent in headless runs. */
  readonly desktop?: (n: Notification) => void | Promise<void>;
  /** Injectable for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Per delivery, retries included. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
export const HEADLESS_DESKTOP_ERROR = 'no desktop session (headless run)';

interface Plan {
  /** Server name → addresses, so that one message goes to each server and nobody gets it twice. */
  readonly email: Map<string, Map<string, string>>;
  readonly webhooks: Map<string, WebhookTarget>;
  desktop: boolean;
}

export class Notifier {
  readonly #deps: NotifierDeps;
  readonly #timeoutMs: number;
  readonly #email: EmailSender;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
    this.#timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#email = new EmailSender({ smtpServers: deps.smtpServers, secret: deps.secret, timeoutMs: this.#timeoutMs });
  }

  /** Sends `n` through every rule whose `on` includes n.event. Never throws; returns one outcome per recipient/channel. */
  async notify(rules: ReadonlyArray<NotificationRule>, n: Notification): Promise<ReadonlyArray<DeliveryOutcome>> {
    let plan: Plan;
    try {
      plan = planFor(rules, n);
    } catch {
      // Only reachable with rules that bypassed the schema; a notification must not fail the job.
      return [];
    }
    const deliveries: Array<Promise<ReadonlyArray<DeliveryOutcome>>> = [];
    for (const [server, addresses] of plan.email) {
      const to = [...addresses.values()];
      deliveries.push(guard(() => this.#email.send(server, to, n), (e) => to.map((r) => failed('email', r, e))));
    }
    for (const target of plan.webhooks.values()) {
      const recipient = webhookRecipient(target.url);
      deliveries.push(guard(async () => [await this.#webhook(target, n)], (e) => [failed('webhook', recipient, e)]));
    }
    if (plan.desktop) deliveries.push(guard(async () => [await this.#desktop(n)], (e) => [failed('desktop', 'desktop', e)]));
    return (await Promise.all(deliveries)).flat();
  }

  #webhook(target: WebhookTarget, n: Notification): Promise<DeliveryOutcome> {
    return deliverWebhook(target, n, {
      fetch: this.#deps.fetch ?? globalThis.fetch,
      secret: this.#deps.secret,
      timeoutMs: this.#timeoutMs,
    });
  }

  async #desktop(n: Notification): Promise<DeliveryOutcome> {
    const show = this.#deps.desktop;
    if (show === undefined) return failed('desktop', 'desktop', HEADLESS_DESKTOP_ERROR);
    await new Deadline(this.#timeoutMs).race(Promise.resolve().then(() => show(n)));
    return sent('desktop', 'desktop');
  }
}

function planFor(rules: ReadonlyArray<NotificationRule>, n: Notification): Plan {
  const plan: Plan = { email: new Map(), webhooks: new Map(), desktop: false };
  for (const rule of rules) {
    if (!rule.on.includes(n.event)) continue;
    if (rule.email !== undefined) {
      const server = rule.email.server ?? DEFAULT_SMTP_SERVER;
      const addresses = plan.email.get(server) ?? new Map<string, string>();
      for (const address of rule.email.to) {
        const key = address.trim().toLowerCase();
        if (!addresses.has(key)) addresses.set(key, address.trim());
      }
      plan.email.set(server, addresses);
    }
    if (rule.webhook !== undefined) {
      const { url, secretHeader } = rule.webhook;
      const key = JSON.stringify([url, secretHeader?.name.toLowerCase(), secretHeader?.secret]);
      if (!plan.webhooks.has(key)) plan.webhooks.set(key, rule.webhook);
    }
    if (rule.desktop === true) plan.desktop = true;
  }
  return plan;
}

/** Turns anything a channel throws into failed outcomes; the channels already redact their own secrets. */
async function guard(
  deliver: () => Promise<ReadonlyArray<DeliveryOutcome>>,
  onError: (error: string) => ReadonlyArray<DeliveryOutcome>,
): Promise<ReadonlyArray<DeliveryOutcome>> {
  try {
    return await deliver();
  } catch (e) {
    return onError(describeError(e));
  }
}
