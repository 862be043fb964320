import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { makeScratch } from '../conformance/scratch.js';
import { addFtpConnection, seedServerFolder } from '../examples/support.js';
import { jobWorld, type JobWorld } from './harness.js';

const vsftpd = inject('servers').ftp['vsftpd-plain'];

/** vsftpd lists with LIST only (no MLSD): its listing carries sizes but no usable times. */
describe('a job reading a partner folder on vsftpd and leaving the files there', () => {
  let world: JobWorld;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;

  beforeEach(async () => {
    world = await jobWorld('ftp-source');
    scratch = await makeScratch(vsftpd.home, 'job-source');
  });
  afterEach(async () => {
    await scratch.remove();
    await world.close();
  });

  it('takes a partner\'s re-sent file of the same size again, and an untouched one never', async () => {
    await seedServerFolder(scratch.path, { 'orders.csv': 'order,qty\n30,1\n' });
    const sent = new Date(Date.UTC(2026, 10, 2, 8, 0, 0));
    await utimes(join(scratch.path, 'orders.csv'), sent, sent);
    await addFtpConnection(world, 'partner', vsftpd, scratch.name);
    const job = await world.job(`version: 1
name: keep-orders
source:
  location: partner:/
arrival:
  stableFor: 0s
routes:
  - name: erp
    to: ./erp/
after:
  source: keep
`);
    expect((await world.run(job)).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect((await world.run(job)).files).toEqual([]);

    // The partner uploads new content under the same name, with the same length, a minute later.
    await writeFile(join(scratch.path, 'orders.csv'), 'order,qty\n30,9\n');
    const resent = new Date(sent.getTime() + 60_000);
    await utimes(join(scratch.path, 'orders.csv'), resent, resent);
    expect((await world.run(job)).files.map((f) => f.outcome)).toEqual(['delivered']);
    expect(await readFile(join(world.work, 'erp/orders.csv'), 'utf8')).toBe('order,qty\n30,9\n');
    expect((await world.run(job)).files).toEqual([]);
  });
});
