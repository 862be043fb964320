import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobWorld, type JobWorld } from './harness.js';

function hourlyJob(work: string, stableFor: string): string {
  return `version: 1
name: hourly
source:
  location: ${join(work, 'in')}
arrival:
  stableFor: ${stableFor}
routes:
  - name: out
    to: ${join(work, 'out')}/
after:
  source: delete
schedule:
  every: 1h
  missed: run-once
`;
}

interface Daemon {
  readonly child: ChildProcess;
  log(): string;
  waitFor(pattern: RegExp): Promise<void>;
  exit(): Promise<number | null>;
}

function startDaemon(home: string): Daemon {
  const child = spawn(process.execPath, ['bin/ferry.js', 'daemon'], { env: { ...process.env, FERRY_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    log: () => log,
    waitFor: async (pattern) => {
      for (let i = 0; i < 600 && !pattern.test(log); i++) {
        if (child.exitCode !== null) throw new Error(`the daemon exited: ${log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!pattern.test(log)) throw new Error(`no ${String(pattern)} in: ${log}`);
    },
    exit: () => exited,
  };
}

describe('ferry daemon', () => {
  let world: JobWorld;

  beforeEach(async () => {
    world = await jobWorld('daemon');
    await mkdir(join(world.home, 'jobs'), { recursive: true });
    await world.files({ 'in/a.txt': 'a', 'in/b.txt': 'b' });
  });
  afterEach(async () => {
    await world.close();
  });

  it('runs a job whose ticks were missed during downtime once, not once per missed tick, and stops cleanly on SIGTERM', async () => {
    await writeFile(join(world.home, 'jobs', 'hourly.yaml'), hourlyJob(world.work, '0s'));
    const journal = (await world.workspace.history()).journal();
    journal.setLastTick('hourly', Date.now() - 5 * 3_600_000);
    const daemon = startDaemon(world.home);
    await daemon.waitFor(/hourly: run \d+ succeeded/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit()).toBe(0);
    expect(daemon.log()).toMatch(/stopped/);
    expect(daemon.log().match(/hourly: starting/g)).toHaveLength(1);
    expect(daemon.log()).toMatch(/hourly: starting \(catch-up\)/);
    expect((await readdir(join(world.work, 'out'))).sort()).toEqual(['a.txt', 'b.txt']);
    const history = await world.workspace.history();
    expect(history.listRuns({ job: 'hourly' })).toHaveLength(1);
    expect(journal.lastTick('hourly')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('leaves a run it stops halfway open, and the next start finishes it', async () => {
    await writeFile(join(world.home, 'jobs', 'hourly.yaml'), hourlyJob(world.work, '1h'));
    (await world.workspace.history()).journal().setLastTick('hourly', Date.now() - 2 * 3_600_000);
    const daemon = startDaemon(world.home);
    // The catch-up run waits for the files to settle for an hour: SIGTERM must not wait for that.
    await daemon.waitFor(/hourly: starting/);
    await new Promise((r) => setTimeout(r, 300));
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit()).toBe(0);
    const history = await world.workspace.history();
    const [run] = history.listRuns({ job: 'hourly' });
    expect(run?.status).toBe('running');
    await writeFile(join(world.home, 'jobs', 'hourly.yaml'), hourlyJob(world.work, '0s'));
    const resumed = await world.ferry(['run', 'hourly']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toMatch(new RegExp(`Run ${run?.id} \\(resuming the interrupted run\\)`));
    expect(history.listRuns({ job: 'hourly' }).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('runs no tick of a job switched off with "ferry jobs disable", nor of any job while "ferry jobs pause" holds', async () => {
    await writeFile(join(world.home, 'jobs', 'hourly.yaml'), hourlyJob(world.work, '0s'));
    const journal = (await world.workspace.history()).journal();
    const disabled = await world.ferry(['jobs', 'disable', 'hourly']);
    expect(disabled.code, disabled.err).toBe(0);
    expect(disabled.out).toMatch(/hourly: disabled/);

    journal.setLastTick('hourly', Date.now() - 5 * 3_600_000);
    const first = startDaemon(world.home);
    await first.waitFor(/hourly: tick skipped \(disabled\)/);
    first.child.kill('SIGTERM');
    expect(await first.exit()).toBe(0);

    expect((await world.ferry(['jobs', 'enable', 'hourly'])).code).toBe(0);
    expect((await world.ferry(['jobs', 'pause'])).out).toMatch(/All schedules paused/);
    journal.setLastTick('hourly', Date.now() - 5 * 3_600_000);
    const second = startDaemon(world.home);
    await second.waitFor(/hourly: tick skipped \(schedules are paused\)/);
    second.child.kill('SIGTERM');
    expect(await second.exit()).toBe(0);

    for (const log of [first.log(), second.log()]) expect(log).not.toMatch(/hourly: starting/);
    expect((await world.workspace.history()).listRuns({ job: 'hourly' })).toEqual([]);
    expect((await readdir(join(world.work, 'in'))).sort()).toEqual(['a.txt', 'b.txt']);

    expect((await world.ferry(['jobs', 'resume'])).code).toBe(0);
    journal.setLastTick('hourly', Date.now() - 5 * 3_600_000);
    const third = startDaemon(world.home);
    await third.waitFor(/hourly: run \d+ succeeded/);
    third.child.kill('SIGTERM');
    expect(await third.exit()).toBe(0);
  });

  it('refuses to switch a job it cannot find, naming the jobs folder', async () => {
    const result = await world.ferry(['jobs', 'disable', 'nightly']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`No job named "nightly" in ${join(world.home, 'jobs')}`);
  });
});
