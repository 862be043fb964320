import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { partialPathFor } from '../../src/engine/copyFile.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import { THIS_COMPUTER, type TransferRequestInput } from '../../src/shared/contract/models.js';
import { openHost, type OpenHost } from './openHost.js';

/** The window's transfer queue, driven through the contract as a transport would, one host after another on one workspace. */
describe('the transfer queue', () => {
  let host: OpenHost;

  beforeEach(async () => {
    host = await openHost('ferry-queue-');
    await mkdir(join(host.work, 'out', 'sub'), { recursive: true });
    await mkdir(join(host.work, 'in'));
    for (const name of ['a.csv', 'b.csv', 'c.csv']) await writeFile(join(host.work, 'out', name), `${name} content`);
    await writeFile(join(host.work, 'out', 'sub', 'd.csv'), 'd');
  });
  afterEach(() => host.close());

  const local = (p: string): string => join(host.work, p).slice(1);
  const copy = (...names: string[]): TransferRequestInput => ({ source: { connection: THIS_COMPUTER, paths: names.map((n) => local(`out/${n}`)) }, target: { connection: THIS_COMPUTER, path: local('in') }, move: false, conflict: 'changed' });
  /** Waits for the host to tell (events are the only clock here). */
  const until = async (test: (m: EventMessage) => boolean): Promise<void> => {
    while (!host.seen.some(test)) await new Promise((r) => setTimeout(r, 10));
  };
  const settledAs = (id: string, states: ReadonlyArray<string>) => (m: EventMessage) => m.event === 'transfer.state' && m.payload.id === id && states.includes(m.payload.state);
  const files = async (id: string) => (await host.call('transfers.files', { id, offset: 0, limit: 100 })).files.map((f) => [f.source.slice(local('out').length + 1), f.state, f.reason ?? '']);
  const snapshot = async (id: string) => (await host.call('transfers.list', {})).transfers.find((t) => t.id === id);

  it('tells two batches of the same files apart and carries what each sends and where', async () => {
    const first = await host.call('transfers.start', copy('a.csv'));
    const second = await host.call('transfers.start', copy('a.csv'));
    await until(settledAs(second.id, ['done']));
    const [one, two] = (await host.call('transfers.list', {})).transfers;
    expect(one?.label).toBe(`Copy a.csv from @computer to @computer: ${local('in')}`);
    expect(two?.label).toBe(`Copy a.csv from @computer to @computer: ${local('in')} (2)`);
    expect(one).toMatchObject({ id: first.id, source: { connection: THIS_COMPUTER, paths: [local('out/a.csv')] }, target: { connection: THIS_COMPUTER, path: local('in') } });
  });

  it('holds new starts while paused, tells every window, lets a waiting file be cancelled, and goes on when resumed', async () => {
    await host.call('transfers.pause', { paused: true });
    expect(host.seen.filter((m) => m.event === 'transfers.paused').map((m) => m.payload)).toEqual([{ paused: true }]);
    expect((await host.call('transfers.list', {})).paused).toBe(true);
    const { id } = await host.call('transfers.start', copy('a.csv', 'b.csv', 'c.csv'));
    expect(await files(id)).toEqual([['a.csv', 'queued', ''], ['b.csv', 'queued', ''], ['c.csv', 'queued', '']]);
    await until(settledAs(id, ['paused']));
    await host.call('transfers.cancelFile', { id, source: local('out/b.csv') });
    expect(host.seen.filter((m) => m.event === 'transfer.file').map((m) => [m.payload.index, m.payload.file.state])).toEqual([[1, 'cancelled']]);
    expect(await readdir(join(host.work, 'in'))).toEqual([]);
    expect((await snapshot(id))?.state).toBe('paused');

    await host.call('transfers.pause', { paused: false });
    await until(settledAs(id, ['done', 'failed', 'cancelled']));
    expect(await files(id)).toEqual([['a.csv', 'done', 'new file'], ['b.csv', 'cancelled', 'Cancelled by the user'], ['c.csv', 'done', 'new file']]);
    expect((await readdir(join(host.work, 'in'))).sort()).toEqual(['a.csv', 'c.csv']);
    expect(await snapshot(id)).toMatchObject({ state: 'done', filesDone: 2, filesCancelled: 1, filesFailed: 0 });
  });

  it('cancels a selected folder before its files are listed: none of them is sent, the other items are', async () => {
    await host.call('transfers.pause', { paused: true });
    const { id } = await host.call('transfers.start', copy('a.csv', 'sub', 'b.csv'));
    await until(settledAs(id, ['paused']));
    expect(await files(id)).toEqual([['a.csv', 'queued', ''], ['sub', 'queued', ''], ['b.csv', 'queued', '']]);
    await host.call('transfers.cancelFile', { id, source: local('out/sub') });
    await host.call('transfers.pause', { paused: false });
    await until(settledAs(id, ['done', 'failed', 'cancelled']));
    expect(await files(id)).toEqual([['a.csv', 'done', 'new file'], ['sub', 'cancelled', 'Cancelled by the user'], ['b.csv', 'done', 'new file']]);
    // The folder's part had begun (its target folder is made first), but not one of its files was sent.
    expect((await readdir(join(host.work, 'in'))).sort()).toEqual(['a.csv', 'b.csv', 'sub']);
    expect(await readdir(join(host.work, 'in', 'sub'))).toEqual([]);
  });

  it('retries one failed file, then all of them, as new runs in the history; the rows show the new outcome', async () => {
    await mkdir(join(host.work, 'out', 'sub2'));
    await writeFile(join(host.work, 'out', 'sub2', 'e.csv'), 'e');
    // A file where each folder should be: the files meant for them cannot land.
    await writeFile(join(host.work, 'in', 'sub'), 'in the way');
    await writeFile(join(host.work, 'in', 'sub2'), 'in the way');
    const { id } = await host.call('transfers.start', copy('a.csv', 'sub', 'sub2'));
    await until(settledAs(id, ['failed']));
    const failed = await files(id);
    expect(failed.map(([f, s]) => [f, s])).toEqual([['a.csv', 'done'], ['sub/d.csv', 'failed'], ['sub2/e.csv', 'failed']]);
    expect(failed[1]?.[2]).not.toBe('');
    expect(await snapshot(id)).toMatchObject({ state: 'failed', filesFailed: 2, filesDone: 1 });

    await rm(join(host.work, 'in', 'sub'));
    host.seen.length = 0;
    await host.call('transfers.retry', { id, source: local('out/sub/d.csv') });
    await until(settledAs(id, ['done', 'failed']));
    expect(host.seen.filter((m) => m.event === 'transfer.state').map((m) => m.payload.state)).toEqual(['queued', 'running', 'failed']);
    expect((await files(id)).map(([f, s]) => [f, s])).toEqual([['a.csv', 'done'], ['sub/d.csv', 'done'], ['sub2/e.csv', 'failed']]);
    expect(await readFile(join(host.work, 'in', 'sub', 'd.csv'), 'utf8')).toBe('d');

    await rm(join(host.work, 'in', 'sub2'));
    await host.call('transfers.retry', { id });
    await until(settledAs(id, ['done']));
    expect(await snapshot(id)).toMatchObject({ state: 'done', filesTotal: 3, filesDone: 3, filesFailed: 0 });
    const history = await host.workspace.history();
    expect(history.listRuns({ limit: 5 }).map((r) => [r.status, r.files])).toEqual([['succeeded', 1], ['succeeded', 1], ['partial', 1]]);
    const again = await host.core.invoke('transfers.retry', { id });
    expect(again).toMatchObject({ ok: false, error: { kind: 'notFound', message: `No file of ${(await snapshot(id))?.label} failed` } });
  });

  it('keeps unfinished batches across a restart, paused as they were, and resumes an interrupted file from its journal', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    await writeFile(join(host.work, 'out', 'big.bin'), big);
    await host.call('transfers.pause', { paused: true });
    const { id } = await host.call('transfers.start', copy('big.bin', 'a.csv'));
    await until(settledAs(id, ['paused']));
    await host.restart();

    const stateFile = join(host.home, 'state', 'transfer-queue.json');
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const kept = JSON.parse(await readFile(stateFile, 'utf8')) as { paused: boolean; batches: Array<{ id: string }> };
    expect([kept.paused, kept.batches.map((b) => b.id)]).toEqual([true, [id]]);

    // What an earlier host leaves when it stops in the middle of a file: its first bytes under the partial name, and their owner in the journal.
    const fs = new LocalFs('/');
    const source = await fs.stat(local('out/big.bin'));
    const partial = partialPathFor(local('in/big.bin'));
    await writeFile(`/${partial}`, big.subarray(0, 1024 * 1024));
    await host.workspace.journal.put(`${fs.description}\0${partial}`, `${fs.description}\0${local('out/big.bin')}\0${big.length}\0${source?.modifiedAt ?? ''}`);

    expect(await host.call('transfers.list', {})).toMatchObject({ paused: true, transfers: [{ id, filesTotal: 2, filesFailed: 0 }] });
    await host.call('transfers.pause', { paused: false });
    await until(settledAs(id, ['done', 'failed']));
    expect(await files(id)).toEqual([['big.bin', 'done', `new file, resumed after byte ${1024 * 1024}`], ['a.csv', 'done', 'new file']]);
    expect((await readFile(join(host.work, 'in', 'big.bin'))).equals(big)).toBe(true);
    await host.restart();
    expect(await host.call('transfers.list', {})).toEqual({ paused: false, transfers: [] });
  });

  it('sets aside a state file it cannot read, saying which and why, instead of losing or half-reading it', async () => {
    const stateFile = join(host.home, 'state', 'transfer-queue.json');
    const warnings: string[] = [];
    const warned = (w: Error): number => warnings.push(w.message);
    process.on('warning', warned);
    try {
      await host.restart(async () => {
        await mkdir(join(host.home, 'state'), { recursive: true });
        await writeFile(stateFile, '{"version": 1, "paused": tru');
      });
      expect(await host.call('transfers.list', {})).toEqual({ paused: false, transfers: [] });
      // process warnings and the set-aside rename are both asynchronous: wait for both.
      while (warnings.length === 0 || !existsSync(`${stateFile}.unreadable`)) await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', warned);
    }
    expect(warnings[0]).toMatch(new RegExp(`^${stateFile} could not be read \\(.+\\): the transfers it held were not resumed; it was kept as ${stateFile}\\.unreadable$`));
    expect(await readFile(`${stateFile}.unreadable`, 'utf8')).toBe('{"version": 1, "paused": tru');
  });

  it('keeps finished batches in the list until they are cleared, for every window', async () => {
    const { id } = await host.call('transfers.start', copy('a.csv'));
    await until(settledAs(id, ['done']));
    expect((await host.call('transfers.list', {})).transfers.map((t) => t.id)).toEqual([id]);
    expect(await host.call('transfers.clearFinished', {})).toEqual({ ids: [id] });
    expect(host.seen.filter((m) => m.event === 'transfers.removed').map((m) => m.payload)).toEqual([{ ids: [id] }]);
    expect((await host.call('transfers.list', {})).transfers).toEqual([]);
  });

  it('refuses to cancel a file of a finished batch, or one it does not hold', async () => {
    await host.call('transfers.pause', { paused: true });
    const { id } = await host.call('transfers.start', copy('a.csv'));
    expect(await host.core.invoke('transfers.cancelFile', { id, source: local('out/zzz.csv') })).toMatchObject({ ok: false, error: { kind: 'notFound' } });
    await host.call('transfers.pause', { paused: false });
    await until(settledAs(id, ['done']));
    const late = await host.core.invoke('transfers.cancelFile', { id, source: local('out/a.csv') });
    expect(late).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });
});
