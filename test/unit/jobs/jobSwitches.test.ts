import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryPaths, type FerryPaths } from '../../../src/config/ferryHome.js';
import { jobSwitchesFile, pauseSchedules, readJobSwitches, scheduleHold, setJobEnabled } from '../../../src/workspace/jobSwitches.js';

describe('job switches', () => {
  let home: string;
  let paths: FerryPaths;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-switches-'));
    paths = ferryPaths({ FERRY_HOME: home });
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('start with every job enabled and schedules running', () => {
    expect(readJobSwitches(paths)).toEqual({ disabled: [], paused: false });
    expect(scheduleHold(readJobSwitches(paths), 'orders')).toBeUndefined();
  });

  it('keep disabled jobs and the pause in the state folder, for the next reader', async () => {
    await Promise.all([setJobEnabled(paths, 'orders', false), setJobEnabled(paths, 'invoices', false), setJobEnabled(paths, 'orders', true)]);
    expect(readJobSwitches(paths)).toEqual({ disabled: ['invoices'], paused: false });
    expect(scheduleHold(readJobSwitches(paths), 'invoices')).toBe('disabled');
    expect(scheduleHold(readJobSwitches(paths), 'orders')).toBeUndefined();

    await pauseSchedules(paths, true);
    expect(scheduleHold(readJobSwitches(paths), 'orders')).toBe('paused');
    expect(scheduleHold(readJobSwitches(paths), 'invoices')).toBe('paused');
    expect(await pauseSchedules(paths, false)).toEqual({ disabled: ['invoices'], paused: false });

    expect(dirname(jobSwitchesFile(paths))).toBe(join(home, 'state'));
    expect(JSON.parse(await readFile(jobSwitchesFile(paths), 'utf8'))).toEqual({ version: 1, disabled: ['invoices'], paused: false });
    expect(await readdir(join(home, 'state'))).toEqual(['job-switches.json']);
  });

  it('treat a file they cannot read as all on, and say which file and why', async () => {
    await mkdir(dirname(jobSwitchesFile(paths)), { recursive: true });
    await writeFile(jobSwitchesFile(paths), '{"version": 1, "disabled": "orders"}');
    const warnings: string[] = [];
    expect(readJobSwitches(paths, (m) => warnings.push(m))).toEqual({ disabled: [], paused: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(jobSwitchesFile(paths));
    expect(warnings[0]).toMatch(/every job is treated as enabled/);
    expect(await setJobEnabled(paths, 'orders', false)).toEqual({ disabled: ['orders'], paused: false });
  });
});
