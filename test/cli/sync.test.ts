import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';
import { folderTree } from '../helpers/folderTree.js';

interface Side {
  /** How `ferry sync` names the mirror folder and the backup folder. */
  readonly mirror: string;
  readonly backup: string;
  /** Where the test reads both on this machine. */
  readonly mirrorDir: string;
  readonly backupDir: string;
}

interface JsonAction {
  readonly action: string;
  readonly kind: string;
  readonly path: string;
  readonly status: string;
  readonly reason: string;
  readonly backupPath?: string;
}

/** `ferry sync` as a user runs it, from a local folder to a local folder, an SFTP server and an FTP server. */
describe.each(['local', 'sftp', 'ftp'] as const)('ferry sync to %s', (kind) => {
  const servers = inject('servers');
  let home: string;
  let work: string;
  let side: Side;
  const cleanups: Array<() => Promise<void>> = [];
  const ferry = (args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> => runFerry(home, args, stdin);
  const source = (): string => join(work, 'source');

  const put = async (root: string, files: Record<string, string>): Promise<void> => {
    for (const [p, c] of Object.entries(files)) {
      await mkdir(join(root, p, '..'), { recursive: true });
      await writeFile(join(root, p), c);
    }
  };
  const sync = async (...extra: string[]): Promise<FerryRun> => ferry(['sync', `${source()}/`, side.mirror, '--no-progress', ...extra]);
  const planned = async (...extra: string[]): Promise<JsonAction[]> => {
    const run = await sync('--dry-run', '--json', ...extra);
    return (JSON.parse(run.out) as { actions: JsonAction[] }).actions.filter((a) => a.action !== 'unchanged');
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-sync-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-sync-work-'));
    if (kind === 'local') {
      side = { mirror: join(work, 'mirror'), backup: join(work, 'backup'), mirrorDir: join(work, 'mirror'), backupDir: join(work, 'backup') };
      return;
    }
    if (kind === 'sftp') {
      const sftp = servers.sftp;
      const scratch = await makeScratch(sftp.home, 'sync-sftp');
      cleanups.push(scratch.remove);
      const added = await ferry(['connection', 'add', 'partner', `sftp://${sftp.user}@${sftp.host}:${sftp.port}${scratch.path}`, '--password-stdin', '--accept-new-host-key'], `${sftp.password}\n`);
      expect(added.code, added.err).toBe(0);
      side = { mirror: 'partner:mirror', backup: 'partner:backup', mirrorDir: join(scratch.path, 'mirror'), backupDir: join(scratch.path, 'backup') };
      return;
    }
    const ftp = servers.ftp['vsftpd-plain'];
    const scratch = await makeScratch(ftp.home, 'sync-ftp');
    cleanups.push(scratch.remove);
    const added = await ferry(['connection', 'add', 'partner', `ftp://${ftp.user}@${ftp.host}:${ftp.port}${posix.join(ftp.loginDir, scratch.name)}`, '--password-stdin'], `${ftp.password}\n`);
    expect(added.code, added.err).toBe(0);
    side = { mirror: 'partner:mirror', backup: 'partner:backup', mirrorDir: join(scratch.path, 'mirror'), backupDir: join(scratch.path, 'backup') };
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  // The cases build on each other in order, as one user's week of syncing would.
  it('copies a whole tree the first time, then lists new, replaced and deleted files with their reasons in a dry run that changes nothing', async () => {
    await put(source(), { 'a.csv': 'alpha', 'orders/b.csv': 'bravo', 'orders/old/c.csv': 'charlie', 'd.csv': 'delta' });
    const first = await sync('--json');
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ new: 4, replace: 0, delete: 0, failed: 0 });
    expect(await folderTree(side.mirrorDir)).toEqual(await folderTree(source()));

    await rm(join(source(), 'orders/old'), { recursive: true });
    await rm(join(source(), 'd.csv'));
    await put(source(), { 'orders/b.csv': 'bravo, changed', 'e.csv': 'echo' });
    const before = await folderTree(side.mirrorDir);
    const actions = await planned();
    expect(actions.map((a) => [a.action, a.kind, a.path, a.status])).toEqual(
      expect.arrayContaining([
        ['replace', 'file', 'orders/b.csv', 'planned'],
        ['new', 'file', 'e.csv', 'planned'],
        ['delete', 'file', 'd.csv', 'planned'],
        ['delete', 'file', 'orders/old/c.csv', 'planned'],
        ['delete', 'dir', 'orders/old', 'planned'],
      ]),
    );
    expect(actions).toHaveLength(5);
    expect(actions.find((a) => a.path === 'orders/b.csv')?.reason).toMatch(/changed: sizes differ/);
    expect(actions.find((a) => a.path === 'd.csv')?.reason).toBe('the source no longer has this file');
    const human = await sync('--dry-run');
    expect(human.code, human.err).toBe(0);
    expect(human.out).toMatch(/would delete\s+d\.csv\s+\(the source no longer has this file\)/);
    expect(human.out).toMatch(/would replace\s+orders\/b\.csv/);
    expect(human.out).toMatch(/would delete folder\s+orders\/old/);
    expect(await folderTree(side.mirrorDir)).toEqual(before);
  });

  it('deletes nothing and fails above --max-delete, as a count and as a percentage, yet copies what is new', async () => {
    const refused = await sync('--max-delete', '1');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Nothing was deleted: 2 files would be deleted, more than the delete limit of 1 file.');
    const mirror = await folderTree(side.mirrorDir);
    expect(mirror['d.csv']).toBe('delta');
    expect(mirror['orders/old/c.csv']).toBe('charlie');
    expect(mirror['e.csv']).toBe('echo');
    expect(mirror['orders/b.csv']).toBe('bravo, changed');

    // 2 of the destination's 5 files is 40%.
    const percent = await sync('--max-delete', '30%', '--json');
    expect(percent.code).toBe(1);
    expect(JSON.parse(percent.out)).toMatchObject({ delete: 0, withheld: "2 files would be deleted, more than the delete limit of 30% (1 of the destination's 5 files)" });
    expect(Object.keys(await folderTree(side.mirrorDir))).toContain('d.csv');

    const allowed = await sync('--max-delete', '40%');
    expect(allowed.code, allowed.err).toBe(0);
    expect(allowed.out).toMatch(/Synced: 0 new, 0 replaced .*, 2 deleted, 3 unchanged/);
    expect(await folderTree(side.mirrorDir)).toEqual(await folderTree(source()));
  });

  it('keeps replaced and deleted files in --backup-dir under their relative paths', async () => {
    await put(source(), { 'orders/b.csv': 'bravo, third version' });
    await rm(join(source(), 'a.csv'));
    const run = await sync('--backup-dir', side.backup);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/delete\s+a\.csv/);
    expect(await folderTree(side.mirrorDir)).toEqual(await folderTree(source()));
    expect(await folderTree(side.backupDir)).toEqual({ 'a.csv': 'alpha', orders: '<dir>', 'orders/b.csv': 'bravo, changed' });

    // A second backup of the same name keeps the first.
    await put(source(), { 'orders/b.csv': 'bravo, fourth' });
    expect((await sync('--backup-dir', side.backup)).code).toBe(0);
    expect((await folderTree(side.backupDir))['orders/b (1).csv']).toBe('bravo, third version');
    expect((await folderTree(side.backupDir))['orders/b.csv']).toBe('bravo, changed');
  });

  it('deletes nothing when a copy fails, and says so', async () => {
    // A file on the destination where the source now has a folder: the folder's files cannot be copied there.
    await put(source(), { 'blocker/x.csv': 'x-ray' });
    await put(side.mirrorDir, {});
    const seeded = await ferry(['copy', join(source(), 'e.csv'), `${side.mirror}/blocker`]);
    expect(seeded.code, seeded.err).toBe(0);
    await rm(join(source(), 'e.csv'));
    const run = await sync('--json');
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.out) as { withheld: string; actions: JsonAction[] };
    expect(summary.withheld).toBe('1 file could not be copied, and a sync deletes only once every copy is verified');
    expect(summary.actions.filter((a) => a.action === 'delete').map((a) => [a.path, a.status])).toEqual(
      expect.arrayContaining([
        ['e.csv', 'withheld'],
        ['blocker', 'withheld'],
      ]),
    );
    expect((await folderTree(side.mirrorDir))['e.csv']).toBe('echo');
    const human = await sync();
    expect(human.err).toContain('Nothing was deleted: 1 file could not be copied, and a sync deletes only once every copy is verified.');
    expect(human.err).toMatch(/FAILED copy blocker\/x\.csv/);
  });

  it('never deletes excluded names or its own partial files, and records the run in the history', async () => {
    await rm(join(source(), 'blocker'), { recursive: true });
    await put(side.mirrorDir, {});
    await ferry(['copy', join(source(), 'orders/b.csv'), `${side.mirror}/notes.tmp`]);
    await ferry(['copy', join(source(), 'orders/b.csv'), `${side.mirror}/big.bin.ferrypart`]);
    const run = await sync('--exclude', '*.tmp', '--json');
    expect(run.code, run.err).toBe(0);
    const names = Object.keys(await folderTree(side.mirrorDir));
    expect(names).toEqual(expect.arrayContaining(['notes.tmp', 'big.bin.ferrypart']));
    expect(names).not.toContain('e.csv');
    expect(names).not.toContain('blocker');
    const history = await ferry(['history', '--json']);
    const runs = JSON.parse(history.out) as Array<{ id: number; kind: string; status: string; error?: string }>;
    const syncs = runs.filter((r) => r.kind === 'sync');
    expect(syncs[0]).toMatchObject({ status: 'succeeded' });
    expect(syncs.some((r) => r.status === 'failed' && r.error?.startsWith('nothing was deleted: ') === true)).toBe(true);
    const items = JSON.parse((await ferry(['history', '--run', String(syncs[0]?.id), '--json'])).out) as Array<{ status: string; targetPath?: string; reason?: string }>;
    expect(items.filter((i) => i.status === 'deleted').map((i) => [i.targetPath?.split('/').pop(), i.reason])).toEqual(
      expect.arrayContaining([
        ['e.csv', 'delete: the source no longer has this file'],
        ['blocker', 'delete: the source no longer has this file'],
      ]),
    );
  });
});

