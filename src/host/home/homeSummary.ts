import type { HistoryStore } from '../../history/HistoryStore.js';
import type { RunRecord } from '../../history/records.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import { localFields, resolveTimeZone, startOfLocalDay, startOfNextLocalDay } from '../../schedule/zone.js';
import type { AttentionItem, HomeSummary, NextRun } from '../../shared/contract/homeCommands.js';
import type { JobSwitches } from '../../workspace/jobSwitches.js';
import { nextRunAt } from '../jobs/nextRunAt.js';
import type { FailedConnection } from './ConnectionHealth.js';
import { lateFiles } from './lateFiles.js';

/** Home's chart and its list of failures look back this many days. */
export const HOME_DAYS = 30;
const TODAY_RUNS = 50;
const NEXT_RUNS = 10;

export interface HomeFacts {
  readonly history: HistoryStore;
  readonly jobs: ReadonlyArray<LoadedJob>;
  readonly switches: JobSwitches;
  readonly failedConnections: ReadonlyArray<FailedConnection>;
  /** Failed runs the user set aside. */
  readonly dismissed: ReadonlySet<number>;
  readonly now: number;
}

/** The last `HOME_DAYS` local days of this machine, oldest first, as `[start, end)` pairs. */
export function localDays(now: number, count = HOME_DAYS): Array<readonly [number, number]> {
  const zone = resolveTimeZone(undefined);
  const days: Array<readonly [number, number]> = [];
  // Each day ends where the next begins: days of 23 or 25 hours, when clocks change, stay whole.
  let end = startOfNextLocalDay(now, zone);
  for (let i = 0; i < count; i++) {
    const start = startOfLocalDay(end - 1, zone);
    days.unshift([start, end]);
    end = start;
  }
  return days;
}

function dayLabel(start: number): string {
  const f = localFields(start, resolveTimeZone(undefined));
  return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

/** The runs of jobs the history still lists as failed, the first day of the chart on: the ones not set aside. */
export function unresolvedFailures(history: HistoryStore, now: number, dismissed: ReadonlySet<number>): RunRecord[] {
  const first = localDays(now)[0]?.[0] ?? now;
  return history.home().unresolvedFailures(first).filter((run) => !dismissed.has(run.id));
}

export function homeSummary(facts: HomeFacts): HomeSummary {
  const { history, now } = facts;
  const days = localDays(now);
  const today = days.at(-1)?.[0] ?? now;
  return {
    attention: attentionItems(facts),
    today: history.listRuns({ from: today, limit: TODAY_RUNS }).map((run) => ({ ...run })),
    next: nextRuns(facts),
    days: history
      .home()
      .filesPerDay(days)
      .map((d) => ({ day: dayLabel(d.start), start: d.start, moved: d.moved, refused: d.refused })),
    at: now,
  };
}

function nextRuns(facts: HomeFacts): NextRun[] {
  const next: NextRun[] = [];
  const journal = facts.history.journal();
  for (const { definition } of facts.jobs) {
    const at = nextRunAt(definition, facts.switches, journal, facts.now);
    if (at !== undefined) next.push({ job: definition.name, at });
  }
  return next.sort((a, b) => a.at - b.at || a.job.localeCompare(b.job)).slice(0, NEXT_RUNS);
}

const ENDINGS: Readonly<Record<string, string>> = { failed: 'failed', partial: 'partly failed', interrupted: 'was interrupted' };

/** What a run that did not succeed is called on Home and in its notice: "orders partly failed". */
export function failureTitle(run: RunRecord): string {
  return `${run.job} ${ENDINGS[run.status] ?? run.status}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

function failureText(run: RunRecord): string {
  if (run.error !== undefined) return run.error;
  return `${plural(run.failed, 'file', 'files')} failed, ${plural(run.files, 'file', 'files')} moved.`;
}

/** Most urgent first: what is broken, then what waits for someone, then what was switched off on purpose. */
function attentionItems(facts: HomeFacts): AttentionItem[] {
  const { history, now, switches } = facts;
  const items: AttentionItem[] = [];
  for (const run of unresolvedFailures(history, now, facts.dismissed)) {
    items.push({
      key: `failure:${run.id}`,
      kind: 'failure',
      title: failureTitle(run),
      text: failureText(run),
      at: run.finishedAt ?? run.startedAt,
      action: 'Open the run',
      target: { kind: 'run', runId: run.id },
      dismissible: true,
    });
  }
  for (const held of history.home().heldPerJob()) {
    items.push({
      key: `quarantine:${held.job}`,
      kind: 'quarantine',
      title: `${plural(held.held, 'file', 'files')} held for ${held.job}`,
      text: 'Refused by validation: each waits to be re-validated, released or returned to the partner.',
      action: 'Open the validation log',
      target: { kind: 'validation', job: held.job, entryId: held.newest },
      dismissible: false,
    });
  }
  for (const late of lateFiles(facts.jobs, history.journal(), now)) {
    items.push({
      key: `sla:${late.job}:${late.expected.name}`,
      kind: 'sla',
      title: `${late.job}: ${late.expected.name} is late`,
      text: `Expected by ${late.expected.by}; nothing matching it has arrived today.`,
      at: late.dueAt,
      action: 'Open Jobs',
      target: { kind: 'job', job: late.job },
      dismissible: false,
    });
  }
  for (const connection of facts.failedConnections) {
    items.push({
      key: `connection:${connection.name}`,
      kind: 'connection',
      title: `${connection.name} stopped working`,
      text: [connection.summary, connection.advice].filter((t) => t !== '').join(' '),
      at: connection.at,
      action: 'Test the connection',
      target: { kind: 'connection', connection: connection.name },
      dismissible: false,
    });
  }
  if (switches.paused) {
    items.push({
      key: 'paused',
      kind: 'paused',
      title: 'Schedules are paused',
      text: 'No job runs on its schedule until they are resumed; jobs started by hand still run.',
      action: 'Resume schedules',
      target: { kind: 'schedules' },
      dismissible: false,
    });
  }
  for (const { definition } of facts.jobs) {
    const offInFile = definition.schedule !== undefined && !definition.schedule.enabled;
    if (!switches.disabled.includes(definition.name) && !offInFile) continue;
    items.push({
      key: `disabled:${definition.name}`,
      kind: 'disabled',
      title: `${definition.name} is switched off`,
      text: offInFile ? 'Its job file says "enabled: false": it runs only when started by hand.' : 'Its schedule does not fire: it runs only when started by hand.',
      action: 'Open Jobs',
      target: { kind: 'job', job: definition.name },
      dismissible: false,
    });
  }
  return items;
}
