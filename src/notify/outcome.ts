import type { DeliveryChannel, DeliveryOutcome } from './Notification.js';

const MAX_ERROR_LENGTH = 500;

export function sent(channel: DeliveryChannel, recipient: string): DeliveryOutcome {
  return { channel, recipient, status: 'sent' };
}

/**
 * A failed outcome whose text has every secret of the delivery blanked out: error messages are built
 * by libraries (HTTP stack, SMTP client, the receiving server) that may echo what they were given.
 */
export function failed(channel: DeliveryChannel, recipient: string, error: string, secrets: ReadonlyArray<string> = []): DeliveryOutcome {
  return { channel, recipient, status: 'failed', error: redact(error, secrets) };
}

export function redact(text: string, secrets: ReadonlyArray<string>): string {
  let out = text;
  // Longest first, so that a secret containing another is not left half-visible.
  for (const s of [...secrets].filter((v) => v !== '').sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('[redacted]');
  }
  return out.length > MAX_ERROR_LENGTH ? `${out.slice(0, MAX_ERROR_LENGTH)}…` : out;
}

/** The message of an error plus the code of its cause, which is where fetch and sockets say what went wrong. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts = [e.message];
  let cause: unknown = e.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    parts.push(code !== undefined && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message);
    cause = cause.cause;
  }
  return parts.filter((p) => p !== '').join(': ');
}
