import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { EventReceiver } from '../../main/ipc/eventFanOut.js';
import { registerCoreIpc, type CoreIpc, type InvokeEvent, type IpcMainPort, type SenderFrame } from '../../main/ipc/registerCoreIpc.js';
import { isAppFrame } from '../../main/security.js';
import { IPC_CHANNELS } from '../../src/shared/contract/bridge.js';
import { COMMAND_NAMES, COMMANDS } from '../../src/shared/contract/commands.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { TransferSnapshot } from '../../src/shared/contract/models.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';
import { INVALID_INPUTS, VALID_INPUTS } from './examples/index.js';
import { RUNNING_SNAPSHOT } from './fixtures.js';

type Listener = (event: InvokeEvent, payload: unknown) => Promise<Wire<unknown>>;

class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    // Electron refuses a second handler for a channel, too.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  call(channel: string, event: InvokeEvent, payload: unknown): Promise<Wire<unknown>> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, payload);
  }
}

class FakeContents implements EventReceiver {
  readonly received: EventMessage[] = [];
  destroyedListeners = 0;
  private destroyed = false;
  private readonly onDestroyed: Array<() => void> = [];

  send(channel: string, message: EventMessage): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    expect(channel).toBe(IPC_CHANNELS.event);
    this.received.push(message);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  once(_event: 'destroyed', listener: () => void): void {
    this.destroyedListeners++;
    this.onDestroyed.push(listener);
  }

  /** Closes the window; `announce: false` is the moment between the close and Electron's 'destroyed'. */
  destroy({ announce }: { announce: boolean }): void {
    this.destroyed = true;
    if (announce) for (const listener of this.onDestroyed.splice(0)) listener();
  }

  receivedEvents(): string[] {
    return this.received.map((m) => m.event);
  }
}

class FakeCore {
  readonly invoked: Array<{ command: string; input: unknown }> = [];
  readonly listeners = new Set<(message: EventMessage) => void>();
  throwing: Error | undefined;

