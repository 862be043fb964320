import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { compileFunction } from 'node:vm';
import type { ContextBridge, IpcRenderer, WebUtils } from 'electron';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { exposeFerryBridge, type PreloadPorts } from '../../main/preload/bridge.js';
import type { FerryBridge } from '../../src/shared/contract/bridge.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { TransferSnapshot } from '../../src/shared/contract/models.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';
import { RUNNING_SNAPSHOT } from './fixtures.js';

const ROOT = `${import.meta.dirname}/../..`;

/** What a page holds, without its types: nothing stops it from calling with any value. */
interface UntypedPage {
  invoke(command: unknown, input: unknown): Promise<Wire<unknown>>;
  subscribe(event: unknown, listener: unknown): () => void;
  pathForFile(file: unknown): string;
}

type MainListener = (event: unknown, message: unknown) => void;

/** Stands in for Electron's renderer-side modules, and records what the bridge does with them. */
class FakeElectron implements PreloadPorts {
  readonly exposed = new Map<string, unknown>();
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  readonly listening = new Map<string, MainListener>();
  readonly pathsAsked: File[] = [];
  answer: (channel: string, payload: unknown) => Promise<unknown> = async () => ok({});

  readonly contextBridge = {
    exposeInMainWorld: (key: string, api: FerryBridge<File>): void => {
      this.exposed.set(key, api);
    },
  };

  readonly ipcRenderer = {
    invoke: (channel: string, payload: unknown): Promise<unknown> => {
      this.sent.push({ channel, payload });
      return this.answer(channel, payload);
    },
    on: (channel: string, listener: MainListener): void => {
      this.listening.set(channel, listener);
    },
  };

  readonly webUtils = {
    getPathForFile: (file: File): string => {
      this.pathsAsked.push(file);
      return `/home/ops/Desktop/${file.name}`;
    },
  };

  /** Main sends one message on the event channel. */
  fromMain(message: unknown): void {
    this.listening.get('ferry:event')?.({ sender: 'ipcRenderer' }, message);
  }

  page(): UntypedPage {
    return this.exposed.get('ferry') as UntypedPage;
  }
}

const progress: TransferSnapshot = RUNNING_SNAPSHOT;
const progressMessage: EventMessage = { event: 'transfer.progress', payload: progress };
const appInfo = { version: '0.1.0', host: 'electron', dataFolder: '/home/ops/.config/Ferry' } as const;

let electron: FakeElectron;

