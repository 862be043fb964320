import { z } from 'zod';
import type { EventName, EventPayload } from '../../src/shared/contract/events.js';
import { fail, parseWire, type Wire } from '../../src/shared/contract/wire.js';
import { checkedAnswer, checkedEvent } from './checked.js';
import type { RendererHost } from './RendererHost.js';

/** The web host refuses state-changing requests without it, which a cross-site form cannot send. */
const FERRY_HEADER = { 'X-Ferry': '1' } as const;
const MAX_BACKOFF_MS = 10_000;

type Listener = (payload: unknown) => void;
const uploadAnswer = z.strictObject({ path: z.string() });

function unreachable(what: string, error: unknown): Wire<never> {
  const detail = error instanceof Error ? error.message : String(error);
  return fail({ kind: 'network', message: `Ferry's host did not answer ${what} (${detail}); is Ferry still running?`, retryable: true });
}

async function readWire(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return { ok: false, error: { kind: 'internal', message: `The host answered ${response.status} ${response.statusText} without a result`, retryable: false } };
  }
}

/**
 * The host in a browser: commands as `POST /api/<command>`, events over one WebSocket that reconnects
 * with growing pauses, so a restarted host is picked up without reloading the window.
 */
export function httpHost(base: URL = new URL('/', window.location.href)): RendererHost {
  const listeners = new Map<string, Set<Listener>>();
  const reconnected = new Set<() => void>();
  let socket: WebSocket | undefined;
  let backoff = 500;
  let broken = false;

  const connect = (): void => {
    const url = new URL('api/events', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      backoff = 500;
      if (broken) for (const listener of reconnected) listener();
      broken = false;
    });
    ws.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null || !('event' in parsed) || typeof parsed.event !== 'string') return;
      const event = parsed.event;
      const payload = 'payload' in parsed ? parsed.payload : undefined;
      for (const listener of listeners.get(event) ?? []) listener(payload);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws || listeners.size === 0) return;
      socket = undefined;
      broken = true;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    });
  };

  return {
    async invoke(command, input) {
      try {
        const response = await fetch(new URL(`api/${command}`, base), {
          method: 'POST',
          headers: { ...FERRY_HEADER, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
        return checkedAnswer(command, await readWire(response));
      } catch (error) {
        return unreachable(command, error);
      }
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const checked: Listener = (raw) => {
        const payload = checkedEvent(event, raw);
        if (payload !== undefined) listener(payload);
      };
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(checked);
      listeners.set(event, set);
      if (socket === undefined) connect();
      return () => {
        set.delete(checked);
        if (set.size === 0) listeners.delete(event);
        if (listeners.size === 0) {
          const ws = socket;
          socket = undefined;
          ws?.close();
        }
      };
    },
    localPathOf() {
      return undefined;
    },
    onReconnect(listener) {
      reconnected.add(listener);
      return () => reconnected.delete(listener);
    },
    async upload(file, target) {
      const url = new URL('api/upload', base);
      url.searchParams.set('connection', target.connection);
      url.searchParams.set('path', target.path);
      url.searchParams.set('name', file.name);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { ...FERRY_HEADER, 'Content-Type': 'application/octet-stream' },
          body: file,
        });
        return parseWire(uploadAnswer, await readWire(response));
      } catch (error) {
        return unreachable(`the upload of ${file.name}`, error);
      }
    },
  };
}
