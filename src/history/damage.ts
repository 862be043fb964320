/** SQLite's result codes for a file that is not, or is no longer, a sound database. */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * The history file cannot be trusted: SQLite finds it damaged, or the history Ferry kept there is gone
 * or was emptied. Nothing was changed; `problem` continues the sentence "The history <file> …".
 */
export class HistoryDamagedError extends Error {
  override readonly name = 'HistoryDamagedError';

  constructor(
    readonly file: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(
      `The history ${file} ${problem}. Nothing was changed: restore it from a backup, or run "ferry history reset" ` +
        'to start a new history (a damaged file is kept aside, never deleted).',
      options,
    );
  }
}

/** What SQLite said about a damaged history, as the error Ferry shows for it. */
export function damagedHistory(file: string, reason: string, cause?: unknown): HistoryDamagedError {
  return new HistoryDamagedError(file, `is damaged: ${reason}`, cause === undefined ? undefined : { cause });
}

/** SQLite's word that a database file is damaged: corrupt pages, or not a database at all. */
export function isSqliteDamage(e: unknown): e is Error & { readonly code: string } {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && DAMAGE_CODES.test(e.code);
}

/** SQLite's report of damage, when that is `e` or what caused it (wrappers keep it as their cause). */
export function sqliteDamageIn(e: unknown): Error | undefined {
  for (let cause = e; cause instanceof Error; cause = cause.cause) {
    if (isSqliteDamage(cause)) return cause;
  }
  return undefined;
}