describe('ferry sync refuses what it cannot do safely, before touching anything', () => {
  let home: string;
  let work: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-sync-usage-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-sync-usage-work-'));
    await mkdir(join(work, 'source', 'inner'), { recursive: true });
    await writeFile(join(work, 'source', 'a.csv'), 'a');
    await mkdir(join(work, 'mirror'));
    await writeFile(join(work, 'mirror', 'keep.csv'), 'keep');
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });
  const refused = async (args: ReadonlyArray<string>, reason: RegExp): Promise<void> => {
    const run = await runFerry(home, ['sync', ...args]);
    expect(run.code, run.out).toBe(2);
    expect(run.err).toMatch(reason);
    expect(await readdir(join(work, 'mirror'))).toEqual(['keep.csv']);
  };

  it('with exit code 2 and the reason', async () => {
    const [source, mirror] = [join(work, 'source'), join(work, 'mirror')];
    await refused([source, mirror, '--size-only', '--checksum'], /--size-only and --checksum ask for different comparisons/);
    await refused([source, mirror, '--max-delete', 'lots'], /--max-delete takes a number of files \(e\.g\. 25\) or a percentage/);
    await refused([source, mirror, '--backup-dir', 'partner:/old'], /--backup-dir partner:\/old must be on the destination's side, this computer/);
    await refused([source, mirror, '--backup-dir', join(mirror, 'old')], /The backup folder .* overlaps the destination/);
    await refused([source, join(source, 'inner')], /overlap: a sync's source and destination must be separate folders/);
    await refused([join(source, 'a.csv'), mirror], /is a file: a sync mirrors a folder \(use ferry copy for one file\)/);
  });
});
