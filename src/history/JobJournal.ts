import type Database from 'better-sqlite3';
import type { ItemId, RunId } from './records.js';
import { RETURNED_UNDER_KEY_SQL, validationLogSql, type QuarantineState, type ValidationLogQuery, type ValidationOutcome } from './validationLogSql.js';

export type { QuarantineState, ValidationLogQuery, ValidationOutcome } from './validationLogSql.js';

type Params = Readonly<Record<string, string | number | null>>;

/** What a job has done with one source file, by path. */
export type TakenState = 'claimed' | 'done' | 'quarantined';

export interface TakenFile {
  readonly fingerprint: string;
  readonly state: TakenState;
  readonly runId: RunId | undefined;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface PlannedDelivery {
  readonly itemId: ItemId;
  /** The route's name in the job. */
  readonly route: string;
  /** The prepared file, relative to the run's staging folder. */
  readonly staged: string;
  /** Where it goes, as the route's location text plus path. */
  readonly target: string;
  readonly size: number;
  readonly sha256: string;
  /** The destination's state before the first attempt (JSON), or undefined when nothing was there. */
  readonly before: string | undefined;
}

export interface DeliveryRecord extends PlannedDelivery {
  readonly state: DeliveryState;
  readonly detail: string | undefined;
}

export interface JournalItem {
  readonly id: ItemId;
  readonly sourcePath: string;
  readonly stage: string;
  readonly status: string;
  readonly fingerprint: string | undefined;
  readonly sha256: string | undefined;
}

export interface QuarantineReason {
  readonly rule: string;
  readonly message: string;
}

export interface QuarantinedFile {
  readonly id: number;
  readonly job: string;
  readonly itemId: ItemId | undefined;
  /** The path the file arrived under, relative to the job's source. */
  readonly file: string;
  /** Where Ferry keeps it: a folder of this machine or a connection and path. */
  readonly location: string;
  readonly reasons: ReadonlyArray<QuarantineReason>;
  readonly state: QuarantineState;
  /** The job file the run that refused it read, when it was recorded (schema 8 on). */
  readonly jobFile: string | undefined;
  readonly at: number;
  readonly updatedAt: number;
}

/** Where a validated file came from and what it was checked against, for the validation log. */
export interface ValidatedFileFacts {
  readonly job: string;
  readonly itemId?: ItemId;
  /** The path the file arrived under, relative to the job's source. */
  readonly file: string;
  /** The partner it came from: its name's `partner` field, or the connection it was read from. */
  readonly partner?: string;
  /** The `files` globs of the rule sets that applied, e.g. `*.csv`. */
  readonly ruleSet?: string;
  /** What a resubmission of the file is recognised by (see `resubmissionKeys`); by default its name. */
  readonly resubmissionKeys?: ReadonlyArray<string>;
  /** The job file the run read, so the log can act on the file when the job left the jobs folder. */
  readonly jobFile?: string;
}

/** One entry of the validation log: a validated file, passed or refused, and what became of it. */
export interface ValidationLogEntry {
  readonly id: number;
  readonly job: string;
  readonly itemId: ItemId | undefined;
  readonly file: string;
  /** Where Ferry keeps a refused file, or where a passed file was read from. */
  readonly location: string;
  readonly reasons: ReadonlyArray<QuarantineReason>;
  readonly outcome: ValidationOutcome;
  readonly partner: string | undefined;
  /** The rules the file failed, or every rule it passed. */
  readonly rules: ReadonlyArray<string>;
  readonly ruleSet: string | undefined;
  readonly jobFile: string | undefined;
  /** The returned entry this file was sent again for. */
  readonly resubmissionOf: number | undefined;
  /** The entry of the file sent again after this one was returned. */
  readonly resubmittedAs: number | undefined;
  readonly at: number;
  readonly updatedAt: number;
}

export interface RunClaim {
  readonly runId: RunId;
  /** True when an interrupted run of the job was taken over, false for a new run. */
  readonly resumed: boolean;
}

/** Another live process is running the job. */
export class JobBusyError extends Error {
  override readonly name = 'JobBusyError';

