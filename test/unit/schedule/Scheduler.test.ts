import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/schedule/Clock.js';
import { ConnectionBudget } from '../../../src/schedule/ConnectionBudget.js';
import { MemoryScheduleState } from '../../../src/schedule/ScheduleState.js';
import { Scheduler, type SchedulerEvents, type TickReason } from '../../../src/schedule/Scheduler.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 6 May 2024, 08:00 UTC. */
const T0 = Date.parse('2024-05-06T08:00:00Z');

interface Call {
  readonly job: string;
  readonly reason: TickReason;
  readonly at: number;
}

type Skip = [job: string, at: number, why: string];

function wait(clock: ManualClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(clock.now() + ms, resolve));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A scheduler on a manual clock whose runs take `runMs` of clock time and are recorded. */
function setup(
  options: { runMs?: number; state?: MemoryScheduleState; run?: (job: string, signal: AbortSignal) => Promise<void>; hold?: (job: string) => 'disabled' | 'paused' | undefined } = {},
) {
  const clock = new ManualClock(T0);
  const state = options.state ?? new MemoryScheduleState();
  const calls: Call[] = [];
  const skips: Skip[] = [];
  const errors: Array<[string, unknown]> = [];
  const events: SchedulerEvents = {
    onSkipped: (job, at, why) => void skips.push([job, at, why]),
    onError: (job, error) => void errors.push([job, error]),
  };
  const scheduler = new Scheduler({
    clock,
    state,
    events,
    ...(options.hold === undefined ? {} : { hold: options.hold }),
    run: async (job, reason, signal) => {
      calls.push({ job, reason, at: clock.now() });
      if (options.run !== undefined) await options.run(job, signal);
      else if (options.runMs !== undefined) await wait(clock, options.runMs);
    },
  });
  return { clock, state, calls, skips, errors, scheduler };
}

