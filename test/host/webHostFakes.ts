import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { startWebHost, type WebHost } from '../../src/host/http/startWebHost.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import type { Location } from '../../src/shared/contract/models.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';

export interface Received {
  readonly target: Location;
  readonly name: string;
  readonly size: number | undefined;
  readonly bytes: number;
  readonly sha256: string;
}

/** A core that answers `app.info`, echoes `connections.test` as a command error, and keeps what it was given. */
export class FakeCore implements CoreHost {
  readonly invoked: Array<{ readonly command: string; readonly input: unknown }> = [];
  readonly received: Received[] = [];
  readonly #listeners = new Set<(message: EventMessage) => void>();
  closed = false;

  async invoke(command: string, input: unknown): Promise<Wire<unknown>> {
    this.invoked.push({ command, input });
    if (command === 'app.info') return ok({ version: '9.9.9', host: 'web', dataFolder: '/tmp/ferry' });
    return fail({ kind: 'notFound', message: `no connection named ${JSON.stringify(input)}`, retryable: false });
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  emit(message: EventMessage): void {
    for (const listener of this.#listeners) listener(message);
  }

  async receive(target: Location, name: string, data: Readable, size: number | undefined): Promise<Wire<{ readonly path: string }>> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of data) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      hash.update(buffer);
    }
    this.received.push({ target, name, size, bytes, sha256: hash.digest('hex') });
    return ok({ path: `${target.path}/${name}` });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  /** Sent exactly as written: nothing normalises `..` on the way. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

/** One real HTTP request to the host, with a `Host` header of our own unless the test sets one. */
export function send(port: number, options: RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface Started {
  readonly host: WebHost;
  readonly port: number;
  readonly token: string;
  /** The `Cookie` header of a browser that came in through the printed address. */
  readonly cookie: string;
}

/** Starts the host on a free port and signs in as a browser would, through the token in its URL. */
export async function startSignedIn(core: CoreHost, staticDir: string): Promise<Started> {
  const host = await startWebHost({ core, port: 0, staticDir });
  const url = new URL(host.url);
  const port = Number(url.port);
  const token = url.searchParams.get('token') ?? '';
  const answer = await send(port, { path: `/?token=${token}` });
  const cookie = answer.headers['set-cookie']?.[0]?.split(';')[0];
  if (answer.status !== 303 || cookie === undefined) throw new Error(`signing in answered ${answer.status}`);
  return { host, port, token, cookie };
}

/** The headers a page of the window sends with a command. */
export function commandHeaders(started: Started): Record<string, string> {
  return { Cookie: started.cookie, 'X-Ferry': '1', 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${started.port}` };
}

/** A fresh folder, a fake core and a host signed into, for one test; `close` ends the host and removes the folder. */
export interface SignedInWorld {
  readonly folder: string;
  readonly core: FakeCore;
  readonly started: Started;
  close(): Promise<void>;
}

export async function openSignedIn(): Promise<SignedInWorld> {
  const folder = await mkdtemp(join(tmpdir(), 'ferry-web-'));
  const core = new FakeCore();
  const started = await startSignedIn(core, folder);
  return {
    folder,
    core,
    started,
    close: async () => {
      await started.host.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
