import type { JobJournal } from '../../history/JobJournal.js';
import type { JobDefinition } from '../../jobs/definition/jobSchema.js';
import { nextTick } from '../../schedule/nextTick.js';
import { scheduleHold, type JobSwitches } from '../../workspace/jobSwitches.js';

/**
 * When the job's schedule fires next, as the daemon would fire it; undefined when it has no schedule, the
 * schedule is off in its file, or the switches hold it. The daemon never fires before the last tick it
 * recorded, so neither does the next run shown in the window.
 */
export function nextRunAt(definition: JobDefinition, switches: JobSwitches, journal: Pick<JobJournal, 'lastTick'>, now: number): number | undefined {
  const schedule = definition.schedule;
  if (schedule === undefined || !schedule.enabled || scheduleHold(switches, definition.name) !== undefined) return undefined;
  return nextTick(schedule, Math.max(now, journal.lastTick(definition.name) ?? now));
}