describe('Scheduler', () => {
  it('runs each tick and writes the last tick before the run starts', async () => {
    const seen: Array<number | undefined> = [];
    const { clock, state, calls, scheduler } = setup({ run: async (job) => void seen.push(state.lastTick(job)) });
    scheduler.set('pull', { every: '15m', timezone: 'UTC' });
    expect(scheduler.next('pull')).toBe(T0 + 15 * MIN);
    scheduler.start();
    // A job seen for the first time starts clean: nothing to catch up.
    expect(state.lastTick('pull')).toBe(T0);
    expect(calls).toEqual([]);

    await clock.advance(HOUR);
    expect(calls).toEqual([1, 2, 3, 4].map((n) => ({ job: 'pull', reason: 'schedule', at: T0 + n * 15 * MIN })));
    expect(seen).toEqual(calls.map((c) => c.at));
    expect(scheduler.next('pull')).toBe(T0 + 75 * MIN);
  });

  it('skips a tick that arrives while the job still runs, and reports it', async () => {
    let active = 0;
    let maxActive = 0;
    const { clock, calls, skips, scheduler } = setup({
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await wait(clock, 20 * MIN);
        active--;
      },
    });
    scheduler.set('slow', { every: '15m', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(HOUR);

    // Runs start at :15 and :45; the ticks at :30 and :60 find it still running.
    expect(calls.map((c) => c.at)).toEqual([T0 + 15 * MIN, T0 + 45 * MIN]);
    expect(skips).toEqual([
      ['slow', T0 + 30 * MIN, 'overlap'],
      ['slow', T0 + 60 * MIN, 'overlap'],
    ]);
    expect(maxActive).toBe(1);
    expect(scheduler.running()).toEqual(['slow']);
    await clock.advance(5 * MIN);
    expect(scheduler.running()).toEqual([]);
  });

  it('run-once: three days missed on an hourly schedule give one catch-up run on start', async () => {
    const state = new MemoryScheduleState([['hourly', T0 - 3 * DAY]]);
    const { clock, calls, skips, scheduler } = setup({ state });
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC', missed: 'run-once' });
    scheduler.start();
    await clock.advance(0);
    expect(calls).toEqual([{ job: 'hourly', reason: 'catch-up', at: T0 }]);
    expect(skips).toEqual([]);
    expect(state.lastTick('hourly')).toBe(T0);

    await clock.advance(HOUR);
    expect(calls.map((c) => c.reason)).toEqual(['catch-up', 'schedule']);
  });

  it('skip: three days missed give no run on start, one report, then the schedule goes on', async () => {
    const state = new MemoryScheduleState([['hourly', T0 - 3 * DAY]]);
    const { clock, calls, skips, scheduler } = setup({ state });
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC', missed: 'skip' });
    scheduler.start();
    await clock.advance(0);
    expect(calls).toEqual([]);
    expect(skips).toEqual([['hourly', T0 - 3 * DAY + HOUR, 'missed-skip']]);
    expect(state.lastTick('hourly')).toBe(T0);

    await clock.advance(HOUR);
    expect(calls).toEqual([{ job: 'hourly', reason: 'schedule', at: T0 + HOUR }]);
  });

  it('a restart within the same interval catches up nothing', async () => {
    const state = new MemoryScheduleState([['hourly', T0 + 10 * MIN]]);
    const { clock, calls, scheduler } = setup({ state });
    await clock.set(T0 + 50 * MIN);
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(0);
    expect(calls).toEqual([]);
  });

  it('after the machine sleeps through many ticks, runs one catch-up, not one per tick', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC' });
    scheduler.start();
    await clock.set(T0 + 10 * HOUR + 30 * MIN);
    expect(calls).toEqual([{ job: 'hourly', reason: 'catch-up', at: T0 + 10 * HOUR + 30 * MIN }]);
    expect(scheduler.next('hourly')).toBe(T0 + 11 * HOUR);
  });

  it('after a sleep, skip reports the missed ticks once and waits for the next', async () => {
    const { clock, calls, skips, scheduler } = setup();
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC', missed: 'skip' });
    scheduler.start();
    await clock.set(T0 + 10 * HOUR + 30 * MIN);
    expect(calls).toEqual([]);
    expect(skips).toEqual([['hourly', T0 + HOUR, 'missed-skip']]);
    await clock.advance(30 * MIN);
    expect(calls).toEqual([{ job: 'hourly', reason: 'schedule', at: T0 + 11 * HOUR }]);
  });

  it('a tick handled a little late still counts as on time', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC', missed: 'skip' });
    scheduler.start();
    await clock.set(T0 + HOUR + 5_000);
    expect(calls).toEqual([{ job: 'hourly', reason: 'schedule', at: T0 + HOUR + 5_000 }]);
  });

  it('does not replay ticks when the clock is set back', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(HOUR);
    await clock.set(T0 + 30 * MIN);
    // Re-arming from the earlier time must not bring back the tick at T0 + 1h.
    scheduler.set('hourly', { cron: '0 * * * *', timezone: 'UTC' });
    expect(scheduler.next('hourly')).toBe(T0 + 2 * HOUR);
    await clock.advance(HOUR);
    expect(calls.map((c) => c.at)).toEqual([T0 + HOUR]);
    await clock.advance(HOUR);
    expect(calls.map((c) => c.at)).toEqual([T0 + HOUR, T0 + 2 * HOUR]);
  });

  it('stop() waits for a running job, aborts nothing, and arms no more timers', async () => {
    const release = deferred();
    let aborted = false;
    const { clock, calls, scheduler } = setup({
      run: async (_job, signal) => {
        await release.promise;
        aborted = signal.aborted;
      },
    });
    scheduler.set('pull', { every: '15m', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(15 * MIN);
    expect(scheduler.running()).toEqual(['pull']);

    let stopped = false;
    const stopping = scheduler.stop().then(() => void (stopped = true));
    await clock.advance(0);
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(aborted).toBe(false);
    expect(scheduler.running()).toEqual([]);

    await clock.advance(2 * HOUR);
    expect(calls).toHaveLength(1);
    expect(clock.pending()).toBe(0);
    expect(scheduler.trigger('pull')).toBe(false);
  });

  it('stop({ abort: true }) signals running jobs and waits for them', async () => {
    let reason: unknown;
    const { clock, scheduler } = setup({
      run: (_job, signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve();
          }),
        ),
    });
    scheduler.set('pull', { every: '15m', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(15 * MIN);
    await scheduler.stop({ abort: true });
    expect(reason).toBeInstanceOf(DOMException);
    expect(scheduler.running()).toEqual([]);
  });

  it('trigger() runs now, or returns false while the job runs', async () => {
    const { clock, calls, scheduler } = setup({ runMs: 10 * MIN });
    scheduler.set('pull', { every: '1h', timezone: 'UTC' });
    expect(scheduler.trigger('pull')).toBe(true);
    expect(scheduler.trigger('pull')).toBe(false);
    expect(calls).toEqual([{ job: 'pull', reason: 'manual', at: T0 }]);
    await clock.advance(10 * MIN);
    expect(scheduler.trigger('pull')).toBe(true);
    expect(() => scheduler.trigger('nope')).toThrow(/No schedule for job "nope"/);
  });

  it('a disabled job runs nothing, reports its ticks, and owes nothing when enabled', async () => {
    const { clock, state, calls, skips, scheduler } = setup();
    scheduler.set('pull', { every: '1h', timezone: 'UTC', enabled: false });
    scheduler.start();
    expect(scheduler.next('pull')).toBeUndefined();
    await clock.advance(3 * HOUR);
    expect(calls).toEqual([]);
    expect(skips).toEqual([1, 2, 3].map((n) => ['pull', T0 + n * HOUR, 'disabled']));
    expect(state.lastTick('pull')).toBe(T0 + 3 * HOUR);

    scheduler.set('pull', { every: '1h', timezone: 'UTC' });
    await clock.advance(0);
    expect(calls).toEqual([]);
    await clock.advance(HOUR);
    expect(calls).toEqual([{ job: 'pull', reason: 'schedule', at: T0 + 4 * HOUR }]);
  });

  it('a job the user switched off, or every job while schedules are paused, runs nothing and owes nothing when switched back on', async () => {
    const holds = new Map<string, 'disabled' | 'paused'>([['pull', 'disabled']]);
    const { clock, calls, skips, scheduler } = setup({ hold: (job) => holds.get(job) });
    scheduler.set('pull', { every: '1h', timezone: 'UTC' });
    scheduler.set('push', { every: '1h', timezone: 'UTC' });
    scheduler.start();
    expect(scheduler.next('pull')).toBeUndefined();
    expect(scheduler.next('push')).toBe(T0 + HOUR);
    await clock.advance(HOUR);
    expect(calls).toEqual([{ job: 'push', reason: 'schedule', at: T0 + HOUR }]);
    expect(skips).toEqual([['pull', T0 + HOUR, 'disabled']]);

    holds.set('pull', 'paused');
    holds.set('push', 'paused');
    await clock.advance(2 * HOUR);
    expect(calls).toHaveLength(1);
    expect(skips.slice(1)).toEqual([
      ['pull', T0 + 2 * HOUR, 'paused'],
      ['push', T0 + 2 * HOUR, 'paused'],
      ['pull', T0 + 3 * HOUR, 'paused'],
      ['push', T0 + 3 * HOUR, 'paused'],
    ]);

    holds.clear();
    expect(scheduler.next('pull')).toBe(T0 + 4 * HOUR);
    await clock.advance(HOUR);
    expect(calls.slice(1)).toEqual([
      { job: 'pull', reason: 'schedule', at: T0 + 4 * HOUR },
      { job: 'push', reason: 'schedule', at: T0 + 4 * HOUR },
    ]);
  });

  it('a failed run is reported and the schedule goes on', async () => {
    const { clock, calls, errors, scheduler } = setup({
      run: async () => {
        throw new Error('server down');
      },
    });
    scheduler.set('pull', { every: '1h', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(2 * HOUR);
    expect(calls).toHaveLength(2);
    expect(errors.map(([job, e]) => [job, (e as Error).message])).toEqual([
      ['pull', 'server down'],
      ['pull', 'server down'],
    ]);
    expect(scheduler.running()).toEqual([]);
  });

  it('replaces and removes schedules', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.set('pull', { every: '1h', timezone: 'UTC' });
    scheduler.start();
    scheduler.set('pull', { every: '15m', timezone: 'UTC' });
    expect(scheduler.next('pull')).toBe(T0 + 15 * MIN);
    await clock.advance(15 * MIN);
    expect(calls).toHaveLength(1);
    scheduler.remove('pull');
    await clock.advance(HOUR);
    expect(calls).toHaveLength(1);
    expect(scheduler.next('pull')).toBeUndefined();
    expect(() => scheduler.set('bad', { every: '1h', cron: '0 * * * *' })).toThrow(/exactly one/);
  });

  it('two jobs sharing a connection limited to 1 never overlap', async () => {
    const clock = new ManualClock(T0);
    const budget = new ConnectionBudget(new Map([['partner-ftp', 1]]));
    let active = 0;
    let maxActive = 0;
    const started: string[] = [];
    const scheduler = new Scheduler({
      clock,
      state: new MemoryScheduleState(),
      run: async (job, _reason, signal) => {
        const release = await budget.acquire(['partner-ftp'], signal);
        try {
          active++;
          maxActive = Math.max(maxActive, active);
          started.push(job);
          await wait(clock, 10 * MIN);
        } finally {
          active--;
          release();
        }
      },
    });
    scheduler.set('a', { every: '15m', timezone: 'UTC' });
    scheduler.set('b', { every: '15m', timezone: 'UTC' });
    scheduler.start();
    await clock.advance(2 * HOUR);
    // Runs still in progress need clock time to finish.
    const stopping = scheduler.stop();
    await clock.advance(HOUR);
    await stopping;
    expect(maxActive).toBe(1);
    expect(started).toContain('a');
    expect(started).toContain('b');
    expect(budget.inUse('partner-ftp')).toBe(0);
  });
});
