import type { Readable } from 'node:stream';
import { TransferError } from '../connectors/errors.js';
import type { Capabilities, RemoteEntry, RemoteFs } from '../connectors/types.js';

const CAPABILITIES: Capabilities = { rename: false, resume: false, hashes: [], mtimePrecisionMs: 0, caseInsensitive: false, maxConcurrency: 1 };

/**
 * One file arriving as a stream (a browser upload), seen as a connector holding just that file, so that
 * the engine's copy (partial name, size check, publish) takes it like any other source. It can be read
 * once, from the start.
 */
export class StreamSource implements RemoteFs {
  readonly kind = 'local';
  readonly capabilities = CAPABILITIES;
  readonly description = 'a dropped file';
  readonly storageKey = 'upload';
  readonly entry: RemoteEntry;
  #data: Readable | undefined;

  constructor(name: string, data: Readable, size: number | undefined) {
    this.entry = { name, path: name, kind: 'file', size: size ?? -1 };
    this.#data = data;
  }

  async read(path: string, opts: { readonly offset?: number } = {}): Promise<Readable> {
    const data = this.#data;
    if (path !== this.entry.path || data === undefined || (opts.offset ?? 0) !== 0) {
      throw new TransferError('unsupported', `${this.entry.name} can be read once, from its start`, { path });
    }
    this.#data = undefined;
    return data;
  }

  async stat(path: string): Promise<RemoteEntry | undefined> {
    return path === this.entry.path ? this.entry : undefined;
  }

  async fileKey(path: string): Promise<string | undefined> {
    return path === this.entry.path ? `upload:${path}` : undefined;
  }

  async list(): Promise<ReadonlyArray<RemoteEntry>> {
    return [this.entry];
  }

  write(): Promise<void> {
    return this.#readOnly();
  }

  mkdir(): Promise<void> {
    return this.#readOnly();
  }

  remove(): Promise<void> {
    return this.#readOnly();
  }

  rmdir(): Promise<void> {
    return this.#readOnly();
  }

  async close(): Promise<void> {
    this.#data?.destroy();
  }

  async #readOnly(): Promise<never> {
    throw new TransferError('unsupported', `${this.entry.name} is being received, not written to`);
  }
}
