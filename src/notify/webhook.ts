import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Notification, DeliveryOutcome } from './Notification.js';
import { Deadline, DeliveryTimeout } from './Deadline.js';
import { describeError, failed, sent } from './outcome.js';

export interface WebhookTarget {
  readonly url: string;
  readonly secretHeader?: { readonly name: string; readonly secret: string };
}

export interface WebhookOptions {
  readonly fetch: typeof fetch;
  readonly secret: (name: string) => Promise<string | undefined>;
  readonly timeoutMs: number;
}

const MAX_ATTEMPTS = 3;
const BACKOFF_MS = 250;
/** A receiver asking for a longer pause gets the failure instead: the job is waiting on this. */
const MAX_RETRY_AFTER_MS = 5_000;
const BODY_EXCERPT_BYTES = 300;
/** Header values fetch accepts: visible Latin-1 plus space and tab. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Where a webhook went, as recorded in the history: query strings often carry access keys. */
export function webhookRecipient(url: string): string {
  const parsed = URL.parse(url);
  return parsed === null ? '(invalid URL)' : `${parsed.origin}${parsed.pathname}`;
}

export async function deliverWebhook(target: WebhookTarget, n: Notification, opts: WebhookOptions): Promise<DeliveryOutcome> {
  const recipient = webhookRecipient(target.url);
  const secrets: string[] = [];
  const parsed = URL.parse(target.url);
  if (parsed !== null && parsed.search.length > 1) secrets.push(parsed.search.slice(1), ...parsed.searchParams.values());
  const fail = (error: string): DeliveryOutcome => failed('webhook', recipient, error, secrets);
  const deadline = new Deadline(opts.timeoutMs);

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Ferry',
    // Stays the same across retries, so that a receiver can drop a duplicate POST.
    'x-ferry-delivery': randomUUID(),
  };
  if (target.secretHeader !== undefined) {
    const { name, secret } = target.secretHeader;
    let value: string | undefined;
    try {
      value = await deadline.race(opts.secret(secret));
    } catch (e) {
      if (e instanceof DeliveryTimeout) return fail(`${e.message} reading the secret ${JSON.stringify(secret)}`);
      return fail(`cannot read the secret ${JSON.stringify(secret)}: ${describeError(e)}`);
    }
    if (value === undefined || value === '') return fail(`the secret ${JSON.stringify(secret)} is not in the secret store`);
    secrets.push(value);
    // Checked here because fetch's own complaint quotes the offending value.
    if (!HEADER_VALUE.test(value)) return fail(`the secret ${JSON.stringify(secret)} cannot be sent as an HTTP header value (line break or control character)`);
    headers[name] = value;
  }

  const body = JSON.stringify({
    event: n.event,
    job: n.job,
    runId: n.runId ?? null,
    subject: n.subject,
    text: n.text,
    facts: n.facts,
    sentAt: new Date().toISOString(),
  });

  const timedOut = (last: string | undefined): DeliveryOutcome => fail(`${deadline.message}${last === undefined ? '' : ` (last attempt: ${last})`}`);
  let last: string | undefined;

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let response: Response;
    try {
      // Not following redirects: the secret header would go wherever the redirect points.
      response = await opts.fetch(target.url, { method: 'POST', headers, body, redirect: 'manual', signal: deadline.signal });
    } catch (e) {
      if (deadline.signal.aborted) return timedOut(last);
      last = describeError(e);
      if (attempt === MAX_ATTEMPTS) break;
      if (!(await pause(BACKOFF_MS * 2 ** (attempt - 1), deadline))) return timedOut(last);
      continue;
    }
    if (response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return sent('webhook', recipient);
    }
    const excerpt = await readExcerpt(response);
    last = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}${excerpt === '' ? '' : `: ${excerpt}`}`;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt === MAX_ATTEMPTS) break;
    const asked = retryAfterMs(response.headers.get('retry-after'));
    if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
      last += ` (asked to retry after ${Math.ceil(asked / 1000)} s)`;
      break;
    }
    if (!(await pause(asked ?? BACKOFF_MS * 2 ** (attempt - 1), deadline))) {
      return fail(`${last} (no time left to retry within ${opts.timeoutMs} ms)`);
    }
  }
  return fail(last ?? 'no attempt was made');
}

/** Waits before the next attempt; false when the wait would not end before the deadline. */
async function pause(ms: number, deadline: Deadline): Promise<boolean> {
  if (ms >= deadline.remainingMs) return false;
  try {
    await sleep(ms, undefined, { signal: deadline.signal });
    return true;
  } catch {
    return false;
  }
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The start of an error response: Slack, Teams and most incident APIs explain the refusal there. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_EXCERPT_BYTES) {
      // Typed `any` by the runtime's declarations; checked rather than trusted.
      const result: { done: boolean; value?: unknown } = await reader.read();
      if (result.done || !(result.value instanceof Uint8Array)) break;
      chunks.push(result.value);
      size += result.value.byteLength;
    }
  } catch {
    // The status alone still says what happened.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, BODY_EXCERPT_BYTES).toString('utf8');
  return text.replace(/\s+/g, ' ').trim();
}
