import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';

const run = promisify(execFile);

describe('ferry CLI', () => {
  let home: string;
  let work: string;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-work-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  const ferry = (args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> => runFerry(home, args, stdin);

  it('adds, lists, tests and removes a local connection', async () => {
    await mkdir(join(work, 'drop'));
    expect((await ferry(['connection', 'add', 'drop', `file://${work}/drop`])).code).toBe(0);
    const listed = await ferry(['connection', 'list', '--json']);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ name: 'drop', kind: 'local', url: `file://${work}/drop` })]);
    expect((await ferry(['connection', 'test', 'drop'])).out).toMatch(/resume:\s+yes/);
    expect((await ferry(['connection', 'remove', 'drop'])).code).toBe(0);
    expect((await ferry(['connection', 'remove', 'drop'])).code).toBe(2);
  });

  it('does not save a connection it cannot reach', async () => {
    const r = await ferry(['connection', 'add', 'bad', 'ftp://u@127.0.0.1:1/', '--password-stdin'], 'pw\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ferry: /);
    expect(r.err).not.toContain('pw');
    expect(JSON.parse((await ferry(['connection', 'list', '--json'])).out)).toEqual([]);
  });

  it('keeps passwords out of the settings file and out of the output', async () => {
    const r = await ferry(['connection', 'add', 'p', 'sftp://u@127.0.0.1:1/', '--password-stdin', '--no-test'], 's3cr3t-Pa55\n');
    expect(r.code).toBe(0);
    const files = await readdir(home);
    for (const f of files.filter((n) => n.endsWith('.json') || n.endsWith('.enc'))) {
      expect(await readFile(join(home, f), 'utf8')).not.toContain('s3cr3t-Pa55');
    }
    expect((await ferry(['connection', 'list'])).out).not.toContain('s3cr3t');
  });

  it('exits 2 on usage and configuration errors, naming the problem', async () => {
    expect((await ferry(['copy'])).code).toBe(2);
    expect((await ferry(['bogus-command'])).code).toBe(2);
    const r = await ferry(['copy', 'nosuch:a', work]);
    expect(r).toMatchObject({ code: 2 });
    expect(r.err).toMatch(/No connection named "nosuch"/);
    expect((await ferry(['copy', work, join(work, 'x'), '--conflict', 'maybe'])).err).toMatch(/Unknown --conflict policy "maybe"/);
    expect((await ferry(['connection', 'add', 'x', 'sftp://u:pw@h/'])).err).toMatch(/--password-stdin/);
  });

  it('copies a tree, prints a JSON summary, and exits 1 when an item fails', async () => {
    await mkdir(join(work, 'src', 'sub'), { recursive: true });
    await writeFile(join(work, 'src', 'a.csv'), 'a');
    await writeFile(join(work, 'src', 'sub', 'b.csv'), 'bb');
    await mkdir(join(work, 'out'));
    expect((await ferry(['connection', 'add', 'out', `file://${work}/out`])).code).toBe(0);
    const r = await ferry(['copy', join(work, 'src'), 'out:in', '--recursive', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ files: 2, bytes: 3, skipped: 0, failed: [] });
    expect(await readFile(join(work, 'out', 'in', 'sub', 'b.csv'), 'utf8')).toBe('bb');

    const again = JSON.parse((await ferry(['copy', join(work, 'src'), 'out:in', '-r', '--json'])).out) as { skipped: number };
    expect(again.skipped).toBe(2);

    await writeFile(join(work, 'out', 'in', 'blocker'), 'a file where a folder must go');
    await writeFile(join(work, 'src', 'sub', 'b.csv'), 'changed');
    const failing = await ferry(['copy', join(work, 'src', 'sub'), 'out:in/blocker', '-r', '--json']);
    expect(failing.code).toBe(1);
    const failure = JSON.parse(failing.out) as { files: number; failed: Array<{ path: string; reason: string }> };
    expect(failure.files).toBe(0);
    expect(failure.failed).toHaveLength(1);
    expect(failure.failed[0]?.path).toMatch(/sub\/b\.csv$/);
    expect(failure.failed[0]?.reason).toMatch(/cannot create the target folder/);
  });

  it('dry-runs without touching anything, and moves only after verifying', async () => {
    await mkdir(join(work, 'src'));
    await writeFile(join(work, 'src', 'x.txt'), 'x');
    const dry = await ferry(['move', join(work, 'src'), join(work, 'dst'), '-r', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/would move\s+.*x\.txt/);
    expect(await readdir(join(work, 'src'))).toEqual(['x.txt']);
    const moved = await ferry(['move', join(work, 'src'), `${join(work, 'dst')}/`, '-r']);
    expect(moved.out).toMatch(/Moved 1 file/);
    expect(await readFile(join(work, 'dst', 'x.txt'), 'utf8')).toBe('x');
    expect(await readdir(work)).toEqual(['dst']);
  });

  it('refuses to move or copy a file onto itself, however the target is spelled, and keeps it', async () => {
    const only = join(work, 's6.txt');
    await writeFile(only, 'the only copy');
    await symlink(work, join(work, 'through-a-link'));
    const spellings = [join(work, '.', 's6.txt'), `${work}/`, `${work}/./s6.txt`, join(work, 'through-a-link', 's6.txt')];
    for (const verb of ['move', 'copy']) {
      for (const target of spellings) {
        const r = await ferry([verb, only, target, '--conflict', 'overwrite']);
        expect(r.code, `${verb} ${target}`).toBe(1);
        expect(r.err).toMatch(new RegExp(`file://${only} and file://${work}/.*s6\\.txt are the same file: a file cannot be ${verb === 'move' ? 'moved' : 'copied'} onto itself`));
      }
    }
    expect(await readFile(only, 'utf8')).toBe('the only copy');
  });

  it('says why each file would be sent or left alone, and takes --size-only at its word', async () => {
    await mkdir(join(work, 'src'));
    await writeFile(join(work, 'src', 'same.txt'), 'aaaa');
    await writeFile(join(work, 'src', 'grown.txt'), 'bb');
    const first = await ferry(['copy', join(work, 'src'), `${join(work, 'dst')}/`, '-r']);
    expect(first.code, first.err).toBe(0);
    await writeFile(join(work, 'src', 'grown.txt'), 'bbb');
    await writeFile(join(work, 'src', 'same.txt'), 'zzzz');
    const later = new Date(Date.now() + 3_600_000);
    await utimes(join(work, 'src', 'same.txt'), later, later);
    const dry = await ferry(['copy', join(work, 'src'), `${join(work, 'dst')}/`, '-r', '--dry-run', '--json']);
    const reasons = (JSON.parse(dry.out) as { items: Array<{ source: string; reason: string }> }).items.map((i) => [basename(i.source), i.reason]).sort();
    expect(reasons).toEqual([
      ['grown.txt', 'changed: sizes differ (3 and 2 bytes)'],
      ['same.txt', 'changed: MD5 differs'],
    ]);
    const sizeOnly = await ferry(['copy', join(work, 'src'), `${join(work, 'dst')}/`, '-r', '--size-only', '--json']);
    const items = (JSON.parse(sizeOnly.out) as { items: Array<{ source: string; status: string; reason: string }> }).items;
    expect(items.find((i) => i.source.endsWith('same.txt'))).toMatchObject({ status: 'skipped', reason: 'unchanged: same size (compared by size only)' });
    expect(await readFile(join(work, 'dst', 'same.txt'), 'utf8')).toBe('aaaa');
    expect(await readFile(join(work, 'dst', 'grown.txt'), 'utf8')).toBe('bbb');
  });

  it('lists with sizes, and as JSON', async () => {
    await mkdir(join(work, 'd', 'inner'), { recursive: true });
    await writeFile(join(work, 'd', 'f.txt'), '12345');
    const r = await ferry(['ls', join(work, 'd')]);
    expect(r.out.split('\n')[0]).toMatch(/<dir>.*inner\/$/);
    expect(r.out).toMatch(/5 B .* f\.txt/);
    const json = JSON.parse((await ferry(['ls', join(work, 'd'), '--json'])).out) as { entries: Array<{ name: string }> };
    expect(json.entries.map((e) => e.name)).toEqual(['inner', 'f.txt']);
  });

  it('runs the demo the README starts with: partner servers to copy from and a job over the SFTP partner\'s invoices', async () => {
    const stdout = new PassThrough();
    let printed = '';
    const ready = new Promise<void>((resolve) =>
      stdout.on('data', (c: Buffer) => {
        printed += c.toString();
        if (/Ferry is open at http:\/\/127\.0\.0\.1:\d+\//.test(printed)) resolve();
      }),
    );
    const stop = new AbortController();
    const demo = runCli(['demo', '--browser'], { stdout, stderr: new PassThrough(), stdin: Readable.from(['']), env: { FERRY_HOME: home } }, stop.signal);
    try {
      await ready;
      const r = await ferry(['copy', 'partner-sftp:', join(work, '2026-11'), '-r', '--json']);
      expect(JSON.parse(r.out)).toMatchObject({ files: 9, failed: [] });
      expect(await readdir(join(work, '2026-11', 'invoices'))).toContain('INV-ACC-10001-2026-11-02.csv');
      const preview = await ferry(['run', 'demo-invoices', '--dry-run']);
      expect(preview.out).toMatch(/4 would be delivered, 2 would be quarantined, 0 would fail/);
      const job = await ferry(['run', 'demo-invoices', '--json']);
      expect(job.code, job.err).toBe(0);
      const result = JSON.parse(job.out) as { files: Array<{ path: string; outcome: string }> };
      expect(result.files.map((f) => [f.path, f.outcome]).sort()).toEqual([
        ['INV-ACC-10001-2026-11-02.csv', 'delivered'],
        ['INV-ACC-10002-2026-11-04.csv', 'delivered'],
        ['INV-ACC-10003-2026-11-03.csv', 'delivered'],
        ['INV-ACC-10007-2026-11-04.csv', 'delivered'],
        ['INV-ACC-10022-2026-11-05.csv', 'quarantined'],
        ['INV-ACC-1OO05-2026-11-05.csv', 'quarantined'],
      ]);
      expect(await readdir(join(home, 'demo', 'archive', 'invoices', 'ACC-10001'))).toEqual(['ACC-10001_2026-11-02.csv']);
    } finally {
      stop.abort();
    }
    expect(await demo).toBe(0);
  });

  it('runs as the installed binary with the documented exit codes', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'ferry.js');
    const ok = await run(process.execPath, [bin, 'connection', 'list'], { env: { ...process.env, FERRY_HOME: home } });
    expect(ok.stdout).toMatch(/No connections yet/);
    await expect(run(process.execPath, [bin, 'copy'], { env: { ...process.env, FERRY_HOME: home } })).rejects.toMatchObject({ code: 2 });
  });
});
