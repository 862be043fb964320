// The statements behind the validation log, kept apart from the journal so that the query-plan tests
// examine exactly the text that runs. The log is the `quarantine` table: every validated file, passed
// or refused (schema version 8).

export type QuarantineState = 'held' | 'released' | 'returned';

/** What became of a validated file: it passed, or it was refused and is held, released or returned. */
export type ValidationOutcome = 'passed' | QuarantineState;

/** Which entries the validation log shows, newest first, after an optional cursor. */
export interface ValidationLogQuery {
  readonly job?: string;
  readonly state?: ValidationOutcome;
  /** The partner a file came from: its name's `partner` field, or the connection it was read from. */
  readonly partner?: string;
  /** A rule id (`csv`, `name` …): files that failed it, or passed it when they passed. */
  readonly rule?: string;
  /** Text the file's name holds, 3 characters or more, as an FTS5 string (see `indexedPhrase.ts`). */
  readonly phrase?: string;
  /** Checked at or after this time (epoch ms). */
  readonly from?: number;
  /** Checked before this time (epoch ms). */
  readonly to?: number;
  /** The last entry of the previous page. */
  readonly before?: { readonly at: number; readonly id: number };
  readonly limit: number;
}

/**
 * The validation log's page, one statement per combination of criteria so that each reads the index
 * that fits: a name search walks the trigram index newest entry first, a rule filter the entries of
 * that rule by time, anything else the log's own indexes (time, state, job, job and state, partner).
 * The other criteria are checked on the rows those yield; nothing is sorted afterwards.
 */
export function validationLogSql(query: Omit<ValidationLogQuery, 'limit'>): string {
  const filters = [
    ...(query.job === undefined ? [] : ['q.job = @job']),
    ...(query.state === undefined ? [] : ['q.state = @state']),
    ...(query.partner === undefined ? [] : ['q.partner = @partner']),
  ];
  const between = (at: string): string[] => [...(query.from === undefined ? [] : [`${at} >= @from`]), ...(query.to === undefined ? [] : [`${at} < @to`])];
  // CROSS JOIN keeps the first table first: SQLite would otherwise start from a filter's index and
  // then have to sort what it found.
  if (query.phrase !== undefined) {
    // The trigram index yields names newest entry first (by id); `at` follows ids as entries are added.
    const where = [
      'n.name MATCH @phrase',
      ...filters,
      ...(query.rule === undefined ? [] : ['EXISTS (SELECT 1 FROM quarantine_rules r WHERE r.quarantine_id = q.id AND r.rule = @rule)']),
      ...between('q.at'),
      ...(query.before === undefined ? [] : ['n.rowid < @beforeId']),
    ];
    return `SELECT q.* FROM quarantine_names n CROSS JOIN quarantine q ON q.id = n.rowid WHERE ${where.join(' AND ')} ORDER BY n.rowid DESC LIMIT @limit`;
  }
  if (query.rule !== undefined) {
    const where = ['r.rule = @rule', ...filters, ...between('r.at'), ...(query.before === undefined ? [] : ['(r.at, r.quarantine_id) < (@beforeAt, @beforeId)'])];
    return `SELECT q.* FROM quarantine_rules r CROSS JOIN quarantine q ON q.id = r.quarantine_id WHERE ${where.join(' AND ')} ORDER BY r.at DESC, r.quarantine_id DESC LIMIT @limit`;
  }
  const where = [...filters, ...between('q.at'), ...(query.before === undefined ? [] : ['(q.at, q.id) < (@beforeAt, @beforeId)'])];
  return `SELECT q.* FROM quarantine q${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY q.at DESC, q.id DESC LIMIT @limit`;
}

/**
 * The newest entry of the job returned to the partner under one resubmission key and not yet
 * resubmitted: what a file arriving under that key resubmits. Binds `@job` and `@key`.
 */
export const RETURNED_UNDER_KEY_SQL = `
SELECT id, at FROM quarantine
WHERE job = @job AND match_key = @key AND state = 'returned' AND resubmitted_as IS NULL
ORDER BY at DESC, id DESC LIMIT 1`;
