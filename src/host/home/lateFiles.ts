import type { JobJournal } from '../../history/JobJournal.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import type { SlaConfig } from '../../schedule/config.js';
import { arrivedSince, passedDeadlineToday } from '../../schedule/slaDeadline.js';

/** A file a job expects by a time of day that had not arrived when the time came. */
export interface LateFile {
  readonly job: string;
  readonly expected: SlaConfig;
  readonly dueAt: number;
}

/**
 * Today's deadlines that passed by `now` without a matching file: the same deadlines and the same
 * arrival test as the daemon's watch (a file the job took since the day began, matched by name).
 */
export function lateFiles(jobs: ReadonlyArray<LoadedJob>, journal: JobJournal, now: number): LateFile[] {
  const late: LateFile[] = [];
  for (const { definition } of jobs) {
    for (const expected of definition.arrival.expect) {
      const deadline = passedDeadlineToday(expected, definition.schedule?.timezone, now);
      if (deadline === undefined) continue;
      if (!arrivedSince(journal, definition.name, deadline.dayStart, expected.name)) late.push({ job: definition.name, expected, dueAt: deadline.dueAt });
    }
  }
  return late;
}
