import type { ItemsPageQuery, RunsPageQuery } from './records.js';

// The statements behind the history screens, kept apart from the store so that the query-plan
// tests examine exactly the text the store runs.

export const RUN_COLUMNS_SQL = 'id, job, kind, source, target, started_at, finished_at, status, dry_run, files, bytes, failed, skipped, error';

const ITEM_COLUMNS = 'id, run_id, source_path, target_path, stage, status, bytes, error_kind, reason, verified_by, checksum, duration_ms, updated_at';

/** Newest start first, ties broken by id so that keyset pages neither skip nor repeat a run. */
const NEWEST_FIRST = 'started_at DESC, id DESC';

/**
 * One statement per combination of criteria, rather than `(@job IS NULL OR job = @job)`, which would
 * keep SQLite from choosing the index each combination needs. Binds the query's own field names.
 */
export function runsPageSql(query: RunsPageQuery): string {
  const conditions = [
    query.job === undefined ? undefined : 'job = @job',
    query.status === undefined ? undefined : 'status = @status',
    query.from === undefined ? undefined : 'started_at >= @from',
    query.to === undefined ? undefined : 'started_at < @to',
    query.before === undefined ? undefined : '(started_at, id) < (SELECT started_at, id FROM runs WHERE id = @before)',
  ].filter((c) => c !== undefined);
  return `SELECT ${RUN_COLUMNS_SQL} FROM runs ${where(conditions)} ORDER BY ${NEWEST_FIRST} LIMIT @limit`;
}

/** A run's items by source path; binds `@runId`, `@limit` and the query's own field names. */
export function itemsPageSql(query: ItemsPageQuery): string {
  const conditions = [
    'run_id = @runId',
    query.status === undefined ? undefined : 'status = @status',
    query.after === undefined ? undefined : 'source_path > @after',
  ].filter((c) => c !== undefined);
  return `SELECT ${ITEM_COLUMNS} FROM items ${where(conditions)} ORDER BY source_path LIMIT @limit`;
}

function where(conditions: ReadonlyArray<string>): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}

const SEARCH_SELECT = `
SELECT i.id, i.run_id, i.source_path, i.target_path, i.stage, i.status, i.bytes, i.error_kind, i.reason,
  i.verified_by, i.checksum, i.duration_ms, i.updated_at, r.job, r.started_at AS run_started_at
FROM item_names n
JOIN items i ON i.id = n.rowid
JOIN runs r ON r.id = i.run_id`;

const SEARCH_PAGE = 'ORDER BY r.started_at DESC, r.id DESC, i.source_path LIMIT @limit';

/** Binds `@phrase`: an FTS5 string literal, matched as a substring through the trigram index. Previews are not searched: they moved nothing. */
export const SEARCH_NAMES_SQL = `${SEARCH_SELECT} WHERE n.name MATCH @phrase AND r.dry_run = 0 ${SEARCH_PAGE}`;

/**
 * Binds `@pattern`, a LIKE pattern escaped with a backslash. Trigrams cannot find fewer than three
 * characters, so a fragment that short is looked for by reading every name.
 */
export const SEARCH_SHORT_NAMES_SQL = `${SEARCH_SELECT} WHERE n.name LIKE @pattern ESCAPE '\\' AND r.dry_run = 0 ${SEARCH_PAGE}`;

/** Runs in progress are never deleted: their process still writes to them, or will resume them. */
export const DELETE_RUNS_STARTED_BEFORE_SQL = `DELETE FROM runs WHERE started_at < @cutoff AND status <> 'running'`;

/** Binds `@keep`: deletes every run after the newest `@keep` ones. */
export const DELETE_RUNS_BEYOND_NEWEST_SQL = `
DELETE FROM runs
WHERE status <> 'running'
  AND (started_at, id) <= (SELECT started_at, id FROM runs ORDER BY ${NEWEST_FIRST} LIMIT 1 OFFSET @keep)`;

/** Runs not finished: in progress somewhere, or waiting for their job's next start. */
export const RUNNING_RUNS_SQL = `SELECT ${RUN_COLUMNS_SQL} FROM runs WHERE status = 'running' ORDER BY started_at, id`;

/**
 * Running runs with an owner, except those a job's next start takes over (JobJournal.claimRun): once
 * their owner is gone, nothing else will ever finish them. `last_seen` is their last heartbeat.
 */
export const ABANDONABLE_RUNS_SQL = `
SELECT id, owner, coalesce(heartbeat_at, started_at) AS last_seen FROM runs
WHERE status = 'running' AND owner IS NOT NULL AND NOT (kind = 'job' AND dry_run = 0)`;

/**
 * Binds `@id`, and `@owner` and `@lastSeen` as they were when the owner was found gone (a run taken
 * over or beating since is left alone), and `@error`. The counts are those of the items it recorded.
 */
export const INTERRUPT_RUN_SQL = `
UPDATE runs SET status = 'interrupted', finished_at = @lastSeen, error = @error,
  files = (SELECT count(*) FROM items WHERE run_id = @id AND status IN ('copied', 'moved', 'planned')),
  bytes = (SELECT coalesce(sum(bytes), 0) FROM items WHERE run_id = @id AND status IN ('copied', 'moved', 'planned')),
  failed = (SELECT count(*) FROM items WHERE run_id = @id AND status = 'failed'),
  skipped = (SELECT count(*) FROM items WHERE run_id = @id AND status = 'skipped')
WHERE id = @id AND status = 'running' AND owner = @owner AND coalesce(heartbeat_at, started_at) = @lastSeen`;

/**
 * The window's file-name search, a page at a time: binds `@phrase` as SEARCH_NAMES_SQL does, `@limit`,
 * and `@before` for a later page. Newest item first is the name index's own rowid order, so a page of a
 * million hits is read from the index and never sorted.
 */
export function searchPageSql(later: boolean): string {
  return `${SEARCH_SELECT} WHERE n.name MATCH @phrase AND r.dry_run = 0${later ? ' AND n.rowid < @before' : ''} ORDER BY n.rowid DESC LIMIT @limit`;
}

/**
 * The items named exactly `@name` (the last segment of their source path), oldest first, with their
 * runs: a file's way through Ferry. The name index narrows by `@phrase` (the name as an FTS5 string);
 * the equality then keeps only the exact name. Binds `@after` for a later page.
 */
export function trailPageSql(later: boolean): string {
  return `
SELECT i.id, i.run_id, i.source_path, i.target_path, i.stage, i.status, i.bytes, i.error_kind, i.reason,
  i.verified_by, i.checksum, i.duration_ms, i.updated_at, r.job, r.started_at AS run_started_at, r.kind AS run_kind, r.source AS run_source,
  r.target AS run_target, r.status AS run_status
FROM item_names n
JOIN items i ON i.id = n.rowid
JOIN runs r ON r.id = i.run_id
WHERE n.name MATCH @phrase AND n.name = @name AND r.dry_run = 0${later ? ' AND n.rowid > @after' : ''}
ORDER BY n.rowid LIMIT @limit`;
}

/** Binds `@ids`, a JSON array of item ids: their validation results, through the index by item. */
export const TRAIL_VALIDATIONS_SQL = `
SELECT item_id, rule, passed, message, at FROM validation_results WHERE item_id IN (SELECT value FROM json_each(@ids))`;

/** Binds `@ids`, a JSON array of item ids: their quarantine events, through the index by item. */
export const TRAIL_QUARANTINE_SQL = `
SELECT item_id, action, reason, location, at FROM quarantine_events WHERE item_id IN (SELECT value FROM json_each(@ids))`;
