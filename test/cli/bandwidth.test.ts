import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import { LocalFs } from '../../src/connectors/local/LocalFs.js';
import { BandwidthLimits, type Pace } from '../../src/engine/bandwidth/BandwidthLimits.js';
import { FileResumeJournal } from '../../src/engine/ResumeJournal.js';
import { transfer } from '../../src/engine/transfer.js';
import { applySavedLimits } from '../../src/workspace/bandwidth.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { makeScratch } from '../conformance/scratch.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';
import { VirtualClock } from '../helpers/virtualClock.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const START = Date.UTC(2026, 11, 7, 12);

/** Bytes admitted, each at its virtual instant. */
type Admissions = Array<{ readonly at: number; readonly bytes: number }>;

/** Records when each piece the engine sends is let through, in the clock's time. */
function traced(pace: Pace, clock: VirtualClock, log: Admissions): Pace {
  return {
    pieceBytes: () => pace.pieceBytes(),
    admit: (bytes, signal) => {
      const wait = pace.admit(bytes, signal);
      if (wait === undefined) {
        log.push({ at: clock.now(), bytes });
        return undefined;
      }
      return wait.then(() => void log.push({ at: clock.now(), bytes }));
    },
  };
}

describe('bandwidth limits over the real SFTP server and from the command line', () => {
  const servers = inject('servers');
  let home: string;
  let work: string;
  let scratch: Awaited<ReturnType<typeof makeScratch>>;
  const ferry = (args: ReadonlyArray<string>, stdin = ''): Promise<FerryRun> => runFerry(home, args, stdin);

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-bwlimit-home-'));
    work = await mkdtemp(join(tmpdir(), 'ferry-bwlimit-work-'));
    scratch = await makeScratch(servers.sftp.home, 'bwlimit');
    const sftp = servers.sftp;
    const added = await ferry(['connection', 'add', 'partner', `sftp://${sftp.user}@${sftp.host}:${sftp.port}${scratch.path}`, '--password-stdin', '--accept-new-host-key'], `${sftp.password}\n`);
    expect(added.code, added.err).toBe(0);
    await mkdir(join(work, 'outbox'));
    // Three files of 2 MiB, sent side by side: the partner's limit is shared by all three.
    for (const i of [1, 2, 3]) await writeFile(join(work, 'outbox', `batch-${i}.bin`), Buffer.alloc(2 * MiB, i));
  });
  afterAll(async () => {
    await scratch.remove();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('a partner\'s saved upload limit holds for all files together: 6 MiB at 1 MiB/s, measured in virtual time', async () => {
    const set = await ferry(['connection', 'limit', 'partner', '1M:off']);
    expect(set.code, set.err).toBe(0);
    expect(set.out).toBe('partner: 1M:off (now 1 MiB/s up, no limit down)\n');
    const workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    const partner = await workspace.open('partner');
    try {
      const clock = new VirtualClock(START);
      const limits = new BandwidthLimits(clock);
      await applySavedLimits(workspace, limits);
      const pace = limits.pace({ source: undefined, target: 'partner' });
      if (pace === undefined) throw new Error('an upload to a partner is always paced');
      const log: Admissions = [];
      const summary = await transfer({
        source: new LocalFs(work),
        sourcePath: 'outbox',
        target: partner,
        targetPath: 'inbox',
        recursive: true,
        policy: 'overwrite',
        move: false,
        dryRun: false,
        journal: new FileResumeJournal(join(home, 'partials')),
        concurrency: 3,
        pace: traced(pace, clock, log),
      });
      expect(summary.failed).toEqual([]);
      expect(summary.files).toBe(3);
      for (const i of [1, 2, 3]) {
        const landed = await readFile(join(scratch.path, 'inbox', `batch-${i}.bin`));
        expect(createHash('sha256').update(landed).digest('hex')).toBe(createHash('sha256').update(Buffer.alloc(2 * MiB, i)).digest('hex'));
      }
      const total = log.reduce((n, a) => n + a.bytes, 0);
      expect(total).toBe(6 * MiB);
      // The first second's allowance goes at once; after it, the average is the limit, within 1 %.
      const elapsed = (log[log.length - 1]?.at ?? START) - START;
      const rate = ((total - MiB) * 1000) / elapsed;
      expect(Math.abs(rate - MiB) / MiB).toBeLessThan(0.01);
      // And in no virtual second did more pass than the limit and one second's allowance.
      for (const a of log) {
        const window = log.filter((b) => b.at > a.at - 1000 && b.at <= a.at).reduce((n, b) => n + b.bytes, 0);
        expect(window).toBeLessThanOrEqual(2 * MiB);
      }
    } finally {
      await partner.close();
      workspace.close();
    }
  });

  it('ferry copy --bwlimit sends under the run\'s limit and the saved one, and mirrors back with ferry sync --bwlimit', async () => {
    const up = await ferry(['copy', join(work, 'outbox'), 'partner:copied', '--recursive', '--bwlimit', '64M', '--json']);
    expect(up.code, up.err).toBe(0);
    expect(JSON.parse(up.out)).toMatchObject({ files: 3, failed: [] });
    const back = await ferry(['sync', 'partner:copied', join(work, 'back'), '--bwlimit', '08:00,64M 18:00,off', '--no-progress']);
    expect(back.code, back.err).toBe(0);
    for (const i of [1, 2, 3]) expect((await readFile(join(work, 'back', `batch-${i}.bin`))).equals(Buffer.alloc(2 * MiB, i))).toBe(true);
  });

  it('names the flag or the connection and the bad value, and changes nothing', async () => {
    const bad = await ferry(['copy', join(work, 'outbox'), 'partner:never', '--recursive', '--bwlimit', '2X']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('ferry: --bwlimit: "2X" is not a rate: write a number with a unit B, K, M, G, T or P (powers of 1024; a number alone is KiB/s), or "off"\n');
    const timetable = await ferry(['sync', join(work, 'outbox'), 'partner:never', '--bwlimit', '08:00,2M 24:00,off']);
    expect(timetable.code).toBe(2);
    expect(timetable.err).toBe('ferry: --bwlimit: "24:00" in "24:00,off" is not a time of day (HH:MM, from 00:00 to 23:59)\n');
    const saved = await ferry(['connection', 'limit', 'partner', '1M:4M:2M']);
    expect(saved.code).toBe(2);
    expect(saved.err).toBe('ferry: the limit of connection "partner": "1M:4M:2M" has more than one ":": write one rate, or upload:download such as "1M:4M"\n');
    expect((await ferry(['connection', 'limit', 'partner'])).out).toBe('partner: 1M:off (now 1 MiB/s up, no limit down)\n');
    const off = await ferry(['connection', 'limit', 'partner', 'off']);
    expect(off.out).toBe('partner: no bandwidth limit\n');
    expect((await ferry(['ls', 'partner:'])).out).not.toContain('never');
  });
});