  constructor(
    readonly job: string,
    readonly runId: RunId,
    readonly owner: string,
  ) {
    super(`The job "${job}" is already running (run ${runId}, ${owner})`);
  }
}

// The statements the app's screens and every run depend on, exported so that the query-plan tests
// examine exactly the text that runs.

/** The run of a job in progress, if any: served by the partial index of running runs. */
export const RUNNING_RUN_OF_JOB_SQL = `SELECT id, owner, heartbeat_at FROM runs WHERE job = @job AND status = 'running' AND dry_run = 0 ORDER BY id LIMIT 1`;

/** Everything a job took, by path: its primary key. */
export const TAKEN_FILES_SQL = `SELECT source_path, fingerprint, state, run_id FROM job_files WHERE job = @job`;

/** The quarantine screen: files in one state, newest first, optionally of one job. */
export function quarantineListSql(byJob: boolean): string {
  return `SELECT * FROM quarantine WHERE state = @state${byJob ? ' AND job = @job' : ''} ORDER BY at DESC, id DESC LIMIT @limit`;
}

interface QuarantineRow {
  readonly id: number;
  readonly job: string;
  readonly item_id: ItemId | null;
  readonly file: string;
  readonly location: string;
  readonly reasons: string;
  readonly state: ValidationOutcome;
  readonly at: number;
  readonly updated_at: number;
  readonly partner: string | null;
  readonly rules: string;
  readonly rule_set: string | null;
  readonly job_file: string | null;
  readonly resubmission_of: number | null;
  readonly resubmitted_as: number | null;
}

interface DeliveryRow {
  readonly item_id: ItemId;
  readonly route: string;
  readonly staged: string;
  readonly target: string;
  readonly size: number;
  readonly sha256: string;
  readonly before: string | null;
  readonly state: DeliveryState;
  readonly detail: string | null;
}

/**
 * The bookkeeping that makes job runs exactly-once, in the history database: who owns a run, which
 * source files a job has taken, each planned delivery (written before anything is sent), the
 * quarantine, and when each schedule last fired. Synchronous, like the store it belongs to.
 */
export class JobJournal {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement<[Params]>>();
  readonly #claimRun: Database.Transaction<(job: string, owner: string, now: number, live: (owner: string, heartbeatAt: number) => boolean, newRun: () => RunId) => RunClaim>;
  readonly #takeFiles: Database.Transaction<(job: string, files: ReadonlyArray<{ sourcePath: string; fingerprint: string }>, state: TakenState, runId: RunId, now: number) => void>;

