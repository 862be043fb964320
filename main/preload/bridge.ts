import type { z } from 'zod';
import { BRIDGE_KEY, IPC_CHANNELS, type FerryBridge } from '../../src/shared/contract/bridge.js';
import { COMMANDS, isCommandName, type CommandName, type CommandOutput } from '../../src/shared/contract/commands.js';
import { EVENTS, isEventName, type EventName, type EventPayload } from '../../src/shared/contract/events.js';
import { fail, parseWire } from '../../src/shared/contract/wire.js';

/** The parts of Electron's renderer-side modules the bridge uses, so it can be tested without Electron. */
export interface PreloadPorts {
  readonly contextBridge: { exposeInMainWorld(key: string, api: FerryBridge<File>): void };
  readonly ipcRenderer: {
    invoke(channel: string, payload: unknown): Promise<unknown>;
    on(channel: string, listener: (event: unknown, message: unknown) => void): unknown;
  };
  readonly webUtils: { getPathForFile(file: File): string };
}

type Listener = (payload: unknown) => void;

/**
 * Gives the page `window.ferry` and nothing else: each function checks its names against the
 * contract before anything is sent, and `ipcRenderer` itself never reaches the page.
 */
export function exposeFerryBridge({ contextBridge, ipcRenderer, webUtils }: PreloadPorts): void {
  // Many listeners on the page share one subscription in main per event name.
  const listeners = new Map<EventName, Set<Listener>>();

  ipcRenderer.on(IPC_CHANNELS.event, (_event, message) => {
    if (!isEventMessage(message)) return;
    const payload = EVENTS[message.event].safeParse(message.payload);
    if (!payload.success) {
      console.error(`Ferry dropped a "${message.event}" event that does not match its contract`, payload.error.issues);
      return;
    }
    for (const listener of listeners.get(message.event) ?? []) {
      // One failing listener on the page must not keep the event from the others.
      try {
        listener(payload.data);
      } catch (error) {
        console.error(`A listener for Ferry's "${message.event}" event failed`, error);
      }
    }
  });

  // Nobody reads main's answer: subscribing returns at once, and main refuses only names the checks
  // here already refused, or an untrusted frame, which has nothing to be told.
  const tell = (channel: string, event: EventName): void => {
    ipcRenderer.invoke(channel, event).catch(() => undefined);
  };

  const bridge: FerryBridge<File> = {
    async invoke(command, input) {
      // The page is typed, but not bound by its types: a name is checked again at run time.
      if (typeof command !== 'string' || !isCommandName(command)) {
        return fail({ kind: 'unknownCommand', message: `Ferry has no command named "${String(command)}"`, retryable: false });
      }
      let answer: unknown;
      try {
        answer = await ipcRenderer.invoke(IPC_CHANNELS.invoke, { command, input });
      } catch (error) {
        return fail({ kind: 'internal', message: `Ferry's main process did not answer: ${error instanceof Error ? error.message : String(error)}`, retryable: false });
      }
      return parseWire(outputSchema(command), answer);
    },

    subscribe(event, listener) {
      if (typeof event !== 'string' || !isEventName(event)) throw new TypeError(`Ferry has no event named "${String(event)}"`);
      if (typeof listener !== 'function') throw new TypeError('A subscription needs a listener function');
      // A wrapper of our own, so the same function subscribed twice is two subscriptions.
      // The payload was checked against the schema of the event it is dispatched under, which is E.
      const entry: Listener = (payload) => listener(payload as EventPayload<typeof event>);
      const entries = listeners.get(event) ?? new Set<Listener>();
      if (entries.size === 0) tell(IPC_CHANNELS.subscribe, event);
      entries.add(entry);
      listeners.set(event, entries);
      // Made here, not by the page: contextBridge hands the page a new proxy for every function it
      // passes, so an unsubscribe that looked the listener up by identity would never find it.
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        entries.delete(entry);
        if (entries.size > 0) return;
        listeners.delete(event);
        tell(IPC_CHANNELS.unsubscribe, event);
      };
    },

    pathForFile(file) {
      return webUtils.getPathForFile(file);
    },
  };

  contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
}

function outputSchema<C extends CommandName>(command: C): z.ZodType<CommandOutput<C>> {
  // For a generic C, TypeScript sees the union of every command's schema; at run time it is C's own.
  return COMMANDS[command].output as unknown as z.ZodType<CommandOutput<C>>;
}

function isEventMessage(message: unknown): message is { event: EventName; payload: unknown } {
  if (typeof message !== 'object' || message === null || !('event' in message) || !('payload' in message)) return false;
  return typeof message.event === 'string' && isEventName(message.event);
}
