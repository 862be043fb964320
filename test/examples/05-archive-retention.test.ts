import { cp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunId, RunRecord } from '../../src/history/records.js';
import { loadJobFile, type LoadedJob } from '../../src/jobs/definition/loadJob.js';
import { formatDate } from '../../src/mapping/dates.js';
import { makeScratch } from '../conformance/scratch.js';
import { jobWorld, type JobWorld } from '../jobs/harness.js';
import { addFtpConnection, copyExample, outcomes, pathsUnder } from './support.js';

const EXAMPLE = '05-archive-retention';
const ZONE = 'Europe/Berlin';
/** When the internal systems wrote the sample exports. */
const EXPORTED = new Date('2026-04-02T06:00:00Z');

/** Files wait for `stableFor` (30s in the job); the test world does not make them wait. */
const noWait = { services: { sleep: async (): Promise<void> => {} } };

describe('example 05: closed-period exports archived on FTPS for retention', () => {
  const ftp = inject('servers').ftp['vsftpd-explicit'];
  let world: JobWorld;
  let job: LoadedJob;
  let archive: Awaited<ReturnType<typeof makeScratch>>;

  beforeAll(async () => {
    world = await jobWorld('example-05');
    await copyExample(world, EXAMPLE);
    archive = await makeScratch(ftp.home, 'retention');
    await addFtpConnection(world, 'archive', ftp, archive.name);
    await cp(join(world.work, 'samples/exports'), join(world.work, 'exports'), { recursive: true });
    for (const name of await readdir(join(world.work, 'exports'))) await utimes(join(world.work, 'exports', name), EXPORTED, EXPORTED);
    job = await loadJobFile(join(world.work, 'job.yaml'));
  });
  afterAll(async () => {
    await archive?.remove();
    await world?.close();
  });

  const sample = (name: string): Promise<Buffer> => readFile(join(world.work, 'samples/exports', name));
  const monthOf = (startedAt: number): string => `${formatDate(new Date(startedAt), 'yyyy', ZONE)}/${formatDate(new Date(startedAt), 'MM', ZONE)}`;
  const runOf = async (runId: number): Promise<RunRecord> => {
    const run = (await world.workspace.history()).run(runId as RunId);
    if (run === undefined) throw new Error(`run ${runId} is not in the history`);
    return run;
  };

  it('previews which files would be archived and where, changing nothing', async () => {
    const preview = await world.run(job, { ...noWait, dryRun: true });
    expect(outcomes(preview)).toEqual([
      ['crm_2026-03_contacts.zip', 'quarantined'],
      ['erp_2026-03_ledger.zip', 'planned'],
      ['hr_2026-03_payroll.csv', 'planned'],
    ]);
    const month = monthOf((await runOf(preview.runId)).startedAt);
    const ledger = preview.files.find((f) => f.path === 'erp_2026-03_ledger.zip');
    expect(ledger?.deliveries.map((d) => [d.name, d.target, d.status])).toEqual([
      ['erp_2026-03_ledger.zip', `archive:${month}/erp_2026-03_ledger.zip`, 'planned'],
      ['erp_2026-03_ledger.json', `archive:${month}/erp_2026-03_ledger.json`, 'planned'],
    ]);
    expect(preview.files.find((f) => f.path === 'crm_2026-03_contacts.zip')?.verdict?.reasons.map((r) => r.rule)).toEqual(['content-type']);
    expect(await pathsUnder(archive.path)).toEqual([]);
    expect(await pathsUnder(join(world.work, 'exports'))).toEqual(['crm_2026-03_contacts.zip', 'erp_2026-03_ledger.zip', 'hr_2026-03_payroll.csv']);
  });

  it('archives each export with its manifest in the month folder and moves the originals aside', async () => {
    const result = await world.run(job, noWait);
    expect(result.status).toBe('succeeded');
    expect(outcomes(result)).toEqual([
      ['crm_2026-03_contacts.zip', 'quarantined'],
      ['erp_2026-03_ledger.zip', 'delivered'],
      ['hr_2026-03_payroll.csv', 'delivered'],
    ]);
    const run = await runOf(result.runId);
    const month = monthOf(run.startedAt);
    const archivedAt = formatDate(new Date(run.startedAt), "yyyy-MM-dd'T'HH:mm:ss", ZONE);

    // The archive server: the packages byte for byte, each with its manifest.
    expect(await pathsUnder(archive.path)).toEqual([
      `${month}/erp_2026-03_ledger.json`,
      `${month}/erp_2026-03_ledger.zip`,
      `${month}/hr_2026-03_payroll.csv`,
      `${month}/hr_2026-03_payroll.json`,
    ]);
    expect((await readFile(join(archive.path, month, 'erp_2026-03_ledger.zip'))).equals(await sample('erp_2026-03_ledger.zip'))).toBe(true);
    expect((await readFile(join(archive.path, month, 'hr_2026-03_payroll.csv'))).equals(await sample('hr_2026-03_payroll.csv'))).toBe(true);
    const manifest = (name: string): Promise<unknown> => readFile(join(archive.path, month, name), 'utf8').then((t) => JSON.parse(t) as unknown);
    expect(await manifest('erp_2026-03_ledger.json')).toEqual({
      file: 'erp_2026-03_ledger.zip',
      system: 'erp',
      period: '2026-03',
      dataset: 'ledger',
      exportedAt: '2026-04-02T08:00:00',
      archivedAt,
      timeZone: ZONE,
      ferryRun: String(result.runId),
      retention: '10 years',
    });
    expect(await manifest('hr_2026-03_payroll.json')).toMatchObject({ file: 'hr_2026-03_payroll.csv', system: 'hr', period: '2026-03', dataset: 'payroll' });

    // The source: the originals moved to archived/<yyyy-MM>/run-<n>/, the rejected one too (its copy is in quarantine).
    const moved = `archived/${formatDate(new Date(run.startedAt), 'yyyy-MM', ZONE)}/run-${result.runId}`;
    expect(await pathsUnder(join(world.work, 'exports'))).toEqual([
      `${moved}/crm_2026-03_contacts.zip`,
      `${moved}/erp_2026-03_ledger.zip`,
      `${moved}/hr_2026-03_payroll.csv`,
    ]);

    // The quarantine holds the fake zip with its reason.
    const held = (await world.workspace.history()).journal().quarantined({ job: 'archive-retention' });
    expect(held.map((q) => q.file)).toEqual(['crm_2026-03_contacts.zip']);
    const reason = JSON.parse(await readFile(join(held[0]?.location ?? '', 'crm_2026-03_contacts.zip.reason.json'), 'utf8')) as { reasons: Array<{ rule: string; message: string }> };
    expect(reason.reasons).toEqual([{ rule: 'content-type', message: expect.stringMatching(/crm_2026-03_contacts\.zip: the content is text, not zip/) as unknown }]);

    // The history.
    expect(run).toMatchObject({ status: 'succeeded', files: 2, skipped: 1 });
    const items = (await world.workspace.history()).runItems(result.runId as RunId, { limit: 10 });
    expect(items.map((i) => [i.sourcePath, i.status, i.stage])).toEqual([
      ['crm_2026-03_contacts.zip', 'quarantined', 'validated'],
      ['erp_2026-03_ledger.zip', 'moved', 'done'],
      ['hr_2026-03_payroll.csv', 'moved', 'done'],
    ]);
    expect(items.find((i) => i.sourcePath === 'erp_2026-03_ledger.zip')?.targetPath).toBe(`archive:${month}/erp_2026-03_ledger.zip`);
  });

  it('never overwrites an archived file: a second export with the same name is archived beside the first', async () => {
    const first = await runOf((await world.workspace.history()).listRuns({ job: 'archive-retention', limit: 1 })[0]?.id ?? 0);
    const firstMonth = monthOf(first.startedAt);
    const corrected = Buffer.concat([await sample('erp_2026-03_ledger.zip'), Buffer.from('corrected re-export')]);
    await writeFile(join(world.work, 'exports', 'erp_2026-03_ledger.zip'), corrected);

    const result = await world.run(job, noWait);
    expect(outcomes(result)).toEqual([['erp_2026-03_ledger.zip', 'delivered']]);
    const run = await runOf(result.runId);
    const month = monthOf(run.startedAt);
    const ledger = result.files[0];
    expect(ledger?.deliveries.map((d) => d.target)).toEqual([`archive:${month}/erp_2026-03_ledger (1).zip`, `archive:${month}/erp_2026-03_ledger (1).json`]);

    // The first archived copy and its manifest are untouched; the second copy and its manifest sit beside them.
    expect((await readFile(join(archive.path, firstMonth, 'erp_2026-03_ledger.zip'))).equals(await sample('erp_2026-03_ledger.zip'))).toBe(true);
    expect(JSON.parse(await readFile(join(archive.path, firstMonth, 'erp_2026-03_ledger.json'), 'utf8'))).toMatchObject({ ferryRun: String(first.id) });
    expect((await readFile(join(archive.path, month, 'erp_2026-03_ledger (1).zip'))).equals(corrected)).toBe(true);
    expect(JSON.parse(await readFile(join(archive.path, month, 'erp_2026-03_ledger (1).json'), 'utf8'))).toMatchObject({
      file: 'erp_2026-03_ledger.zip',
      ferryRun: String(result.runId),
    });

    // Both originals are kept on this side too, each in its run's folder.
    const moved = `archived/${formatDate(new Date(run.startedAt), 'yyyy-MM', ZONE)}/run-${result.runId}/erp_2026-03_ledger.zip`;
    expect((await readFile(join(world.work, 'exports', moved))).equals(corrected)).toBe(true);
    expect((await pathsUnder(join(world.work, 'exports'))).filter((p) => p.endsWith('erp_2026-03_ledger.zip'))).toHaveLength(2);
    expect(run).toMatchObject({ status: 'succeeded', files: 1, skipped: 0 });
  });
});
