import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * What Ferry wrote to a target and from which source, as both looked right after: where a target can
 * neither keep a source's modification time nor hash its files (vsftpd, many FTP servers), this is the
 * only evidence that an equal-sized target is still the file Ferry put there.
 */
export interface WrittenFile {
  /** The source's connection and path (`memoryKey`). */
  readonly source: string;
  readonly sourceSize: number;
  /** The source's exact modification time when it was read. */
  readonly sourceModifiedAt: number;
  readonly size: number;
  /** The target's modification time as its server reports it after the write. */
  readonly modifiedAt: number;
}

/** Keyed by `memoryKey(target connection, path)`. */
export interface WrittenFiles {
  get(key: string): Promise<WrittenFile | undefined>;
  put(key: string, file: WrittenFile): Promise<void>;
}

export class MemoryWrittenFiles implements WrittenFiles {
  readonly #map = new Map<string, WrittenFile>();
  async get(key: string): Promise<WrittenFile | undefined> {
    return this.#map.get(key);
  }
  async put(key: string, file: WrittenFile): Promise<void> {
    this.#map.set(key, file);
  }
}

interface Row {
  readonly source: string;
  readonly source_size: number;
  readonly source_modified_at: number;
  readonly size: number;
  readonly modified_at: number;
}

/** One small SQLite file in Ferry's state folder, shared by every command and run. */
export class SqliteWrittenFiles implements WrittenFiles {
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string], Row>;
  readonly #put: Database.Statement<[Record<string, string | number>]>;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS written (
      target TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      source_size INTEGER NOT NULL,
      source_modified_at INTEGER NOT NULL,
      size INTEGER NOT NULL,
      modified_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.#get = this.#db.prepare(`SELECT source, source_size, source_modified_at, size, modified_at FROM written WHERE target = ?`);
    this.#put = this.#db.prepare(
      `INSERT INTO written (target, source, source_size, source_modified_at, size, modified_at)
       VALUES (@target, @source, @sourceSize, @sourceModifiedAt, @size, @modifiedAt)
       ON CONFLICT (target) DO UPDATE SET source = excluded.source, source_size = excluded.source_size,
         source_modified_at = excluded.source_modified_at, size = excluded.size, modified_at = excluded.modified_at`,
    );
  }

  async get(key: string): Promise<WrittenFile | undefined> {
    const row = this.#get.get(key);
    if (row === undefined) return undefined;
    return { source: row.source, sourceSize: row.source_size, sourceModifiedAt: row.source_modified_at, size: row.size, modifiedAt: row.modified_at };
  }

  async put(key: string, file: WrittenFile): Promise<void> {
    this.#put.run({ target: key, ...file });
  }

  close(): void {
    this.#db.close();
  }
}
