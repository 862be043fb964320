import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';
import { ConflictQuestions, type AskConflict, type ConflictReply } from '../../../src/engine/ConflictQuestions.js';
import { MemoryResumeJournal } from '../../../src/engine/ResumeJournal.js';
import { transfer, type TransferRequest } from '../../../src/engine/transfer.js';
import type { ConflictQuestion } from '../../../src/shared/contract/models.js';

/** The engine under the window's "ask": a person chooses, file by file, what happens to a file already there. */
describe('a transfer that asks about each file already there', () => {
  let dir: string;
  let questions: ConflictQuestion[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-ask-'));
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'dst'));
    questions = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const put = async (side: 'src' | 'dst', files: Record<string, string>): Promise<void> => {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, side, name), text);
  };
  const read = (name: string): Promise<string> => readFile(join(dir, 'dst', name), 'utf8');

  /** A person who answers with `replies` in turn (undefined: nobody answered), noting each question. */
  const person = (...replies: ReadonlyArray<ConflictReply | undefined>): AskConflict => {
    let next = 0;
    return (question) => {
      questions.push(question);
      return Promise.resolve(replies[next++]);
    };
  };

  const run = (ask: AskConflict, over: Partial<TransferRequest> = {}) =>
    transfer({
      source: new LocalFs(join(dir, 'src')),
      sourcePath: '',
      target: new LocalFs(join(dir, 'dst')),
      targetPath: '',
      recursive: true,
      policy: { kind: 'ask', choose: new ConflictQuestions(ask).choose },
      move: false,
      dryRun: false,
      journal: new MemoryResumeJournal(),
      ...over,
    });

  it('asks about a file already there with both sides, and keeps both when told to rename', async () => {
    await put('src', { 'orders.csv': 'new orders\n', 'fresh.csv': 'fresh\n' });
    await put('dst', { 'orders.csv': 'old\n' });
    const summary = await run(person({ answer: 'rename', applyToAll: false }));
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({
      source: { path: 'orders.csv', name: 'orders.csv', size: 11 },
      target: { path: 'orders.csv', name: 'orders.csv', size: 4 },
    });
    expect(questions[0]?.source.modifiedAt).toEqual(expect.any(Number));
    expect(questions[0]?.target.where).toContain(join(dir, 'dst'));
    expect(await read('orders.csv')).toBe('old\n');
    expect(await read('orders (1).csv')).toBe('new orders\n');
    expect(await read('fresh.csv')).toBe('fresh\n');
    expect(summary.items.find((i) => i.source === 'orders.csv')).toMatchObject({ status: 'copied', target: 'orders (1).csv' });
  });

  it('answers the rest of the batch with an answer "for all", asking once', async () => {
    await put('src', { 'a.csv': 'new a', 'b.csv': 'new b', 'c.csv': 'new c' });
    await put('dst', { 'a.csv': 'old a', 'b.csv': 'old b', 'c.csv': 'old c' });
    await run(person({ answer: 'overwrite', applyToAll: true }), { concurrency: 3 });
    expect(questions).toHaveLength(1);
    expect([await read('a.csv'), await read('b.csv'), await read('c.csv')]).toEqual(['new a', 'new b', 'new c']);
  });

  it('asks one question at a time, however many files are in flight', async () => {
    await put('src', { 'a.csv': 'new a', 'b.csv': 'new b', 'c.csv': 'new c', 'd.csv': 'new d' });
    await put('dst', { 'a.csv': 'old a', 'b.csv': 'old b', 'c.csv': 'old c', 'd.csv': 'old d' });
    let open = 0;
    let mostOpen = 0;
    const slowPerson: AskConflict = async (question) => {
      questions.push(question);
      open++;
      mostOpen = Math.max(mostOpen, open);
      await new Promise((r) => setImmediate(r));
      open--;
      return { answer: question.source.name === 'b.csv' ? 'overwrite' : 'skip', applyToAll: false };
    };
    const summary = await run(slowPerson, { concurrency: 4 });
    expect(questions).toHaveLength(4);
    expect(mostOpen).toBe(1);
    expect(await read('b.csv')).toBe('new b');
    expect(await read('a.csv')).toBe('old a');
    expect(summary.items.filter((i) => i.status === 'skipped').map((i) => i.reason)).toEqual(['the target exists', 'the target exists', 'the target exists']);
  });

  it('skips the file, and the rest without asking, when nobody answers: nothing is replaced', async () => {
    await put('src', { 'a.csv': 'new a', 'b.csv': 'new b' });
    await put('dst', { 'a.csv': 'old a', 'b.csv': 'old b' });
    const summary = await run(person(undefined), { concurrency: 1 });
    expect(questions).toHaveLength(1);
    expect(summary.items.map((i) => [i.status, i.reason])).toEqual([
      ['skipped', 'the target exists and nobody answered whether to replace it'],
      ['skipped', 'the target exists and nobody answered whether to replace it'],
    ]);
    expect([await read('a.csv'), await read('b.csv')]).toEqual(['old a', 'old b']);
  });

  it('sends a file under "newer" only when it is newer, and resumes a shorter target', async () => {
    await put('src', { 'stale.csv': 'stale', 'cut.bin': 'abcdef' });
    await put('dst', { 'stale.csv': 'kept', 'cut.bin': 'abc' });
    const older = new Date(Date.now() - 86_400_000);
    await utimes(join(dir, 'src', 'stale.csv'), older, older);
    const summary = await run(async (question) => {
      questions.push(question);
      return { answer: question.source.name === 'cut.bin' ? 'resume' : 'newer', applyToAll: false };
    });
    expect(await read('stale.csv')).toBe('kept');
    expect(await read('cut.bin')).toBe('abcdef');
    expect(summary.items.find((i) => i.source === 'cut.bin')?.resumedFrom).toBe(3);
  });

  it('plans without asking in a dry run: the preview says the person will be asked', async () => {
    await put('src', { 'orders.csv': 'new', 'fresh.csv': 'fresh' });
    await put('dst', { 'orders.csv': 'old' });
    const summary = await run(person(), { dryRun: true });
    expect(questions).toEqual([]);
    expect(summary.items.map((i) => [i.source, i.status, i.asks ?? false])).toEqual([
      ['fresh.csv', 'planned', false],
      ['orders.csv', 'planned', true],
    ]);
    expect(await readdir(join(dir, 'dst'))).toEqual(['orders.csv']);
  });

  it('asks nothing about a folder in the way of a file: it is skipped as under any policy', async () => {
    await put('src', { 'report.csv': 'data' });
    await mkdir(join(dir, 'dst', 'report.csv'));
    const summary = await run(person());
    expect(questions).toEqual([]);
    expect(summary.items[0]).toMatchObject({ status: 'skipped', reason: 'a folder with that name exists on the target' });
  });
});