beforeEach(() => {
  electron = new FakeElectron();
  exposeFerryBridge(electron);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the preload', () => {
  it('fits what Electron passes it', () => {
    expectTypeOf<{ contextBridge: ContextBridge; ipcRenderer: IpcRenderer; webUtils: WebUtils }>().toExtend<PreloadPorts>();
  });

  it('exposes window.ferry with invoke, subscribe and pathForFile, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['ferry']);
    const api = electron.exposed.get('ferry');
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'pathForFile', 'subscribe']);
    for (const value of Object.values(api as object)) expect(typeof value).toBe('function');
  });

  it('listens to main on the event channel only', () => {
    expect([...electron.listening.keys()]).toEqual(['ferry:event']);
  });

  describe('invoke', () => {
    it('sends the command on the one command channel and answers with the checked answer from main', async () => {
      electron.answer = async () => ok(appInfo);
      expect(await electron.page().invoke('app.info', {})).toEqual(ok(appInfo));
      expect(electron.sent).toEqual([{ channel: 'ferry:invoke', payload: { command: 'app.info', input: {} } }]);
    });

    it('passes an error from main through', async () => {
      const refused = fail({ kind: 'auth', message: 'partner refused the password for ops', retryable: false });
      electron.answer = async () => refused;
      expect(await electron.page().invoke('connections.test', { name: 'partner' })).toEqual(refused);
    });

    it('checks the answer against the output schema of the command', async () => {
      electron.answer = async () => ok({ version: 1, host: 'electron', dataFolder: '/x' });
      const answer = await electron.page().invoke('app.info', {});
      expect(answer).toMatchObject({ ok: false, error: { kind: 'internal', message: expect.stringMatching(/did not match its contract/) as unknown } });
    });

    it('answers an IPC failure with an error instead of throwing', async () => {
      electron.answer = async () => {
        throw new Error("No handler registered for 'ferry:invoke'");
      };
      expect(await electron.page().invoke('app.info', {})).toEqual(
        fail({ kind: 'internal', message: "Ferry's main process did not answer: No handler registered for 'ferry:invoke'", retryable: false }),
      );
    });

    it.each<[string, unknown]>([
      ['an unknown name', 'app.quit'],
      ['an inherited name', 'constructor'],
      ['a raw channel name', 'ferry:invoke'],
      ['not a name', { command: 'app.info' }],
    ])('refuses %s without sending anything', async (_name, command) => {
      const answer = await electron.page().invoke(command, {});
      expect(answer).toMatchObject({ ok: false, error: { kind: 'unknownCommand' } });
      expect(electron.sent).toEqual([]);
    });
  });

  describe('subscribe', () => {
    it('asks main for an event once, however many listeners the page adds, and drops it with the last', () => {
      const page = electron.page();
      const first: unknown[] = [];
      const second: unknown[] = [];
      const stopFirst = page.subscribe('transfer.progress', (p: unknown) => first.push(p));
      const stopSecond = page.subscribe('transfer.progress', (p: unknown) => second.push(p));
      expect(electron.sent).toEqual([{ channel: 'ferry:subscribe', payload: 'transfer.progress' }]);

      electron.fromMain(progressMessage);
      expect(first).toEqual([progress]);
      expect(second).toEqual([progress]);

      stopFirst();
      stopFirst();
      electron.fromMain(progressMessage);
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(2);
      expect(electron.sent).toHaveLength(1);

      stopSecond();
      expect(electron.sent).toEqual([
        { channel: 'ferry:subscribe', payload: 'transfer.progress' },
        { channel: 'ferry:unsubscribe', payload: 'transfer.progress' },
      ]);
      electron.fromMain(progressMessage);
      expect(second).toHaveLength(2);

      const third: unknown[] = [];
      page.subscribe('transfer.progress', (p: unknown) => third.push(p));
      expect(electron.sent.at(-1)).toEqual({ channel: 'ferry:subscribe', payload: 'transfer.progress' });
      // An unsubscribe called again later must not end a subscription made since.
      stopSecond();
      electron.fromMain(progressMessage);
      expect(third).toEqual([progress]);
      expect(electron.sent.map((s) => s.channel)).toEqual(['ferry:subscribe', 'ferry:unsubscribe', 'ferry:subscribe']);
    });

    it('treats one function subscribed twice as two subscriptions', () => {
      const seen: unknown[] = [];
      const listener = (p: unknown): number => seen.push(p);
      const stop = electron.page().subscribe('transfer.progress', listener);
      electron.page().subscribe('transfer.progress', listener);
      stop();
      electron.fromMain(progressMessage);
      expect(seen).toEqual([progress]);
    });

    it('gives each listener only its own event', () => {
      const changes: unknown[] = [];
      electron.page().subscribe('files.changed', (p: unknown) => changes.push(p));
      electron.fromMain(progressMessage);
      electron.fromMain({ event: 'files.changed', payload: { connection: 'partner', path: 'outbox' } });
      expect(changes).toEqual([{ connection: 'partner', path: 'outbox' }]);
    });

    it('delivers an event to every listener when one of them throws', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const seen: unknown[] = [];
      electron.page().subscribe('transfer.progress', () => {
        throw new Error('render failed');
      });
      electron.page().subscribe('transfer.progress', (p: unknown) => seen.push(p));
      electron.fromMain(progressMessage);
      expect(seen).toEqual([progress]);
      expect(error).toHaveBeenCalledTimes(1);
    });

    it('drops messages from main that break the contract', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const seen: unknown[] = [];
      electron.page().subscribe('transfer.progress', (p: unknown) => seen.push(p));
      electron.fromMain({ event: 'transfer.progress', payload: { ...progress, filesDone: 'one' } });
      electron.fromMain({ event: 'transfer.exploded', payload: progress });
      electron.fromMain('transfer.progress');
      electron.fromMain(null);
      expect(seen).toEqual([]);
      expect(error).toHaveBeenCalledTimes(1);
    });

    it('reports nothing to the page when main refuses a subscription', async () => {
      electron.answer = async () => {
        throw new Error('refused');
      };
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      try {
        const stop = electron.page().subscribe('transfer.progress', () => undefined);
        stop();
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });

    it.each<[string, unknown]>([
      ['an unknown name', 'transfer.exploded'],
      ['an inherited name', '__proto__'],
      ['the raw event channel', 'ferry:event'],
      ['not a name', 7],
    ])('refuses %s by throwing, without sending anything', (_name, event) => {
      expect(() => electron.page().subscribe(event, () => undefined)).toThrow(TypeError);
      expect(electron.sent).toEqual([]);
    });

    it('refuses a listener that is not a function', () => {
      expect(() => electron.page().subscribe('transfer.progress', 'alert(1)')).toThrow(TypeError);
      expect(electron.sent).toEqual([]);
    });
  });

  it('finds the path of a dropped file through webUtils', () => {
    const file = new File(['id;amount\n'], 'invoices.csv');
    expect(electron.page().pathForFile(file)).toBe('/home/ops/Desktop/invoices.csv');
    expect(electron.pathsAsked).toEqual([file]);
  });

  it('is exposed by the entry file from the modules of Electron', async () => {
    const fake = new FakeElectron();
    vi.doMock('electron', () => ({ contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer, webUtils: fake.webUtils }));
    try {
      await import('../../main/preload/index.js');
    } finally {
      vi.doUnmock('electron');
    }
    expect(Object.keys(fake.exposed.get('ferry') as object).sort()).toEqual(['invoke', 'pathForFile', 'subscribe']);
    expect([...fake.listening.keys()]).toEqual(['ferry:event']);
  });
});