  async invoke(command: string, input: unknown): Promise<Wire<unknown>> {
    if (this.throwing) throw this.throwing;
    this.invoked.push({ command, input });
    return ok({ answeredBy: 'core', command });
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(message: EventMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}

const APP_PAGE = 'app://ferry/index.html';
const appFrame: SenderFrame = { url: APP_PAGE, parent: null };

function eventFrom(sender: EventReceiver, frame: SenderFrame | null = appFrame): InvokeEvent {
  return { sender, senderFrame: frame };
}

const snapshot: TransferSnapshot = RUNNING_SNAPSHOT;
const progress: EventMessage = { event: 'transfer.progress', payload: snapshot };
const folderChanged: EventMessage = { event: 'files.changed', payload: { connection: 'partner', path: 'outbox' } };
const stateChanged: EventMessage = { event: 'transfer.state', payload: { id: 't1', state: 'running', snapshot } };

let ipcMain: FakeIpcMain;
let core: FakeCore;
let window: FakeContents;
let ipc: CoreIpc;

beforeEach(() => {
  ipcMain = new FakeIpcMain();
  core = new FakeCore();
  window = new FakeContents();
  ipc = registerCoreIpc({ ipcMain, core, isTrustedSender: isAppFrame });
});

const invoke = (payload: unknown, frame?: SenderFrame | null) => ipcMain.call(IPC_CHANNELS.invoke, eventFrom(window, frame), payload);
const subscribe = (contents: FakeContents, event: unknown) => ipcMain.call(IPC_CHANNELS.subscribe, eventFrom(contents), event);
const unsubscribe = (contents: FakeContents, event: unknown) => ipcMain.call(IPC_CHANNELS.unsubscribe, eventFrom(contents), event);

function errorKind(answer: Wire<unknown>): string | undefined {
  return answer.ok ? undefined : answer.error.kind;
}

describe('the IPC router', () => {
  it('fits what Electron passes it', () => {
    expectTypeOf<Pick<IpcMain, 'handle' | 'removeHandler'>>().toExtend<IpcMainPort>();
    expectTypeOf<IpcMainInvokeEvent>().toExtend<InvokeEvent>();
    expectTypeOf<WebContents>().toExtend<EventReceiver>();
    expectTypeOf<WebFrameMain>().toExtend<SenderFrame>();
  });

  it('binds one channel for commands and two for events, and unbinds them', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(['ferry:invoke', 'ferry:subscribe', 'ferry:unsubscribe']);
    ipc.close();
    expect(ipcMain.handlers.size).toBe(0);
  });

  describe('refuses senders other than the top frame of the app page', () => {
    const untrusted: Array<[string, SenderFrame | null]> = [
      ['a frame that is gone (null)', null],
      ['a sub-frame of the app page', { url: APP_PAGE, parent: appFrame }],
      ['a web page', { url: 'https://evil.example/', parent: null }],
      ['a local file', { url: 'file:///home/ops/index.html', parent: null }],
      ['another host on the app scheme', { url: 'app://ferry.evil/index.html', parent: null }],
      ['the app host with a port', { url: 'app://ferry:8080/index.html', parent: null }],
      ['a page with no URL yet', { url: '', parent: null }],
    ];

    it.each(untrusted)('%s', async (_name, frame) => {
      for (const channel of Object.values(IPC_CHANNELS).filter((c) => c !== IPC_CHANNELS.event)) {
        const payload = channel === IPC_CHANNELS.invoke ? { command: 'app.info', input: {} } : 'transfer.progress';
        const answer = await ipcMain.call(channel, eventFrom(window, frame), payload);
        expect(answer).toEqual(fail({ kind: 'permission', message: "Only Ferry's own window may ask Ferry to do things", retryable: false }));
      }
      expect(core.invoked).toEqual([]);
      expect(core.listeners.size).toBe(0);
    });

    it('refuses a sub-frame even when the trust check would pass it', async () => {
      ipc.close();
      ipc = registerCoreIpc({ ipcMain, core, isTrustedSender: () => true });
      expect(errorKind(await invoke({ command: 'app.info', input: {} }, { url: APP_PAGE, parent: appFrame }))).toBe('permission');
      expect(errorKind(await invoke({ command: 'app.info', input: {} }, null))).toBe('permission');
      expect(core.invoked).toEqual([]);
    });

    it('asks the trust check about the sending frame', async () => {
      const asked: SenderFrame[] = [];
      ipc.close();
      ipc = registerCoreIpc({ ipcMain, core, isTrustedSender: (frame) => (asked.push(frame), false) });
      const frame = { url: APP_PAGE, parent: null };
      expect(errorKind(await invoke({ command: 'app.info', input: {} }, frame))).toBe('permission');
      expect(asked).toEqual([frame]);
      expect(core.invoked).toEqual([]);
    });
  });

  describe('refuses malformed envelopes before the core sees them', () => {
    class Envelope {
      constructor(
        readonly command: string,
        readonly input: unknown,
      ) {}
    }

    it.each<[string, unknown]>([
      ['nothing', undefined],
      ['null', null],
      ['a bare name', 'app.info'],
      ['an array', ['app.info', {}]],
      ['no name', { input: {} }],
      ['a name that is not a string', { command: 42, input: {} }],
      ['no input', { command: 'app.info' }],
      ['a third field', { command: 'app.info', input: {}, as: 'admin' }],
      ['a class instance as the envelope', new Envelope('app.info', {})],
      ['a Map as the input', { command: 'app.info', input: new Map() }],
      ['a Date as the input', { command: 'connections.list', input: new Date() }],
      ['an input with an inherited field', { command: 'connections.test', input: Object.create({ name: 'partner' }) as unknown }],
      ['a function inside the input', { command: 'app.info', input: { then: () => undefined } }],
    ])('%s is a bad request', async (_name, payload) => {
      expect(errorKind(await invoke(payload))).toBe('badRequest');
      expect(core.invoked).toEqual([]);
    });

    it.each(['app.quit', '', 'constructor', '__proto__', 'toString', 'APP.INFO'])('"%s" is an unknown command', async (command) => {
      const answer = await invoke({ command, input: {} });
      expect(answer).toEqual(fail({ kind: 'unknownCommand', message: `Ferry has no command named "${command}"`, retryable: false }));
      expect(core.invoked).toEqual([]);
    });
  });

  describe('every command in the contract', () => {
    it('has a valid and an invalid example here', () => {
      expect(Object.keys(VALID_INPUTS).sort()).toEqual([...COMMAND_NAMES].sort());
      expect(Object.keys(INVALID_INPUTS).sort()).toEqual([...COMMAND_NAMES].sort());
      for (const command of COMMAND_NAMES) {
        expect(COMMANDS[command].input.safeParse(VALID_INPUTS[command]).success, command).toBe(true);
        expect(COMMANDS[command].input.safeParse(INVALID_INPUTS[command]).success, command).toBe(false);
      }
    });

    it.each(COMMAND_NAMES)('%s: reaches the core with a valid input and brings its answer back', async (command) => {
      const answer = await invoke({ command, input: VALID_INPUTS[command] });
      expect(answer).toEqual(ok({ answeredBy: 'core', command }));
      expect(core.invoked).toEqual([{ command, input: VALID_INPUTS[command] }]);
    });

    it.each(COMMAND_NAMES)('%s: refuses an input its schema refuses', async (command) => {
      const answer = await invoke({ command, input: INVALID_INPUTS[command] });
      expect(errorKind(answer)).toBe('badRequest');
      expect(answer.ok ? '' : answer.error.message).toMatch(new RegExp(`^${command.replace('.', '\\.')}: `));
      expect(core.invoked).toEqual([]);
    });

    it.each(COMMAND_NAMES)('%s: refuses a field the schema does not know', async (command) => {
      const input = Object.assign({}, VALID_INPUTS[command], { sudo: true });
      expect(errorKind(await invoke({ command, input }))).toBe('badRequest');
      expect(core.invoked).toEqual([]);
    });
  });

  it('passes errors from the core through as they are', async () => {
    const refused = fail({ kind: 'notFound', message: 'partner:/outbox does not exist', retryable: false, path: 'outbox' });
    core.invoke = async () => refused;
    expect(await invoke({ command: 'files.list', input: VALID_INPUTS['files.list'] })).toBe(refused);
  });

  it('answers a core that throws with an internal error instead of throwing across', async () => {
    core.throwing = new Error('database is locked');
    const answer = await invoke({ command: 'app.info', input: {} });
    expect(answer).toEqual(fail({ kind: 'internal', message: 'Ferry failed unexpectedly: database is locked', retryable: false }));
  });

  describe('events', () => {
    it('reach only the windows that asked for them, until they unsubscribe', async () => {
      const other = new FakeContents();
      expect(await subscribe(window, 'transfer.progress')).toEqual(ok({}));
      expect(await subscribe(other, 'files.changed')).toEqual(ok({}));

      core.emit(progress);
      core.emit(folderChanged);
      core.emit(stateChanged);
      expect(window.received).toEqual([progress]);
      expect(other.received).toEqual([folderChanged]);

      expect(await unsubscribe(window, 'transfer.progress')).toEqual(ok({}));
      core.emit(progress);
      core.emit(folderChanged);
      expect(window.receivedEvents()).toEqual(['transfer.progress']);
      expect(other.receivedEvents()).toEqual(['files.changed', 'files.changed']);
    });

    it('keeps the other events of a window that drops one', async () => {
      await subscribe(window, 'transfer.progress');
      await subscribe(window, 'transfer.state');
      await unsubscribe(window, 'transfer.progress');
      core.emit(progress);
      core.emit(stateChanged);
      expect(window.receivedEvents()).toEqual(['transfer.state']);
    });

    it.each<[string, unknown]>([
      ['an unknown event', 'transfer.exploded'],
      ['an inherited name', 'constructor'],
      ['not a name', { event: 'transfer.progress' }],
    ])('refuses subscribing to %s', async (_name, event) => {
      expect(errorKind(await subscribe(window, event))).toBe('badRequest');
      expect(errorKind(await unsubscribe(window, event))).toBe('badRequest');
      expect(core.listeners.size).toBe(0);
    });

    it('listens to the core only while some window wants an event', async () => {
      const other = new FakeContents();
      expect(core.listeners.size).toBe(0);
      await subscribe(window, 'transfer.progress');
      await subscribe(other, 'transfer.progress');
      await subscribe(other, 'files.changed');
      expect(core.listeners.size).toBe(1);

      await unsubscribe(window, 'transfer.progress');
      expect(core.listeners.size).toBe(1);
      other.destroy({ announce: true });
      expect(core.listeners.size).toBe(0);

      await subscribe(window, 'files.changed');
      expect(core.listeners.size).toBe(1);
      core.emit(folderChanged);
      expect(window.received).toEqual([folderChanged]);
      expect(other.received).toEqual([]);
    });

    it('drops a window that is destroyed before Electron says so, and does not send to it', async () => {
      await subscribe(window, 'transfer.progress');
      window.destroy({ announce: false });
      core.emit(progress);
      expect(window.received).toEqual([]);
      expect(core.listeners.size).toBe(0);
    });

    it('ignores a subscription from a window already destroyed', async () => {
      window.destroy({ announce: true });
      expect(await subscribe(window, 'transfer.progress')).toEqual(ok({}));
      expect(core.listeners.size).toBe(0);
    });

    it('watches each window for its end once, however often it subscribes again', async () => {
      for (let i = 0; i < 20; i++) {
        await subscribe(window, 'transfer.progress');
        await unsubscribe(window, 'transfer.progress');
      }
      expect(window.destroyedListeners).toBe(1);
    });

    it("sends the shell's own events to the windows that want them", async () => {
      const other = new FakeContents();
      await subscribe(window, 'window.navigate');
      await subscribe(other, 'files.changed');
      const navigate: EventMessage = { event: 'window.navigate', payload: { kind: 'run', runId: 7 } };
      ipc.publish(navigate);
      expect(window.received).toEqual([navigate]);
      expect(other.received).toEqual([]);
    });

    it('keeps a shell event nobody listens to yet for the first window that subscribes to it, once', async () => {
      ipc.publish({ event: 'window.navigate', payload: { kind: 'run', runId: 7 } });
      const latest: EventMessage = { event: 'window.navigate', payload: { kind: 'job', job: 'invoices' } };
      ipc.publish(latest);
      await subscribe(window, 'files.changed');
      expect(window.received).toEqual([]);
      await subscribe(window, 'window.navigate');
      expect(window.received).toEqual([latest]);
      const later = new FakeContents();
      await subscribe(later, 'window.navigate');
      expect(later.received).toEqual([]);
    });

    it('stop, with the core listener, when the router is undone', async () => {
      await subscribe(window, 'transfer.progress');
      ipc.close();
      expect(core.listeners.size).toBe(0);
    });
  });
});
