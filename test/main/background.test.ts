import { describe, expect, it, vi } from 'vitest';
import { JobLoop } from '../../main/background/JobLoop.js';
import { TransferActivity } from '../../main/background/TransferActivity.js';
import { ManualClock } from '../../src/schedule/Clock.js';
import { MemoryScheduleState } from '../../src/schedule/ScheduleState.js';
import type { EventMessage } from '../../src/shared/contract/events.js';
import { ok, type Wire } from '../../src/shared/contract/wire.js';
import { RUNNING_SNAPSHOT } from './fixtures.js';

const START = Date.parse('2026-12-07T10:00:30Z');

function loop(hold: () => 'paused' | 'disabled' | undefined = () => undefined) {
  const clock = new ManualClock(START);
  const runs: Array<{ job: string; signal: AbortSignal }> = [];
  const finish: Array<() => void> = [];
  let runId = 0;
  const jobs = new JobLoop({
    clock,
    state: new MemoryScheduleState([['invoices', START]]),
    jobs: [{ name: 'invoices', schedule: { every: '1m' } }, { name: 'refunds' }],
    run: (job, signal) => {
      runs.push({ job, signal });
      return new Promise((resolve) => finish.push(() => resolve({ job, runId: ++runId, status: 'succeeded', summary: `run ${runId}` })));
    },
    hold: (job) => (job === 'invoices' ? hold() : undefined),
    onChange: () => undefined,
    warn: (message) => {
      throw new Error(message);
    },
  });
  jobs.start();
  return { jobs, clock, runs, finish: () => finish.shift()?.() };
}

describe('the job loop', () => {
  it('runs a scheduled job on its schedule, once at a time, and lists it running', async () => {
    const { jobs, clock, runs, finish } = loop();
    await clock.advance(60_000);
    expect(runs.map((r) => r.job)).toEqual(['invoices']);
    expect(jobs.jobs()).toEqual([{ name: 'invoices', running: true }, { name: 'refunds', running: false }]);
    expect(jobs.running()).toBe(1);
    expect(jobs.runNow('invoices')).toBe(false);
    await clock.advance(60_000);
    expect(runs).toHaveLength(1);
    finish();
    await vi.waitFor(() => expect(jobs.running()).toBe(0));
  });

  it('holds scheduled ticks while paused, but Run now still runs', async () => {
    const { jobs, clock, runs } = loop(() => 'paused');
    await clock.advance(120_000);
    expect(runs).toEqual([]);
    expect(jobs.runNow('invoices')).toBe(true);
    await vi.waitFor(() => expect(runs.map((r) => r.job)).toEqual(['invoices']));
  });

  it('runs a job without a schedule from Run now, once at a time, and refuses an unknown one', async () => {
    const { jobs, runs, finish } = loop();
    expect(jobs.runNow('refunds')).toBe(true);
    expect(jobs.runNow('refunds')).toBe(false);
    expect(jobs.runNow('nobody')).toBe(false);
    await vi.waitFor(() => expect(runs.map((r) => r.job)).toEqual(['refunds']));
    finish();
    await vi.waitFor(() => expect(jobs.recent()).toHaveLength(1));
    expect(jobs.recent()).toMatchObject([{ job: 'refunds', runId: 1, status: 'succeeded', summary: 'run 1', finishedAt: START }]);
    expect(jobs.runNow('refunds')).toBe(true);
  });

  it('keeps the five latest results, newest first', async () => {
    const { jobs, runs, finish } = loop();
    for (let i = 1; i <= 7; i++) {
      jobs.runNow('refunds');
      await vi.waitFor(() => expect(runs).toHaveLength(i));
      finish();
      await vi.waitFor(() => expect(jobs.recent()[0]?.runId).toBe(i));
    }
    expect(jobs.recent().map((r) => r.runId)).toEqual([7, 6, 5, 4, 3]);
  });

  it('stops running jobs at a safe point when told to abort, and waits for them otherwise', async () => {
    const { jobs, clock, runs, finish } = loop();
    await clock.advance(60_000);
    jobs.runNow('refunds');
    await vi.waitFor(() => expect(runs).toHaveLength(2));
    let stopped = false;
    const stopping = jobs.stop({ abort: true }).then(() => (stopped = true));
    expect(runs.map((r) => r.signal.aborted)).toEqual([true, true]);
    expect(stopped).toBe(false);
    finish();
    finish();
    await stopping;
    expect(jobs.running()).toBe(0);
  });
});

describe('the transfer activity', () => {
  class Core {
    readonly listeners = new Set<(message: EventMessage) => void>();
    constructor(private readonly listed: Wire<unknown>) {}
    async invoke(): Promise<Wire<unknown>> {
      return this.listed;
    }
    subscribe(listener: (message: EventMessage) => void): () => void {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    emit(message: EventMessage): void {
      for (const listener of this.listeners) listener(message);
    }
  }

  it('counts running and queued batches, not those held by a paused queue, and says when all are done', async () => {
    const core = new Core(ok({ transfers: [RUNNING_SNAPSHOT, { ...RUNNING_SNAPSHOT, id: 't2', state: 'queued' }, { ...RUNNING_SNAPSHOT, id: 't3', state: 'done' }], paused: false }));
    const activity = new TransferActivity(() => undefined);
    await activity.follow(core);
    expect(activity.busy()).toBe(2);
    core.emit({ event: 'transfers.paused', payload: { paused: true } });
    expect(activity.busy()).toBe(1);
    let idle = false;
    const waiting = activity.idle().then(() => (idle = true));
    core.emit({ event: 'transfer.state', payload: { id: 't1', state: 'paused', snapshot: { ...RUNNING_SNAPSHOT, state: 'paused' } } });
    await waiting;
    expect(idle).toBe(true);
    activity.close();
    expect(core.listeners.size).toBe(0);
  });

  it('says why when the queue cannot be read', async () => {
    const activity = new TransferActivity(() => undefined);
    await expect(activity.follow(new Core({ ok: false, error: { kind: 'internal', message: 'queue.json is damaged', retryable: false } }))).rejects.toThrow(
      'The transfer queue could not be read: queue.json is damaged',
    );
  });
});
