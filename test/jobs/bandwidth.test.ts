import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BandwidthLimits } from '../../src/engine/bandwidth/BandwidthLimits.js';
import { JobFileError } from '../../src/jobs/definition/loadJob.js';
import { applySavedLimits } from '../../src/workspace/bandwidth.js';
import { VirtualClock } from '../helpers/virtualClock.js';
import { jobWorld, type JobWorld } from './harness.js';

const KiB = 1024;
const START = Date.UTC(2026, 11, 7, 12);

describe("a job's bandwidth", () => {
  let world: JobWorld;

  beforeAll(async () => {
    world = await jobWorld('job-bandwidth');
    await mkdir(join(world.work, 'partner', 'outbox'), { recursive: true });
    const added = await world.ferry(['connection', 'add', 'partner', `file://${world.work}/partner`, '--no-test']);
    expect(added.code, added.err).toBe(0);
  });
  afterAll(async () => world.close());

  const job = (bandwidth: string): string => `version: 1
name: paced
bandwidth: "${bandwidth}"
source:
  location: partner:outbox
arrival:
  stableFor: 0s
routes:
  - name: archive
    to: ./archive
`;

  it('is shared by the files of a run: 768 KiB fetched at 64 KiB/s take 11 s of virtual time after the first second\'s allowance', async () => {
    const files = Object.fromEntries([1, 2, 3].map((i) => [`partner/outbox/part-${i}.bin`, Buffer.alloc(256 * KiB, i)]));
    await world.files(files);
    const clock = new VirtualClock(START);
    const limits = new BandwidthLimits(clock);
    await applySavedLimits(world.workspace, limits);
    const result = await world.run(await world.job(job('1M:64k')), { services: { bandwidth: async () => limits } });
    expect(result.status, JSON.stringify(result.files)).toBe('succeeded');
    for (const i of [1, 2, 3]) expect((await readFile(join(world.work, 'archive', `part-${i}.bin`))).equals(Buffer.alloc(256 * KiB, i))).toBe(true);
    // The bucket lets 64 KiB through at once, then earns 64 KiB a second: the rest, 704 KiB, take 11 s.
    expect(clock.now() - START).toBe(11_000);
  });

  it('a limit the job file cannot have is refused with the field and the bad value', async () => {
    const error = await world.job(job('08:00,2X 18:00,off')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFileError);
    expect((error as JobFileError).problems).toEqual([expect.objectContaining({ field: 'bandwidth', message: '"2X" is not a rate: write a number with a unit B, K, M, G, T or P (powers of 1024; a number alone is KiB/s), or "off"' })]);
  });
});