  constructor(db: Database.Database) {
    this.#db = db;
    const running = db.prepare<Params, { id: RunId; owner: string | null; heartbeat_at: number | null }>(RUNNING_RUN_OF_JOB_SQL);
    const own = db.prepare<Params>(`UPDATE runs SET owner = @owner, heartbeat_at = @now WHERE id = @runId`);
    this.#claimRun = db.transaction((job: string, owner: string, now: number, live: (owner: string, heartbeatAt: number) => boolean, newRun: () => RunId): RunClaim => {
      const current = running.get({ job });
      if (current !== undefined) {
        if (current.owner !== null && current.owner !== owner && live(current.owner, current.heartbeat_at ?? 0)) {
          throw new JobBusyError(job, current.id, current.owner);
        }
        own.run({ owner, now, runId: current.id });
        return { runId: current.id, resumed: true };
      }
      const runId = newRun();
      own.run({ owner, now, runId });
      return { runId, resumed: false };
    });
    this.#takeFiles = db.transaction((job: string, files: ReadonlyArray<{ sourcePath: string; fingerprint: string }>, state: TakenState, runId: RunId, now: number) => {
      for (const f of files) this.takeFile(job, f.sourcePath, f.fingerprint, state, runId, now);
    });
  }

  /** Statements are prepared once: a run of 10,000 files calls each of them thousands of times. */
  #sql<R = unknown>(text: string): Database.Statement<[Params], R> {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare<[Params]>(text);
      this.#statements.set(text, statement);
    }
    return statement as Database.Statement<[Params], R>;
  }

  /**
   * Takes the job's interrupted run over when `live` says its owner is gone (given the owner and its
   * last heartbeat), or starts a new run with `newRun`. Throws JobBusyError when a live owner runs it.
   */
  claimRun(job: string, owner: string, live: (owner: string, heartbeatAt: number) => boolean, newRun: () => RunId, now = Date.now()): RunClaim {
    // Immediate: two processes starting the same job at once must not both find it free.
    return this.#claimRun.immediate(job, owner, now, live, newRun);
  }

  /** Gives a run up without finishing it (a clean shutdown): the next start resumes it at once. */
  releaseRun(runId: RunId, owner: string): void {
    this.#sql(`UPDATE runs SET owner = NULL WHERE id = @runId AND owner = @owner`).run({ runId, owner });
  }

  /** `takeFile` for many files in one transaction. */
  takeFiles(job: string, files: ReadonlyArray<{ sourcePath: string; fingerprint: string }>, state: TakenState, runId: RunId, now = Date.now()): void {
    this.#takeFiles(job, files, state, runId, now);
  }

  /** The item a run recorded for a source path. */
  itemOf(runId: RunId, sourcePath: string): ItemId | undefined {
    return this.#sql<{ id: ItemId }>(`SELECT id FROM items WHERE run_id = @runId AND source_path = @sourcePath`).get({ runId, sourcePath })?.id;
  }

  heartbeat(runId: RunId, owner: string, now = Date.now()): void {
    this.#sql(`UPDATE runs SET heartbeat_at = @now WHERE id = @runId AND owner = @owner`).run({ runId, owner, now });
  }

  /** Every file the job has taken, by source path. */
  takenFiles(job: string): Map<string, TakenFile> {
    const rows = this.#sql<{ source_path: string; fingerprint: string; state: TakenState; run_id: RunId | null }>(TAKEN_FILES_SQL).all({ job });
    return new Map(rows.map((r) => [r.source_path, { fingerprint: r.fingerprint, state: r.state, runId: r.run_id ?? undefined }]));
  }

  /** Records the file as taken by the run (replacing what an older submission under the same path left). */
  takeFile(job: string, sourcePath: string, fingerprint: string, state: TakenState, runId: RunId, now = Date.now()): void {
    this.#sql(
        `INSERT INTO job_files (job, source_path, fingerprint, state, run_id, updated_at)
         VALUES (@job, @sourcePath, @fingerprint, @state, @runId, @now)
         ON CONFLICT (job, source_path) DO UPDATE SET fingerprint = excluded.fingerprint, state = excluded.state,
           run_id = excluded.run_id, updated_at = excluded.updated_at`,
      )
      .run({ job, sourcePath, fingerprint, state, runId, now });
  }

  /** Paths the job took (or took again) since `since`: what an arrival deadline looks at. */
  takenSince(job: string, since: number): string[] {
    return this.#sql<{ source_path: string }>(`SELECT source_path FROM job_files WHERE job = @job AND updated_at >= @since`)
      .all({ job, since })
      .map((r) => r.source_path);
  }

  /** Forgets the file, so that the job takes it again when it is (re)submitted. */
  forgetFile(job: string, sourcePath: string): void {
    this.#sql(`DELETE FROM job_files WHERE job = @job AND source_path = @sourcePath`).run({ job, sourcePath });
  }

  /** A run's items, for resuming it. */
  runItems(runId: RunId): JournalItem[] {
    return this.#sql<{ id: ItemId; source_path: string; stage: string; status: string; fingerprint: string | null; sha256: string | null }>(
        `SELECT id, source_path, stage, status, fingerprint, sha256 FROM items WHERE run_id = @runId ORDER BY source_path`,
      )
      .all({ runId })
      .map((r) => ({
        id: r.id,
        sourcePath: r.source_path,
        stage: r.stage,
        status: r.status,
        fingerprint: r.fingerprint ?? undefined,
        sha256: r.sha256 ?? undefined,
      }));
  }

  setItemDigest(itemId: ItemId, fingerprint: string, sha256: string | undefined): void {
    this.#sql(`UPDATE items SET fingerprint = @fingerprint, sha256 = @sha256 WHERE id = @itemId`)
      .run({ itemId, fingerprint, sha256: sha256 ?? null });
  }

  /** Records a delivery before it is attempted. A delivery planned before keeps its first `before`. */
  planDelivery(d: PlannedDelivery, now = Date.now()): void {
    this.#sql(
        `INSERT INTO deliveries (item_id, route, staged, target, size, sha256, before, state, updated_at)
         VALUES (@itemId, @route, @staged, @target, @size, @sha256, @before, 'pending', @now)
         ON CONFLICT (item_id, route, staged) DO UPDATE SET target = excluded.target, size = excluded.size,
           sha256 = excluded.sha256, updated_at = excluded.updated_at
         WHERE state <> 'delivered'`,
      )
      .run({ itemId: d.itemId, route: d.route, staged: d.staged, target: d.target, size: d.size, sha256: d.sha256, before: d.before ?? null, now });
  }

  settleDelivery(itemId: ItemId, route: string, staged: string, state: DeliveryState, detail: string | undefined, now = Date.now()): void {
    this.#sql(
        `UPDATE deliveries SET state = @state, detail = @detail, updated_at = @now WHERE item_id = @itemId AND route = @route AND staged = @staged`,
      )
      .run({ itemId, route, staged, state, detail: detail ?? null, now });
  }

  deliveriesOf(itemId: ItemId): DeliveryRecord[] {
    return this.#sql<DeliveryRow>(
        `SELECT item_id, route, staged, target, size, sha256, before, state, detail FROM deliveries WHERE item_id = @itemId ORDER BY route, staged`,
      )
      .all({ itemId })
      .map(toDelivery);
  }

  /** Holds a file in quarantine and returns its quarantine id (its entry in the validation log). */
  hold(file: ValidatedFileFacts & { readonly location: string; readonly reasons: ReadonlyArray<QuarantineReason> }, now = Date.now()): number {
    return this.#enter(file, 'held', file.location, file.reasons, [...new Set(file.reasons.map((r) => r.rule))], now);
  }

  /**
   * Records a file that passed `rules` in the validation log and returns its entry's id. A resumed run
   * validates its files again: an item already recorded as passed keeps its one entry.
   */
  recordPassed(file: ValidatedFileFacts & { readonly location: string; readonly rules: ReadonlyArray<string> }, now = Date.now()): number {
    const recorded = file.itemId === undefined ? undefined : this.#sql<{ id: number }>(`SELECT id FROM quarantine WHERE item_id = @itemId AND state = 'passed'`).get({ itemId: file.itemId });
    return recorded?.id ?? this.#enter(file, 'passed', file.location, [], [...new Set(file.rules)], now);
  }

  /**
   * Adds an entry to the validation log. A file arriving under the key of a file the job returned to
   * the partner is its resubmission: both entries point at each other, written together.
   */
  #enter(file: ValidatedFileFacts, state: 'held' | 'passed', location: string, reasons: ReadonlyArray<QuarantineReason>, rules: ReadonlyArray<string>, now: number): number {
    const keys = file.resubmissionKeys ?? [nameKey(file.file)];
    return this.#db.transaction(() => {
      const returned = keys
        .flatMap((key) => this.#sql<{ id: number; at: number }>(RETURNED_UNDER_KEY_SQL).get({ job: file.job, key }) ?? [])
        .sort((a, b) => b.at - a.at || b.id - a.id)[0];
      const row = this.#sql<{ id: number }>(
          `INSERT INTO quarantine (job, item_id, file, location, reasons, state, at, updated_at, partner, rules, rule_set, match_key, job_file, resubmission_of)
           VALUES (@job, @itemId, @file, @location, @reasons, @state, @now, @now, @partner, @rules, @ruleSet, @key, @jobFile, @resubmissionOf) RETURNING id`,
        )
        .get({
          job: file.job,
          itemId: file.itemId ?? null,
          file: file.file,
          location,
          reasons: JSON.stringify(reasons),
          state,
          now,
          partner: file.partner ?? null,
          rules: JSON.stringify(rules),
          ruleSet: file.ruleSet ?? null,
          key: keys[0] ?? nameKey(file.file),
          jobFile: file.jobFile ?? null,
          resubmissionOf: returned?.id ?? null,
        });
      if (row === undefined) throw new Error(`SQLite returned no validation log id for ${file.file}`);
      if (returned !== undefined) this.#sql(`UPDATE quarantine SET resubmitted_as = @id WHERE id = @returned`).run({ id: row.id, returned: returned.id });
      return row.id;
    })();
  }

  /** Quarantined files, newest first; by default only those still held. */
  quarantined(filter: { readonly state?: QuarantineState; readonly job?: string; readonly limit?: number } = {}): QuarantinedFile[] {
    const state = filter.state ?? 'held';
    return this.#sql<QuarantineRow>(quarantineListSql(filter.job !== undefined))
      .all({ state, job: filter.job ?? null, limit: filter.limit ?? 1000 })
      .map((r) => toQuarantined(r, state));
  }

  /** A page of the validation log: see `validationLogSql`. */
  validationLog(query: ValidationLogQuery): ValidationLogEntry[] {
    const params = {
      job: query.job ?? null,
      state: query.state ?? null,
      partner: query.partner ?? null,
      rule: query.rule ?? null,
      phrase: query.phrase ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      beforeAt: query.before?.at ?? null,
      beforeId: query.before?.id ?? null,
      limit: query.limit,
    };
    return this.#sql<QuarantineRow>(validationLogSql(query)).all(params).map(toLogEntry);
  }

  /** One entry of the validation log, passed or refused. */
  logEntry(id: number): ValidationLogEntry | undefined {
    const row = this.#sql<QuarantineRow>(`SELECT * FROM quarantine WHERE id = @id`).get({ id });
    return row === undefined ? undefined : toLogEntry(row);
  }

  /** A file validation refused; a file that passed was never in quarantine. */
  quarantinedFile(id: number): QuarantinedFile | undefined {
    const row = this.#sql<QuarantineRow>(`SELECT * FROM quarantine WHERE id = @id`).get({ id });
    return row === undefined || row.state === 'passed' ? undefined : toQuarantined(row, row.state);
  }

  /** New reasons replace the old ones, and the rules the entry is found by with them. */
  setQuarantineState(id: number, state: QuarantineState, reasons?: ReadonlyArray<QuarantineReason>, now = Date.now()): void {
    this.#sql(`UPDATE quarantine SET state = @state, reasons = coalesce(@reasons, reasons), rules = coalesce(@rules, rules), updated_at = @now WHERE id = @id`)
      .run({
        id,
        state,
        reasons: reasons === undefined ? null : JSON.stringify(reasons),
        rules: reasons === undefined ? null : JSON.stringify([...new Set(reasons.map((r) => r.rule))]),
        now,
      });
  }

  lastTick(job: string): number | undefined {
    return this.#sql<{ last_tick: number }>(`SELECT last_tick FROM schedule_ticks WHERE job = @job`).get({ job })?.last_tick;
  }

  setLastTick(job: string, at: number): void {
    this.#sql(
        `INSERT INTO schedule_ticks (job, last_tick) VALUES (@job, @at) ON CONFLICT (job) DO UPDATE SET last_tick = excluded.last_tick`,
      )
      .run({ job, at });
  }
}