describe('the preload bundle', () => {
  const BUILD_SCRIPT = 'esbuild main/preload/index.ts --bundle --platform=browser --format=cjs --external:electron --outfile=out/preload/index.cjs';

  async function bundle(): Promise<{ code: string; imports: ReadonlyArray<{ path: string; kind: string }> }> {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: ['main/preload/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'cjs',
      external: ['electron'],
      outfile: 'out/preload/index.cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    const meta = Object.values(result.metafile.outputs)[0];
    if (output === undefined || meta === undefined) throw new Error('esbuild wrote nothing');
    return { code: output.text, imports: meta.imports.map(({ path, kind }) => ({ path, kind })) };
  }

  it('is built the same way by npm run build', async () => {
    const scripts = (JSON.parse(await readFile(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['build:preload']).toBe(BUILD_SCRIPT);
    expect(scripts['build']).toMatch(/(^|&& )npm run build:preload( &&|$)/);
  });

  it('requires nothing but electron, and loads nothing else', async () => {
    const { code, imports } = await bundle();
    expect(imports).toEqual([{ path: 'electron', kind: 'require-call' }]);
    const requires = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['"electron"']);
  });

  it('carries the schemas of the contract: it checks answers by itself', async () => {
    const { code } = await bundle();
    expect(code).toContain('a path may not contain NUL');

    const fake = new FakeElectron();
    const required: string[] = [];
    const fakeRequire = (name: string): unknown => {
      required.push(name);
      return fake;
    };
    const module = { exports: {} };
    // The bundle runs as CommonJS does: a function of require, module and exports.
    const run = compileFunction(code, ['require', 'module', 'exports']) as (require: typeof fakeRequire, module: object, exports: object) => void;
    run(fakeRequire, module, module.exports);
    expect(required).toEqual(['electron']);

    const page = fake.page();
    fake.answer = async () => ok({ version: '0.1.0', host: 'browser', dataFolder: '/x' });
    expect(await page.invoke('app.info', {})).toMatchObject({ ok: false, error: { kind: 'internal' } });
    fake.answer = async () => ok(appInfo);
    expect(await page.invoke('app.info', {})).toEqual(ok(appInfo));
    expect(await page.invoke('app.quit', {})).toMatchObject({ ok: false, error: { kind: 'unknownCommand' } });
  });
});
