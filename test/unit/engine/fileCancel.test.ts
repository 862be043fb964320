import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';
import type { ReadOptions } from '../../../src/connectors/types.js';
import { MemoryResumeJournal } from '../../../src/engine/ResumeJournal.js';
import { transfer, type TransferRequest } from '../../../src/engine/transfer.js';
import { FaultyFs } from '../../helpers/FaultyFs.js';

/** A source whose `slow.bin` sends one chunk and then nothing, until its reader gives up; it says when that read began. */
class StallingFs extends FaultyFs {
  readonly #started: (path: string) => void;
  constructor(inner: LocalFs, started: (path: string) => void) {
    super(inner, {});
    this.#started = started;
  }
  override async read(path: string, opts?: ReadOptions): Promise<Readable> {
    if (!path.endsWith('slow.bin')) return super.read(path, opts);
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.alloc(1024, 1));
    this.#started(path);
    return stalled;
  }
}

describe('cancelling one file of a transfer', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-file-cancel-'));
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'dst'));
    await writeFile(join(dir, 'src', 'slow.bin'), Buffer.alloc(10_000, 1));
    for (const name of ['a.csv', 'b.csv', 'c.csv']) await writeFile(join(dir, 'src', name), name);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stops that file while it is being sent, removes its partial copy, and sends the others', async () => {
    const own = new AbortController();
    const planned: string[] = [];
    const source = new StallingFs(new LocalFs(join(dir, 'src')), () => own.abort(new TransferError('cancelled', 'Cancelled by the user')));
    const request: TransferRequest = {
      source,
      sourcePath: '',
      target: new LocalFs(join(dir, 'dst')),
      targetPath: '',
      recursive: true,
      policy: 'changed',
      move: false,
      dryRun: false,
      journal: new MemoryResumeJournal(),
      concurrency: 2,
      onPlanned: (files) => planned.push(...files.map((f) => `${f.source} → ${f.target}`)),
      fileSignal: (path) => (path === 'slow.bin' ? own.signal : undefined),
    };
    const summary = await transfer(request);
    expect(planned.sort()).toEqual(['a.csv → a.csv', 'b.csv → b.csv', 'c.csv → c.csv', 'slow.bin → slow.bin']);
    expect(summary.items.map((i) => [i.source, i.status, i.errorKind ?? '', i.reason ?? '']).sort()).toEqual([
      ['a.csv', 'copied', '', 'new file'],
      ['b.csv', 'copied', '', 'new file'],
      ['c.csv', 'copied', '', 'new file'],
      ['slow.bin', 'failed', 'cancelled', 'Cancelled by the user'],
    ]);
    expect((await readdir(join(dir, 'dst'))).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('never begins a later part of a run whose signal was aborted before it', async () => {
    const stop = new AbortController();
    stop.abort(new TransferError('cancelled', 'Cancelled by the user'));
    const request: TransferRequest = {
      source: new LocalFs(join(dir, 'src')),
      sourcePath: 'a.csv',
      target: new LocalFs(join(dir, 'dst')),
      targetPath: '',
      recursive: false,
      policy: 'changed',
      move: false,
      dryRun: false,
      journal: new MemoryResumeJournal(),
      signal: stop.signal,
    };
    const summary = await transfer(request);
    expect(summary.items.map((i) => [i.source, i.status, i.errorKind])).toEqual([['a.csv', 'failed', 'cancelled']]);
    expect(await readdir(join(dir, 'dst'))).toEqual([]);
  });
});
