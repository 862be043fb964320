import type Database from 'better-sqlite3';
import type { RunRecord } from './records.js';
import { RUN_COLUMNS_SQL } from './queries.js';
import { toRunRecord, type RunRow } from './rows.js';

type Params = Readonly<Record<string, string | number | null>>;

// What Home and the attention watch read, kept apart so that the query-plan tests examine exactly the
// text that runs. Each reads through an index or the primary key, whatever the history's size.

/** A run ended badly; 'cancelled' is the user's own doing and asks nothing of them. */
const BAD_ENDINGS = `('failed', 'partial', 'interrupted')`;

/**
 * Each job's newest finished run when it ended badly, started since `@since`, unless the user set it aside:
 * a later run of the same job that finished, well or not, supersedes it. Through the status index, then
 * the job index for the later run, which stops at the first one it finds. At most one run per job.
 */
export const UNRESOLVED_FAILURES_SQL = `
SELECT ${RUN_COLUMNS_SQL} FROM runs r
WHERE r.status IN ${BAD_ENDINGS} AND r.started_at >= @since AND r.dry_run = 0
  AND NOT EXISTS (
    SELECT 1 FROM runs later
    WHERE later.job = r.job AND later.started_at > r.started_at AND later.dry_run = 0 AND later.status NOT IN ('running', 'cancelled')
  )`;

/** Files still held, counted per job, with the newest one's id: only the held ones are read, through the index by state. */
export const HELD_PER_JOB_SQL = `SELECT job, count(*) AS held, max(id) AS newest FROM quarantine WHERE state = 'held' GROUP BY job`;

/**
 * Files moved and files refused per day: `@days` is a JSON array of `[start, end)` pairs in epoch ms.
 * Each day is two range reads through the time indexes of runs and of the validation log, so thirty days
 * read that month's runs and refusals, however long the history is. Files that passed validation were
 * not refused.
 */
export const FILES_PER_DAY_SQL = `
SELECT
  json_extract(d.value, '$[0]') AS start,
  (SELECT coalesce(sum(files), 0) FROM runs
   WHERE started_at >= json_extract(d.value, '$[0]') AND started_at < json_extract(d.value, '$[1]') AND dry_run = 0) AS moved,
  (SELECT count(*) FROM quarantine
   WHERE at >= json_extract(d.value, '$[0]') AND at < json_extract(d.value, '$[1]') AND state <> 'passed') AS refused
FROM json_each(@days) d
ORDER BY d.key`;

/** Runs recorded after `@after`, oldest first, by primary key: what the attention watch has not seen. */
export const RUNS_AFTER_SQL = `SELECT ${RUN_COLUMNS_SQL} FROM runs WHERE id > @after ORDER BY id LIMIT @limit`;

/** The runs whose ids are in `@ids` (a JSON array), by primary key: those the watch saw running. */
export const RUNS_BY_IDS_SQL = `SELECT ${RUN_COLUMNS_SQL} FROM runs WHERE id IN (SELECT value FROM json_each(@ids))`;

/** Files refused after `@after`, oldest first, by primary key; those that passed validation are passed over. */
export const QUARANTINED_AFTER_SQL = `SELECT id, job, file, reasons, state FROM quarantine WHERE id > @after ORDER BY id LIMIT @limit`;

export const LAST_RUN_ID_SQL = `SELECT coalesce(max(id), 0) AS id FROM runs`;
export const LAST_QUARANTINE_ID_SQL = `SELECT coalesce(max(id), 0) AS id FROM quarantine`;

export interface HeldFiles {
  readonly job: string;
  readonly held: number;
  /** The newest held file's quarantine id: the validation log entry to open. */
  readonly newest: number;
}

export interface DayCount {
  /** The day's first instant (epoch ms). */
  readonly start: number;
  readonly moved: number;
  readonly refused: number;
}

export interface NewQuarantined {
  readonly id: number;
  readonly job: string;
  readonly file: string;
  /** The first reason's message. */
  readonly reason: string;
  /** False for a file that passed validation: it is in the log, but nothing needs doing. */
  readonly refused: boolean;
}

/** Home's reads and the attention watch's, on the history database. Synchronous, like the store. */
export class HomeQueries {
  readonly #failures: Database.Statement<[Params], RunRow>;
  readonly #held: Database.Statement<[], HeldFiles>;
  readonly #perDay: Database.Statement<[Params], DayCount>;
  readonly #runsAfter: Database.Statement<[Params], RunRow>;
  readonly #runsByIds: Database.Statement<[Params], RunRow>;
  readonly #quarantinedAfter: Database.Statement<[Params], { id: number; job: string; file: string; reasons: string; state: string }>;
  readonly #lastRunId: Database.Statement<[], { id: number }>;
  readonly #lastQuarantineId: Database.Statement<[], { id: number }>;

  constructor(db: Database.Database) {
    this.#failures = db.prepare<[Params], RunRow>(UNRESOLVED_FAILURES_SQL);
    this.#held = db.prepare<[], HeldFiles>(HELD_PER_JOB_SQL);
    this.#perDay = db.prepare<[Params], DayCount>(FILES_PER_DAY_SQL);
    this.#runsAfter = db.prepare<[Params], RunRow>(RUNS_AFTER_SQL);
    this.#runsByIds = db.prepare<[Params], RunRow>(RUNS_BY_IDS_SQL);
    this.#quarantinedAfter = db.prepare<[Params], { id: number; job: string; file: string; reasons: string; state: string }>(QUARANTINED_AFTER_SQL);
    this.#lastRunId = db.prepare<[], { id: number }>(LAST_RUN_ID_SQL);
    this.#lastQuarantineId = db.prepare<[], { id: number }>(LAST_QUARANTINE_ID_SQL);
  }

  /** Each job's newest finished run, started since `since`, when it ended badly; newest first. */
  unresolvedFailures(since: number): RunRecord[] {
    return this.#failures
      .all({ since })
      .map(toRunRecord)
      .sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  }

  heldPerJob(): HeldFiles[] {
    return this.#held.all();
  }

  /** Files moved and refused in each `[start, end)` range, in the order given. */
  filesPerDay(days: ReadonlyArray<readonly [number, number]>): DayCount[] {
    return this.#perDay.all({ days: JSON.stringify(days) });
  }

  runsAfter(after: number, limit: number): RunRecord[] {
    return this.#runsAfter.all({ after, limit }).map(toRunRecord);
  }

  runsByIds(ids: ReadonlyArray<number>): RunRecord[] {
    return ids.length === 0 ? [] : this.#runsByIds.all({ ids: JSON.stringify(ids) }).map(toRunRecord);
  }

  quarantinedAfter(after: number, limit: number): NewQuarantined[] {
    return this.#quarantinedAfter.all({ after, limit }).map((r) => ({ id: r.id, job: r.job, file: r.file, reason: firstReason(r.reasons), refused: r.state !== 'passed' }));
  }

  lastRunId(): number {
    return this.#lastRunId.get()?.id ?? 0;
  }

  lastQuarantineId(): number {
    return this.#lastQuarantineId.get()?.id ?? 0;
  }
}

function firstReason(reasons: string): string {
  const parsed: unknown = JSON.parse(reasons);
  if (Array.isArray(parsed)) {
    const first: unknown = parsed[0];
    if (typeof first === 'object' && first !== null && 'message' in first && typeof first.message === 'string') return first.message;
  }
  return 'refused by validation';
}