function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    itemId: r.item_id,
    route: r.route,
    staged: r.staged,
    target: r.target,
    size: r.size,
    sha256: r.sha256,
    before: r.before ?? undefined,
    state: r.state,
    detail: r.detail ?? undefined,
  };
}

/** The resubmission key of a file known by its name only: the name, whatever its case. */
export function nameKey(file: string): string {
  return `name:${(file.split('/').pop() ?? file).toLowerCase()}`;
}

function toLogEntry(r: QuarantineRow): ValidationLogEntry {
  return {
    id: r.id,
    job: r.job,
    itemId: r.item_id ?? undefined,
    file: r.file,
    location: r.location,
    reasons: JSON.parse(r.reasons) as QuarantineReason[],
    outcome: r.state,
    partner: r.partner ?? undefined,
    rules: JSON.parse(r.rules) as string[],
    ruleSet: r.rule_set ?? undefined,
    jobFile: r.job_file ?? undefined,
    resubmissionOf: r.resubmission_of ?? undefined,
    resubmittedAs: r.resubmitted_as ?? undefined,
    at: r.at,
    updatedAt: r.updated_at,
  };
}

/** `state` is the row's, known not to be 'passed' by the query that read it. */
function toQuarantined(r: QuarantineRow, state: QuarantineState): QuarantinedFile {
  return {
    id: r.id,
    job: r.job,
    itemId: r.item_id ?? undefined,
    file: r.file,
    location: r.location,
    reasons: JSON.parse(r.reasons) as QuarantineReason[],
    state,
    jobFile: r.job_file ?? undefined,
    at: r.at,
    updatedAt: r.updated_at,
  };
}
