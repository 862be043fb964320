/** When each job's schedule last fired; all the scheduler needs to tell missed runs from fresh jobs. */
export interface ScheduleStateStore {
  lastTick(job: string): number | undefined;
  setLastTick(job: string, at: number): void;
}

export class MemoryScheduleState implements ScheduleStateStore {
  readonly #ticks: Map<string, number>;

  constructor(initial: Iterable<readonly [string, number]> = []) {
    this.#ticks = new Map(initial);
  }

  lastTick(job: string): number | undefined {
    return this.#ticks.get(job);
  }

  setLastTick(job: string, at: number): void {
    this.#ticks.set(job, at);
  }
}
