import type { CoreHost } from '../../src/host/CoreHost.js';
import { IPC_CHANNELS } from '../../src/shared/contract/bridge.js';
import type { EventMessage, EventName } from '../../src/shared/contract/events.js';

/** The parts of a window's WebContents that events go through. */
export interface EventReceiver {
  send(channel: string, message: EventMessage): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): void;
}

export interface EventFanOut {
  subscribe(receiver: EventReceiver, event: EventName): void;
  unsubscribe(receiver: EventReceiver, event: EventName): void;
  /**
   * Sends an event of the desktop shell's own (not the core's) to the windows that want it; if none does
   * yet, the latest of that name waits for the first window that subscribes to it, so a window opened to
   * show it still gets it once its page is listening.
   */
  publish(message: EventMessage): void;
  /** Forgets every window and stops listening to the core. */
  close(): void;
}

/**
 * Sends each core event to the windows that asked for it. Listens to the core only while some window
 * wants an event, so a closed last window leaves no listener behind.
 */
export function createEventFanOut(core: Pick<CoreHost, 'subscribe'>): EventFanOut {
  const wanted = new Map<EventReceiver, Set<EventName>>();
  // One 'destroyed' listener per window for its whole life, however often it subscribes anew.
  const watched = new WeakSet<EventReceiver>();
  let stopCore: (() => void) | undefined;
  const waiting = new Map<EventName, EventMessage>();

  const stopListening = (): void => {
    stopCore?.();
    stopCore = undefined;
  };

  const forget = (receiver: EventReceiver): void => {
    wanted.delete(receiver);
    if (wanted.size === 0) stopListening();
  };

  /** Sends to every live window that wants the event; says whether one did. */
  const forward = (message: EventMessage): boolean => {
    let delivered = false;
    for (const [receiver, events] of wanted) {
      // 'destroyed' may not have fired yet when the core speaks; sending then would throw.
      if (receiver.isDestroyed()) forget(receiver);
      else if (events.has(message.event)) {
        receiver.send(IPC_CHANNELS.event, message);
        delivered = true;
      }
    }
    return delivered;
  };

  return {
    subscribe(receiver, event) {
      if (receiver.isDestroyed()) return;
      const events = wanted.get(receiver) ?? new Set<EventName>();
      events.add(event);
      wanted.set(receiver, events);
      if (!watched.has(receiver)) {
        watched.add(receiver);
        receiver.once('destroyed', () => forget(receiver));
      }
      stopCore ??= core.subscribe((message) => void forward(message));
      const held = waiting.get(event);
      if (held !== undefined) {
        waiting.delete(event);
        receiver.send(IPC_CHANNELS.event, held);
      }
    },
    unsubscribe(receiver, event) {
      const events = wanted.get(receiver);
      events?.delete(event);
      if (events?.size === 0) forget(receiver);
    },
    publish(message) {
      if (!forward(message)) waiting.set(message.event, message);
    },
    close() {
      wanted.clear();
      waiting.clear();
      stopListening();
    },
  };
}
