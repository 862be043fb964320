import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { csvRecord } from './csv.js';
import { ITEM_CSV_HEADER, itemCsvFields, RUN_CSV_HEADER, runCsvFields } from './csvRows.js';
import { damagedHistory, isSqliteDamage } from './damage.js';
import { HomeQueries } from './HomeQueries.js';
import { indexedPhrase, MIN_INDEXED_FRAGMENT } from './indexedPhrase.js';
import { JobJournal } from './JobJournal.js';
import { historyWasKept, refuseLostHistory, rememberHistory } from './marker.js';
import { migrate, schemaVersionOf } from './migrations.js';
import {
  ABANDONABLE_RUNS_SQL,
  DELETE_RUNS_BEYOND_NEWEST_SQL,
  DELETE_RUNS_STARTED_BEFORE_SQL,
  INTERRUPT_RUN_SQL,
  itemsPageSql,
  RUN_COLUMNS_SQL,
  RUNNING_RUNS_SQL,
  runsPageSql,
  SEARCH_NAMES_SQL,
  SEARCH_SHORT_NAMES_SQL,
  searchPageSql,
  TRAIL_QUARANTINE_SQL,
  TRAIL_VALIDATIONS_SQL,
  trailPageSql,
} from './queries.js';
import type {
  AuditEntry,
  ItemId,
  ItemRecord,
  ItemSearchHit,
  ItemsPageQuery,
  ItemUpdate,
  NewRun,
  NotificationSent,
  QuarantineEvent,
  RetentionPolicy,
  RunFilter,
  RunId,
  RunOutcome,
  RunRecord,
  RunsPageQuery,
  ValidationResult,
} from './records.js';
import { formatVerifications, toItemRecord, toRunRecord, toSearchHit, toTrailSteps, type ItemRow, type QuarantineRow, type RunRow, type SearchRow, type TrailRow, type ValidationRow } from './rows.js';
import { ownerAlive } from './runOwner.js';
import type { FileTrailPage, FileTrailQuery, ItemSearchPageQuery } from './views.js';

/** Named parameters: SQLite binds `@name` to `name`; keys a statement does not use are ignored. */
type Params = Readonly<Record<string, string | number | null>>;
type Statement<R = unknown> = Database.Statement<[Params], R>;

const DEFAULT_RUNS_PAGE = 50;
/** Rows fetched per query while exporting: the connection is free for the engine between pages. */
const EXPORT_PAGE = 500;
const DAY_MS = 86_400_000;

/**
 * Ferry's local record of every run: what was transferred, skipped or rejected and why. One SQLite
 * file, shared by the desktop app and the CLI (WAL lets one write while the other reads). Every
 * method is synchronous; writes that fail throw better-sqlite3's `SqliteError`.
 */
