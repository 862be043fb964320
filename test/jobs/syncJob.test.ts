import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { addFtpConnection, addSftpConnection } from '../examples/support.js';
import { JobFileError } from '../../src/jobs/definition/loadJob.js';
import { jobWorld, type JobWorld } from './harness.js';
import { folderTree } from '../helpers/folderTree.js';

const job = (name: string, sync: string, extra = ''): string => `version: 1
name: ${name}
source:
  location: ./outbox/
  recursive: true
${extra}sync:
${sync}`;

describe('a job file with a sync section', () => {
  let world: JobWorld;
  beforeAll(async () => {
    world = await jobWorld('sync-job-file');
  });
  afterAll(async () => world.close());

  const problems = async (yaml: string): Promise<string> => {
    const error = await world.job(yaml, 'mirror.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFileError);
    return (error as JobFileError).message;
  };

  it('is refused when it also has routes, or neither, naming the file and the field', async () => {
    const both = await problems(job('both', '  to: ./mirror/\n', 'routes:\n  - name: erp\n    to: ./erp/\n'));
    expect(both).toContain(`${join(world.work, 'mirror.yaml')}:`);
    expect(both).toMatch(/ sync: a job either routes files \("routes"\) or mirrors its source \("sync"\), not both/);
    const neither = await problems('version: 1\nname: neither\nsource:\n  location: ./outbox/\n');
    expect(neither).toMatch(/ routes: a job needs at least one route, or a "sync" section/);
  });

  it('refuses a backup folder elsewhere or inside the mirror, a limit that is no count or share, and what a mirror cannot do', async () => {
    expect(await problems(job('elsewhere', '  to: partner:/mirror\n  backupDir: ./backup/\n'))).toMatch(/sync\.backupDir: must be on the same connection as sync\.to \(partner:\/mirror\)/);
    expect(await problems(job('inside', '  to: ./mirror/\n  backupDir: ./mirror/old/\n'))).toMatch(/sync\.backupDir: overlaps sync\.to/);
    expect(await problems(job('limit', '  to: ./mirror/\n  maxDelete: ten\n'))).toMatch(/sync\.maxDelete: /);
    expect(await problems(job('compare', '  to: ./mirror/\n  compare: date\n'))).toMatch(/sync\.compare: /);
    const rules = await problems(job('rules', '  to: ./mirror/\n', 'validate:\n  maxSize: 10MB\nafter:\n  source: delete\n'));
    expect(rules).toMatch(/ validate: a sync mirrors the source as it is: validation does not apply to it/);
    expect(rules).toMatch(/ after\.source: a sync mirrors the source as it is: removing or moving source files does not apply to it/);
  });

  it('reads the compare mode, the limit and the backup folder', async () => {
    const loaded = await world.job(job('fine', '  to: ./mirror/\n  compare: checksum\n  maxDelete: "10%"\n  backupDir: ./old/\n'), 'fine.yaml');
    expect(loaded.definition.sync).toEqual({ to: './mirror/', compare: 'checksum', maxDelete: '10%', backupDir: './old/' });
    expect(loaded.definition.routes).toEqual([]);
  });
});

/** A sync job run as the daemon would run it, into a folder on this machine, an SFTP server and an FTP server. */
describe.each(['local', 'sftp', 'ftp'] as const)('a sync job mirroring into %s', (kind) => {
  let world: JobWorld;
  let mirror: { to: string; backup: string; dir: string; backupDir: string };
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    world = await jobWorld(`sync-job-${kind}`);
    if (kind === 'local') {
      mirror = { to: './mirror/', backup: './backup/', dir: join(world.work, 'mirror'), backupDir: join(world.work, 'backup') };
      return;
    }
    if (kind === 'sftp') {
      const sftp = inject('servers').sftp;
      const scratch = await makeScratch(sftp.home, 'sync-job-sftp');
      cleanups.push(scratch.remove);
      await addSftpConnection(world, 'partner', sftp, scratch.path);
      mirror = { to: 'partner:/mirror', backup: 'partner:/backup', dir: join(scratch.path, 'mirror'), backupDir: join(scratch.path, 'backup') };
      return;
    }
    const ftp = inject('servers').ftp['vsftpd-plain'];
    const scratch = await makeScratch(ftp.home, 'sync-job-ftp');
    cleanups.push(scratch.remove);
    await addFtpConnection(world, 'partner', ftp, scratch.name);
    mirror = { to: 'partner:/mirror', backup: 'partner:/backup', dir: join(scratch.path, 'mirror'), backupDir: join(scratch.path, 'backup') };
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await world.close();
  });

  const outbox = (): string => join(world.work, 'outbox');
  const syncJob = (name: string, options = ''): Promise<Awaited<ReturnType<JobWorld['job']>>> => world.job(job(name, `  to: ${mirror.to}\n${options}`), `${name}.yaml`);

  // The cases build on each other in order, as one job's nights would.
  it('mirrors the tree, then previews new, replaced and deleted files with reasons without changing anything', async () => {
    await world.files({ 'outbox/a.csv': 'alpha', 'outbox/sub/b.csv': 'bravo', 'outbox/c.csv': 'charlie' });
    const first = await world.run(await syncJob('mirror'));
    expect(first.status).toBe('succeeded');
    expect(first.sync?.actions.map((a) => [a.action, a.path, a.status]).sort()).toEqual([
      ['new', 'a.csv', 'done'],
      ['new', 'c.csv', 'done'],
      ['new', 'sub/b.csv', 'done'],
    ]);
    expect(await folderTree(mirror.dir)).toEqual(await folderTree(outbox()));

    await rm(join(outbox(), 'sub'), { recursive: true });
    await rm(join(outbox(), 'c.csv'));
    await world.files({ 'outbox/a.csv': 'alpha, changed', 'outbox/d.csv': 'delta' });
    const before = await folderTree(mirror.dir);
    const preview = await world.run(await syncJob('mirror'), { dryRun: true });
    expect(preview.sync?.actions.filter((a) => a.action !== 'unchanged').map((a) => [a.action, a.kind, a.path, a.status])).toEqual(
      expect.arrayContaining([
        ['replace', 'file', 'a.csv', 'planned'],
        ['new', 'file', 'd.csv', 'planned'],
        ['delete', 'file', 'c.csv', 'planned'],
        ['delete', 'file', 'sub/b.csv', 'planned'],
        ['delete', 'dir', 'sub', 'planned'],
      ]),
    );
    expect(await folderTree(mirror.dir)).toEqual(before);
  });

  it('deletes nothing above maxDelete and fails the run with the reason; a share it stays within is deleted', async () => {
    const refused = await world.run(await syncJob('mirror', '  maxDelete: 1\n'));
    expect(refused.status).toBe('failed');
    expect(refused.sync?.withheld).toBe('2 files would be deleted, more than the delete limit of 1 file');
    expect(refused.error).toBe('nothing was deleted: 2 files would be deleted, more than the delete limit of 1 file');
    expect((await folderTree(mirror.dir))['c.csv']).toBe('charlie');
    expect((await folderTree(mirror.dir))['d.csv']).toBe('delta');

    // 2 of the mirror's 4 files is 50%.
    const tooMany = await world.run(await syncJob('mirror', '  maxDelete: "49%"\n'));
    expect(tooMany.sync?.withheld).toBe("2 files would be deleted, more than the delete limit of 49% (1 of the destination's 4 files)");
    await world.files({ 'outbox/a.csv': 'alpha, third' });
    const within = await world.run(await syncJob('mirror', `  maxDelete: "50%"\n  backupDir: ${mirror.backup}\n`));
    expect(within.status).toBe('succeeded');
    expect(await folderTree(mirror.dir)).toEqual(await folderTree(outbox()));
    expect(await folderTree(mirror.backupDir)).toEqual({ 'a.csv': 'alpha, changed', 'c.csv': 'charlie', sub: '<dir>', 'sub/b.csv': 'bravo' });
  });

  it('deletes nothing when a copy fails, and the history says why', async () => {
    await world.files({ 'outbox/blocker/x.csv': 'x-ray' });
    const seeded = await world.ferry(['copy', join(outbox(), 'd.csv'), kind === 'local' ? join(mirror.dir, 'blocker') : `${mirror.to}/blocker`]);
    expect(seeded.code, seeded.err).toBe(0);
    await rm(join(outbox(), 'd.csv'));
    const run = await world.run(await syncJob('mirror'));
    expect(run.status).toBe('failed');
    expect(run.sync?.withheld).toBe('1 file could not be copied, and a sync deletes only once every copy is verified');
    expect(run.sync?.actions.filter((a) => a.action === 'delete').map((a) => [a.path, a.status])).toEqual(expect.arrayContaining([['d.csv', 'withheld']]));
    expect((await folderTree(mirror.dir))['d.csv']).toBe('delta');
    const recorded = world.workspace;
    const history = await recorded.history();
    expect(history.run(run.runId as Parameters<typeof history.run>[0])).toMatchObject({ status: 'failed', error: `nothing was deleted: ${run.sync?.withheld ?? ''}` });
  });
});
