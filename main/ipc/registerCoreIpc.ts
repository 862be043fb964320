import type { CoreHost } from '../../src/host/CoreHost.js';
import { IPC_CHANNELS } from '../../src/shared/contract/bridge.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';
import { checkCommand, checkEventName } from './commandRequest.js';
import { createEventFanOut, type EventReceiver } from './eventFanOut.js';

/** The parts of the WebFrameMain that sent a message which the trust check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

/** The parts of an IpcMainInvokeEvent the router reads. */
export interface InvokeEvent {
  readonly sender: EventReceiver;
  readonly senderFrame: SenderFrame | null;
}

/** The parts of Electron's `ipcMain` the router uses. */
export interface IpcMainPort {
  handle(channel: string, listener: (event: InvokeEvent, payload: unknown) => Promise<Wire<unknown>>): void;
  removeHandler(channel: string): void;
}

export interface CoreIpcOptions {
  readonly ipcMain: IpcMainPort;
  readonly core: Pick<CoreHost, 'invoke' | 'subscribe'>;
  /** Whether a top-level frame shows Ferry's own page (see `isAppFrame`). */
  readonly isTrustedSender: (frame: SenderFrame) => boolean;
}

/** The router once bound: the desktop shell's own events go out through it, and it can be undone. */
export interface CoreIpc {
  /** Sends an event of the shell's own to the windows (see `EventFanOut.publish`). */
  publish(message: EventMessage): void;
  /** Removes the handlers and stops every event. */
  close(): void;
}

const UNTRUSTED = fail({ kind: 'permission', message: "Only Ferry's own window may ask Ferry to do things", retryable: false });

/**
 * Binds the core to the desktop window's IPC: one channel for every command, two for choosing events.
 * Every message is checked here, at the trust boundary, before the core sees it: who sent it (the
 * top-level frame of Ferry's own page, never a sub-frame or another site), and what it holds. Answers
 * are always `Wire`: a thrown error would reach the page as its message alone.
 */
export function registerCoreIpc({ ipcMain, core, isTrustedSender }: CoreIpcOptions): CoreIpc {
  const events = createEventFanOut(core);

  const bind = (channel: string, handler: (sender: EventReceiver, payload: unknown) => Promise<Wire<unknown>>): void => {
    ipcMain.handle(channel, async (event, payload) => {
      const frame = event.senderFrame;
      if (frame === null || frame.parent !== null || !isTrustedSender(frame)) return UNTRUSTED;
      try {
        return await handler(event.sender, payload);
      } catch (error) {
        return fail({ kind: 'internal', message: `Ferry failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, retryable: false });
      }
    });
  };

  bind(IPC_CHANNELS.invoke, async (_sender, payload) => {
    const checked = checkCommand(payload);
    return checked.ok ? core.invoke(checked.value.command, checked.value.input) : checked;
  });
  bind(IPC_CHANNELS.subscribe, async (sender, payload) => {
    const event = checkEventName(payload);
    if (!event.ok) return event;
    events.subscribe(sender, event.value);
    return ok({});
  });
  bind(IPC_CHANNELS.unsubscribe, async (sender, payload) => {
    const event = checkEventName(payload);
    if (!event.ok) return event;
    events.unsubscribe(sender, event.value);
    return ok({});
  });

  return {
    publish: (message) => events.publish(message),
    close() {
      for (const channel of [IPC_CHANNELS.invoke, IPC_CHANNELS.subscribe, IPC_CHANNELS.unsubscribe]) ipcMain.removeHandler(channel);
      events.close();
    },
  };
}