export class HistoryStore {
  readonly #db: Database.Database;
  readonly #runPages = new Map<string, Statement<RunRow>>();
  readonly #itemPages = new Map<string, Statement<ItemRow>>();
  readonly #insertRun: Statement<{ id: RunId }>;
  readonly #finishRun: Statement;
  readonly #upsertItem: Statement<{ id: ItemId }>;
  readonly #insertValidation: Statement;
  readonly #insertQuarantine: Statement;
  readonly #insertNotification: Statement;
  readonly #insertAudit: Statement;
  readonly #searchNames: Statement<SearchRow>;
  readonly #searchShortNames: Statement<SearchRow>;
  readonly #searchPages: ReadonlyArray<Statement<SearchRow>>;
  readonly #trailPages: ReadonlyArray<Statement<TrailRow>>;
  readonly #trailValidations: Statement<ValidationRow>;
  readonly #trailQuarantine: Statement<QuarantineRow>;
  readonly #deleteStartedBefore: Statement;
  readonly #deleteBeyondNewest: Statement;
  readonly #runningRuns: Database.Statement<[], RunRow>;
  readonly #abandonableRuns: Database.Statement<[], { id: RunId; owner: string; last_seen: number }>;
  readonly #interruptRun: Statement;
  readonly #recordItems: (runId: RunId, items: ReadonlyArray<ItemUpdate>) => ItemId[];
  readonly #applyRetention: (cutoff: number, keep: number | undefined) => number;
  #journal: JobJournal | undefined;
  #home: HomeQueries | undefined;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.#insertRun = db.prepare<Params, { id: RunId }>(
      `INSERT INTO runs (job, kind, source, target, started_at, status, dry_run, owner, heartbeat_at)
       VALUES (@job, @kind, @source, @target, @startedAt, 'running', @dryRun, @owner, @heartbeatAt) RETURNING id`,
    );
    this.#finishRun = db.prepare<Params>(
      `UPDATE runs SET status = @status, finished_at = @finishedAt, files = @files, bytes = @bytes,
         failed = @failed, skipped = @skipped, error = @error
       WHERE id = @runId`,
    );
    // A resumed run reports its items again: they update the rows of the first attempt. The target
    // path, checksum and duration, once known, survive updates that do not repeat them; everything else is the latest word.
    this.#upsertItem = db.prepare<Params, { id: ItemId }>(
      `INSERT INTO items (run_id, source_path, target_path, stage, status, bytes, error_kind, reason, verified_by, checksum, duration_ms, updated_at)
       VALUES (@runId, @sourcePath, @targetPath, @stage, @status, @bytes, @errorKind, @reason, @verifiedBy, @checksum, @durationMs, @updatedAt)
       ON CONFLICT (run_id, source_path) DO UPDATE SET
         target_path = coalesce(excluded.target_path, target_path), checksum = coalesce(excluded.checksum, checksum),
         duration_ms = coalesce(excluded.duration_ms, duration_ms),
         stage = excluded.stage, status = excluded.status,
         bytes = excluded.bytes, error_kind = excluded.error_kind, reason = excluded.reason,
         verified_by = excluded.verified_by, updated_at = excluded.updated_at
       RETURNING id`,
    );
    this.#insertValidation = db.prepare<Params>(
      `INSERT INTO validation_results (item_id, rule, passed, message, at) VALUES (@itemId, @rule, @passed, @message, @at)`,
    );
    this.#insertQuarantine = db.prepare<Params>(
      `INSERT INTO quarantine_events (item_id, job, file, location, reason, action, at)
       VALUES (@itemId, @job, @file, @location, @reason, @action, @at)`,
    );
    this.#insertNotification = db.prepare<Params>(
      `INSERT INTO notifications (run_id, channel, recipient, subject, status, error, at)
       VALUES (@runId, @channel, @recipient, @subject, @status, @error, @at)`,
    );
    this.#insertAudit = db.prepare<Params>(`INSERT INTO audit_log (at, actor, action, detail) VALUES (@at, @actor, @action, @detail)`);
    this.#searchNames = db.prepare<Params, SearchRow>(SEARCH_NAMES_SQL);
    this.#searchShortNames = db.prepare<Params, SearchRow>(SEARCH_SHORT_NAMES_SQL);
    this.#searchPages = [false, true].map((later) => db.prepare<Params, SearchRow>(searchPageSql(later)));
    this.#trailPages = [false, true].map((later) => db.prepare<Params, TrailRow>(trailPageSql(later)));
    this.#trailValidations = db.prepare<Params, ValidationRow>(TRAIL_VALIDATIONS_SQL);
    this.#trailQuarantine = db.prepare<Params, QuarantineRow>(TRAIL_QUARANTINE_SQL);
    this.#deleteStartedBefore = db.prepare<Params>(DELETE_RUNS_STARTED_BEFORE_SQL);
    this.#deleteBeyondNewest = db.prepare<Params>(DELETE_RUNS_BEYOND_NEWEST_SQL);
    this.#runningRuns = db.prepare<[], RunRow>(RUNNING_RUNS_SQL);
    this.#abandonableRuns = db.prepare<[], { id: RunId; owner: string; last_seen: number }>(ABANDONABLE_RUNS_SQL);
    this.#interruptRun = db.prepare<Params>(INTERRUPT_RUN_SQL);
    this.#recordItems = db.transaction((runId: RunId, items: ReadonlyArray<ItemUpdate>) =>
      items.map((item) => this.recordItem(runId, item)),
    );
    const pruneSettled = [
      // Files still held stay listed however old: they are still in the quarantine folder.
      db.prepare<Params>(`DELETE FROM quarantine WHERE state <> 'held' AND updated_at < @cutoff`),
      db.prepare<Params>(`DELETE FROM quarantine_events WHERE at < @cutoff`),
      db.prepare<Params>(`DELETE FROM notifications WHERE run_id IS NULL AND at < @cutoff`),
      db.prepare<Params>(`DELETE FROM audit_log WHERE at < @cutoff`),
    ];
    this.#applyRetention = db.transaction((cutoff: number, keep: number | undefined) => {
      for (const statement of pruneSettled) statement.run({ cutoff });
      const byAge = this.#deleteStartedBefore.run({ cutoff }).changes;
      return keep === undefined ? byAge : byAge + this.#deleteBeyondNewest.run({ keep }).changes;
    });
  }

  /**
   * Opens the history at `file`, creating it (and its folder) readable by the user only, migrates it
   * forward, and marks the runs whose process is gone as interrupted. Leaves the file as it was and
   * throws `SchemaTooNewError` when a newer Ferry wrote it, and `HistoryDamagedError` when it is
   * damaged, or when the history Ferry kept there is gone or was emptied.
   */
  static open(file: string): HistoryStore {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const kept = historyWasKept(file);
    if (kept) refuseLostHistory(file);
    // Created here rather than by SQLite so that file names and partners are private from the first
    // byte; SQLite gives its -wal and -shm files the mode of the database file.
    closeSync(openSync(file, 'a', 0o600));
    if (statSync(file).size > 0) refuseDamagedHistory(file);
    const store = HistoryStore.#configure(new Database(file));
    if (!kept) rememberHistory(file);
    return store;
  }

  /** A private, empty history that disappears on `close()`. */
  static openInMemory(): HistoryStore {
    return HistoryStore.#configure(new Database(':memory:'));
  }

  static #configure(db: Database.Database): HistoryStore {
    try {
      // The version check and migration come before anything that writes, so that a database from a
      // newer Ferry is refused exactly as it was found.
      db.pragma('busy_timeout = 5000');
      migrate(db);
      db.pragma('journal_mode = WAL');
      // Safe with WAL: a power cut may lose the last commits, never corrupt the file.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const store = new HistoryStore(db);
      store.#markAbandonedRuns();
      return store;
    } catch (e) {
      db.close();
      throw isSqliteDamage(e) ? damagedHistory(db.name, e.message, e) : e;
    }
  }

  close(): void {
    this.#db.close();
  }

  /** The jobs' exactly-once bookkeeping, in the same database. */
  journal(): JobJournal {
    return (this.#journal ??= new JobJournal(this.#db));
  }

  /** What Home and the attention watch read, in the same database. */
  home(): HomeQueries {
    return (this.#home ??= new HomeQueries(this.#db));
  }

  schemaVersion(): number {
    return schemaVersionOf(this.#db);
  }

  /**
   * What SQLite finds wrong when it reads the whole file, in its words; undefined when the file is
   * sound. Damage can hide in pages that opening the history never reads. Slow on a big history.
   */
  damage(): string | undefined {
    try {
      const [first] = this.#db.pragma('integrity_check(1)') as Array<{ integrity_check: string }>;
      if (first === undefined || first.integrity_check === 'ok') return undefined;
      // One line, without the heading SQLite puts before the first problem.
      return first.integrity_check.replace(/^\*\*\* in database \w+ \*\*\*\n/, '').replaceAll('\n', '; ');
    } catch (e) {
      if (isSqliteDamage(e)) return e.message;
      throw e;
    }
  }

  /** Records a run as 'running' and returns its id. */
  startRun(run: NewRun): RunId {
    const startedAt = run.startedAt ?? Date.now();
    const row = this.#insertRun.get({
      job: run.job,
      kind: run.kind,
      source: run.source,
      target: run.target,
      startedAt,
      dryRun: run.dryRun ? 1 : 0,
      owner: run.owner ?? null,
      heartbeatAt: run.owner === undefined ? null : startedAt,
    });
    if (row === undefined) throw new Error('SQLite returned no id for the new run');
    return row.id;
  }

  /** Stores the outcome; calling it again overwrites it. Throws when there is no such run. */
  finishRun(runId: RunId, outcome: RunOutcome): void {
    const { changes } = this.#finishRun.run({
      runId,
      status: outcome.status,
      finishedAt: outcome.finishedAt ?? Date.now(),
      files: outcome.files,
      bytes: outcome.bytes,
      failed: outcome.failed,
      skipped: outcome.skipped,
      error: outcome.error ?? null,
    });
    if (changes === 0) throw new Error(`There is no run ${runId} in the history`);
  }

  /** Inserts the item, or updates the run's item with the same source path. Returns the item's id. */
  recordItem(runId: RunId, item: ItemUpdate): ItemId {
    const row = this.#upsertItem.get({
      runId,
      sourcePath: item.sourcePath,
      targetPath: item.targetPath ?? null,
      stage: item.stage,
      status: item.status,
      bytes: item.bytes,
      errorKind: item.errorKind ?? null,
      reason: item.reason ?? null,
      verifiedBy: formatVerifications(item.verifiedBy),
      checksum: item.checksum ?? null,
      durationMs: item.durationMs ?? null,
      updatedAt: Date.now(),
    });
    if (row === undefined) throw new Error(`SQLite returned no id for ${item.sourcePath}`);
    return row.id;
  }

  /** `recordItem` for each, all or none: one transaction. Returns the ids in the same order. */
  recordItems(runId: RunId, items: ReadonlyArray<ItemUpdate>): ItemId[] {
    return this.#recordItems(runId, items);
  }

  recordValidation(result: ValidationResult): void {
    this.#insertValidation.run({
      itemId: result.itemId,
      rule: result.rule,
      passed: result.passed ? 1 : 0,
      message: result.message,
      at: result.at ?? Date.now(),
    });
  }

  recordQuarantine(event: QuarantineEvent): void {
    this.#insertQuarantine.run({
      itemId: event.itemId ?? null,
      job: event.job,
      file: event.file,
      location: event.location,
      reason: event.reason,
      action: event.action,
      at: event.at ?? Date.now(),
    });
  }

  recordNotification(notification: NotificationSent): void {
    this.#insertNotification.run({
      runId: notification.runId ?? null,
      channel: notification.channel,
      recipient: notification.recipient,
      subject: notification.subject,
      status: notification.status,
      error: notification.error ?? null,
      at: notification.at ?? Date.now(),
    });
  }

  audit(entry: AuditEntry): void {
    this.#insertAudit.run({ at: entry.at ?? Date.now(), actor: entry.actor, action: entry.action, detail: entry.detail });
  }

  /** One run by id. */
  run(id: RunId): RunRecord | undefined {
    this.#markAbandonedRuns();
    const row = this.#db.prepare<Params, RunRow>(`SELECT ${RUN_COLUMNS_SQL} FROM runs WHERE id = @id`).get({ id });
    return row === undefined ? undefined : toRunRecord(row);
  }

  /**
   * Runs newest first. For the next page pass the last run's id as `before`; if that run has been
   * deleted since, the page is empty.
   */
  listRuns(query: RunsPageQuery = {}): RunRecord[] {
    this.#markAbandonedRuns();
    return this.#runsPage(query);
  }

  #runsPage(query: RunsPageQuery): RunRecord[] {
    const sql = runsPageSql(query);
    let statement = this.#runPages.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<Params, RunRow>(sql);
      this.#runPages.set(sql, statement);
    }
    return statement
      .all({
        job: query.job ?? null,
        status: query.status ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
        before: query.before ?? null,
        limit: pageSize(query.limit ?? DEFAULT_RUNS_PAGE),
      })
      .map(toRunRecord);
  }

  /** A run's items by source path; for the next page pass the last item's `sourcePath` as `after`. */
  runItems(runId: RunId, query: ItemsPageQuery): ItemRecord[] {
    const sql = itemsPageSql(query);
    let statement = this.#itemPages.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<Params, ItemRow>(sql);
      this.#itemPages.set(sql, statement);
    }
    return statement
      .all({ runId, status: query.status ?? null, after: query.after ?? null, limit: pageSize(query.limit) })
      .map(toItemRecord);
  }

  /**
   * Items whose file name (the last segment of the source path) contains `fragment`, ignoring case,
   * from the newest runs first. Fragments of three or more characters use the index; shorter ones
   * read every name, and ignore case for ASCII letters only.
   */
  searchItems(fragment: string, options: { readonly limit: number }): ItemSearchHit[] {
    const limit = pageSize(options.limit);
    if (fragment === '') return [];
    const rows =
      [...fragment].length >= MIN_INDEXED_FRAGMENT
        ? this.#searchNames.all({ phrase: indexedPhrase(fragment), limit })
        : this.#searchShortNames.all({ pattern: `%${fragment.replace(/[\\%_]/g, '\\$&')}%`, limit });
    return rows.map(toSearchHit);
  }

  /**
   * A page of the items whose file name contains `text` (three characters or more, ignoring case), newest
   * first, previews left out; for the next page pass the last hit's id as `before`. Read from the name
   * index in its own order, so every page costs the same however many names match.
   */
  searchItemsPage(query: ItemSearchPageQuery): ItemSearchHit[] {
    const limit = pageSize(query.limit);
    const statement = this.#searchPages[query.before === undefined ? 0 : 1];
    if (statement === undefined) throw new Error('The search statements were not prepared');
    return statement.all({ phrase: indexedPhrase(query.text), before: query.before ?? null, limit }).map(toSearchHit);
  }

  /**
   * A file's way through Ferry: every run that handled a file of exactly this name (three characters or
   * more), oldest first, each followed by the validations and quarantine events of that file in that
   * run, by time. For the next page pass `next` as `after`.
   */
  fileTrail(query: FileTrailQuery): FileTrailPage {
    const limit = pageSize(query.limit);
    const statement = this.#trailPages[query.after === undefined ? 0 : 1];
    if (statement === undefined) throw new Error('The trail statements were not prepared');
    const rows = statement.all({ phrase: indexedPhrase(query.name), name: query.name, after: query.after ?? null, limit });
    const ids = JSON.stringify(rows.map((r) => r.id));
    const steps = toTrailSteps(rows, this.#trailValidations.all({ ids }), this.#trailQuarantine.all({ ids }));
    const last = rows.at(-1);
    return rows.length === limit && last !== undefined ? { steps, next: last.id } : { steps };
  }

  /**
   * Runs still 'running', oldest first: in progress in a live process, or jobs' runs that a crash or a
   * clean shutdown left for the job's next start to take over.
   */
  unfinishedRuns(): RunRecord[] {
    this.#markAbandonedRuns();
    return this.#runningRuns.all().map(toRunRecord);
  }

  /**
   * Runs that no process will ever finish — their owner is gone and no job takes them over — are marked
   * 'interrupted', so that no reader takes them for runs in progress. Done on every read of runs: the
   * process that ran them may have been killed without a chance to say anything.
   */
  #markAbandonedRuns(): void {
    const now = Date.now();
    for (const run of this.#abandonableRuns.all()) {
      if (ownerAlive(run.owner, run.last_seen, now)) continue;
      this.#interruptRun.run({ id: run.id, owner: run.owner, lastSeen: run.last_seen, error: `the Ferry process ${run.owner} ended before the run finished` });
    }
  }

  /**
   * Deletes, with their items and everything recorded about them, the runs that started more than
   * `keepDays` ago and, with `keepRuns`, those beyond the newest `keepRuns`, and quarantine records,
   * notifications and audit entries older than `keepDays` (files still held in quarantine are kept).
   * Runs still 'running' are kept. Returns how many runs were deleted.
   */
  applyRetention(policy: RetentionPolicy): number {
    if (!Number.isFinite(policy.keepDays) || policy.keepDays < 0) throw new RangeError(`keepDays must be 0 or more, not ${policy.keepDays}`);
    if (policy.keepRuns !== undefined && !(Number.isSafeInteger(policy.keepRuns) && policy.keepRuns >= 0)) {
      throw new RangeError(`keepRuns must be a whole number, 0 or more, not ${policy.keepRuns}`);
    }
    return this.#applyRetention(Math.floor(Date.now() - policy.keepDays * DAY_MS), policy.keepRuns);
  }

  /**
   * Writes the runs matching `filter` as CSV, newest first, with a header row; honours backpressure
   * and leaves `out` open. Returns the number of runs written.
   */
  async exportRunsCsv(filter: RunFilter, out: NodeJS.WritableStream): Promise<number> {
    this.#markAbandonedRuns();
    await write(out, csvRecord(RUN_CSV_HEADER));
    let written = 0;
    let before: RunId | undefined;
    for (;;) {
      const page = this.#runsPage({ ...filter, limit: EXPORT_PAGE, ...(before === undefined ? {} : { before }) });
      if (page.length === 0) return written;
      await write(out, page.map((run) => csvRecord(runCsvFields(run))).join(''));
      written += page.length;
      before = page.at(-1)?.id;
    }
  }

  /** Writes a run's items as CSV by source path, like `exportRunsCsv`. Returns the number of items written. */
  async exportItemsCsv(runId: RunId, out: NodeJS.WritableStream): Promise<number> {
    await write(out, csvRecord(ITEM_CSV_HEADER));
    let written = 0;
    let after: string | undefined;
    for (;;) {
      const page = this.runItems(runId, { limit: EXPORT_PAGE, ...(after === undefined ? {} : { after }) });
      if (page.length === 0) return written;
      await write(out, page.map((item) => csvRecord(itemCsvFields(item))).join(''));
      written += page.length;
      after = page.at(-1)?.sourcePath;
    }
  }
}

/**
 * Reads the header and schema of the history at `file` through a read-only connection, and throws
 * `HistoryDamagedError` when SQLite finds them damaged. A writing connection, closing on a damaged
 * file, deletes its WAL and with it the last commits: this one leaves every file as it was.
 */
function refuseDamagedHistory(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    schemaVersionOf(db);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    throw isSqliteDamage(e) ? damagedHistory(file, e.message, e) : e;
  } finally {
    db.close();
  }
}

function pageSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`A page holds 1 or more rows, not ${limit}`);
  return limit;
}

async function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
