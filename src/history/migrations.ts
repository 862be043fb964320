import type Database from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing; stored in `PRAGMA user_version` once the step has committed. */
  readonly version: number;
  readonly description: string;
  /** Runs inside the step's transaction, with foreign keys checked just before it commits. */
  up(db: Database.Database): void;
}

// Keep each file's name in `item_names` as items are added, renamed and removed. An items table made
// again (version 4) loses its triggers with the old table, so it makes them again from this same text.
const ITEM_NAME_TRIGGERS = `CREATE TRIGGER item_names_insert AFTER INSERT ON items BEGIN
  INSERT INTO item_names (rowid, name)
  VALUES (new.id, substr(new.source_path, length(rtrim(new.source_path, replace(new.source_path, '/', ''))) + 1));
END;

CREATE TRIGGER item_names_rename AFTER UPDATE OF source_path ON items BEGIN
  UPDATE item_names
  SET name = substr(new.source_path, length(rtrim(new.source_path, replace(new.source_path, '/', ''))) + 1)
  WHERE rowid = new.id;
END;

CREATE TRIGGER item_names_delete AFTER DELETE ON items BEGIN
  DELETE FROM item_names WHERE rowid = old.id;
END;
`;

/**
 * SQLite's procedure for changing a table's CHECK, which it cannot alter in place: a new table
 * `<table>_v<version>` from `definition`, every row copied with its id, the old table dropped and the
 * new one renamed into its place. The old table's indexes and triggers go with it; `recreated` makes
 * them again.
 */
function rebuiltTable(table: string, version: number, definition: string, columns: ReadonlyArray<string>, recreated: string): string {
  const rebuilt = `${table}_v${String(version)}`;
  const list = columns.join(', ');
  return `
CREATE TABLE ${rebuilt} (
${definition}
) STRICT;

INSERT INTO ${rebuilt} (${list})
SELECT ${list} FROM ${table};

DROP TABLE ${table};
ALTER TABLE ${rebuilt} RENAME TO ${table};
${recreated}`;
}

// Schema text is frozen once released: a database migrated by an older Ferry must end up exactly
// like a fresh one, so a change is always a new migration, never an edit here.
const INITIAL_SCHEMA = `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled')),
  dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  error TEXT
) STRICT;

-- Runs are always listed newest start first: each filter has an index that already yields that order.
CREATE INDEX runs_by_started_at ON runs (started_at);
CREATE INDEX runs_by_job ON runs (job, started_at);
CREATE INDEX runs_by_status ON runs (status, started_at);

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  target_path TEXT,
  stage TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'copied', 'moved', 'skipped', 'failed', 'planned', 'quarantined')),
  bytes INTEGER NOT NULL,
  error_kind TEXT,
  reason TEXT,
  verified_by TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (run_id, source_path)
) STRICT;

-- The unique key lists a run's items by path; this one lists only those with one status (the failures).
CREATE INDEX items_by_status ON items (run_id, status, source_path);

-- File names are searched by substring, which no B-tree index can serve: trigrams can.
CREATE VIRTUAL TABLE item_names USING fts5 (name, tokenize = 'trigram');

${ITEM_NAME_TRIGGERS}
-- Every foreign key below is indexed so that deleting runs does not scan the child tables.
CREATE TABLE validation_results (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
  message TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX validation_results_by_item ON validation_results (item_id);

-- A quarantined file outlives the run that put it there, so its events outlive the run's history.
CREATE TABLE quarantine_events (
  id INTEGER PRIMARY KEY,
  item_id INTEGER REFERENCES items (id) ON DELETE SET NULL,
  job TEXT NOT NULL,
  file TEXT NOT NULL,
  location TEXT NOT NULL,
  reason TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('quarantined', 'released', 'returned', 'revalidated')),
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX quarantine_events_by_item ON quarantine_events (item_id);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  run_id INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX notifications_by_run ON notifications (run_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
`;

// Version 2: what jobs need to run exactly once. Items get the digest of their staged copy; runs get
// an owner and a heartbeat, so a run whose process died can be told from one still in progress.
const JOBS_SCHEMA = `
ALTER TABLE runs ADD COLUMN owner TEXT;
ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
CREATE INDEX runs_in_progress ON runs (job) WHERE status = 'running';

ALTER TABLE items ADD COLUMN fingerprint TEXT;
ALTER TABLE items ADD COLUMN sha256 TEXT;

-- What each job has taken from its source, so that a file left in place is not delivered twice. A
-- file whose size or modification time changes is a new submission and is taken again.
CREATE TABLE job_files (
  job TEXT NOT NULL,
  source_path TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'done', 'quarantined')),
  run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (job, source_path)
) STRICT, WITHOUT ROWID;
CREATE INDEX job_files_by_run ON job_files (run_id);

-- Each file's way to each destination, written before anything is sent: a resumed run compares the
-- destination with \`before\` to tell a delivery that landed from one that never started.
CREATE TABLE deliveries (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  route TEXT NOT NULL,
  staged TEXT NOT NULL,
  target TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  before TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  detail TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, route, staged)
) STRICT;

-- Files held back by validation, until someone releases them or sends them back.
CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  item_id INTEGER REFERENCES items (id) ON DELETE SET NULL,
  file TEXT NOT NULL,
  location TEXT NOT NULL,
  reasons TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('held', 'released', 'returned')),
  at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX quarantine_by_state ON quarantine (state, at);
CREATE INDEX quarantine_by_item ON quarantine (item_id);

CREATE TABLE schedule_ticks (
  job TEXT PRIMARY KEY,
  last_tick INTEGER NOT NULL
) STRICT;
`;

// Version 3: a run can be 'interrupted' (its process ended before it finished). SQLite cannot change a
// CHECK in place, so the table is rebuilt as its documentation prescribes, with the same columns,
// indexes and ids; the tables that refer to runs refer to the new one by name.
const INTERRUPTED_RUNS_SCHEMA = rebuiltTable(
  'runs',
  3,
  `  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted')),
  dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  files INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  owner TEXT,
  heartbeat_at INTEGER`,
  ['id', 'job', 'kind', 'source', 'target', 'started_at', 'finished_at', 'status', 'dry_run', 'files', 'bytes', 'failed', 'skipped', 'error', 'owner', 'heartbeat_at'],
  `
CREATE INDEX runs_by_started_at ON runs (started_at);
CREATE INDEX runs_by_job ON runs (job, started_at);
CREATE INDEX runs_by_status ON runs (status, started_at);
CREATE INDEX runs_in_progress ON runs (job) WHERE status = 'running';
`,
);

// Version 4: an item can be 'deleted' (a sync removed it from the destination, or moved it to its
// backup folder). The items table is rebuilt like the runs table in version 3, keeping ids, so the
// rows that refer to items, and the file-name index keyed by item id, stay valid.
const DELETED_ITEMS_SCHEMA = rebuiltTable(
  'items',
  4,
  `  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  source_path TEXT NOT NULL,
  target_path TEXT,
  stage TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'copied', 'moved', 'skipped', 'failed', 'planned', 'quarantined', 'deleted')),
  bytes INTEGER NOT NULL,
  error_kind TEXT,
  reason TEXT,
  verified_by TEXT,
  updated_at INTEGER NOT NULL,
  fingerprint TEXT,
  sha256 TEXT,
  UNIQUE (run_id, source_path)`,
  ['id', 'run_id', 'source_path', 'target_path', 'stage', 'status', 'bytes', 'error_kind', 'reason', 'verified_by', 'updated_at', 'fingerprint', 'sha256'],
  `
CREATE INDEX items_by_status ON items (run_id, status, source_path);

${ITEM_NAME_TRIGGERS}`,
);

// Version 5: the digest a destination reported for what it stored (Salesforce's MD5), shown in the
// history beside the checks that were made.
const ITEM_CHECKSUMS_SCHEMA = `
ALTER TABLE items ADD COLUMN checksum TEXT;
`;

// Version 6: the validation log pages the quarantine newest first, by job, by state or both,
// without scanning it.
const QUARANTINE_LOG_SCHEMA = `
CREATE INDEX quarantine_by_at ON quarantine (at);
CREATE INDEX quarantine_by_job ON quarantine (job, at);
CREATE INDEX quarantine_by_job_state ON quarantine (job, state, at);
`;

// Version 7: how long each file's copy took, shown in the history beside its outcome.
const ITEM_DURATIONS_SCHEMA = `
ALTER TABLE items ADD COLUMN duration_ms INTEGER;
`;

// Version 8: the validation log holds every validation result, not only refusals. The quarantine table
// becomes that log, rebuilt like the runs in version 3 to allow 'passed': each file's name, partner and
// the rules it was checked against (or failed) are indexed so the log filters and searches without
// scanning, the returned file and its resubmission point at each other, and the job file a run was
// read from is kept so the log can act on a job that left Ferry's jobs folder.
const FILE_NAME_OF_QUARANTINE_ROW = `substr(new.file, length(rtrim(new.file, replace(new.file, '/', ''))) + 1)`;

const VALIDATION_LOG_TRIGGERS = `CREATE TRIGGER quarantine_insert AFTER INSERT ON quarantine BEGIN
  INSERT INTO quarantine_names (rowid, name) VALUES (new.id, ${FILE_NAME_OF_QUARANTINE_ROW});
  INSERT INTO quarantine_rules (rule, at, quarantine_id) SELECT DISTINCT value, new.at, new.id FROM json_each(new.rules);
END;

CREATE TRIGGER quarantine_rules_change AFTER UPDATE OF rules ON quarantine BEGIN
  DELETE FROM quarantine_rules WHERE quarantine_id = old.id;
  INSERT INTO quarantine_rules (rule, at, quarantine_id) SELECT DISTINCT value, new.at, new.id FROM json_each(new.rules);
END;

CREATE TRIGGER quarantine_delete AFTER DELETE ON quarantine BEGIN
  DELETE FROM quarantine_names WHERE rowid = old.id;
  DELETE FROM quarantine_rules WHERE quarantine_id = old.id;
END;
`;

const VALIDATION_LOG_SCHEMA = `
${rebuiltTable(
  'quarantine',
  8,
  `  id INTEGER PRIMARY KEY,
  job TEXT NOT NULL,
  item_id INTEGER REFERENCES items (id) ON DELETE SET NULL,
  file TEXT NOT NULL,
  location TEXT NOT NULL,
  reasons TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('passed', 'held', 'released', 'returned')),
  at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  partner TEXT,
  rules TEXT NOT NULL DEFAULT '[]',
  rule_set TEXT,
  match_key TEXT NOT NULL DEFAULT '',
  job_file TEXT,
  resubmission_of INTEGER REFERENCES quarantine (id) ON DELETE SET NULL,
  resubmitted_as INTEGER REFERENCES quarantine (id) ON DELETE SET NULL`,
  ['id', 'job', 'item_id', 'file', 'location', 'reasons', 'state', 'at', 'updated_at'],
  `
CREATE INDEX quarantine_by_state ON quarantine (state, at);
CREATE INDEX quarantine_by_item ON quarantine (item_id);
CREATE INDEX quarantine_by_at ON quarantine (at);
CREATE INDEX quarantine_by_job ON quarantine (job, at);
CREATE INDEX quarantine_by_job_state ON quarantine (job, state, at);
CREATE INDEX quarantine_by_partner ON quarantine (partner, at);
CREATE INDEX quarantine_by_key ON quarantine (job, match_key, at);
CREATE INDEX quarantine_by_resubmission_of ON quarantine (resubmission_of);
CREATE INDEX quarantine_by_resubmitted_as ON quarantine (resubmitted_as);
`,
)}
-- What the entries held before: the rules their reasons name, and their name as the key a
-- resubmission is recognised by.
UPDATE quarantine SET
  rules = (SELECT json_group_array(DISTINCT json_extract(value, '$.rule')) FROM json_each(reasons)),
  match_key = 'name:' || lower(substr(file, length(rtrim(file, replace(file, '/', ''))) + 1));

-- File names are searched by substring (trigrams), rules by their id, newest first.
CREATE VIRTUAL TABLE quarantine_names USING fts5 (name, tokenize = 'trigram');
INSERT INTO quarantine_names (rowid, name) SELECT id, substr(file, length(rtrim(file, replace(file, '/', ''))) + 1) FROM quarantine;

CREATE TABLE quarantine_rules (
  rule TEXT NOT NULL,
  at INTEGER NOT NULL,
  quarantine_id INTEGER NOT NULL REFERENCES quarantine (id) ON DELETE CASCADE,
  PRIMARY KEY (rule, at, quarantine_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX quarantine_rules_by_entry ON quarantine_rules (quarantine_id, rule);
INSERT INTO quarantine_rules (rule, at, quarantine_id) SELECT DISTINCT r.value, q.at, q.id FROM quarantine q, json_each(q.rules) r;

${VALIDATION_LOG_TRIGGERS}`;

export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    description: 'runs and their items, validation, quarantine, notifications and audit log; file-name search',
    up: (db) => db.exec(INITIAL_SCHEMA),
  },
  {
    version: 2,
    description: 'jobs: run owners, the files each job has taken, deliveries, quarantine and schedule ticks',
    up: (db) => db.exec(JOBS_SCHEMA),
  },
  {
    version: 3,
    description: "runs whose process ended before they finished: status 'interrupted'",
    up: (db) => db.exec(INTERRUPTED_RUNS_SCHEMA),
  },
  {
    version: 4,
    description: "items a sync deleted from its destination: status 'deleted'",
    up: (db) => db.exec(DELETED_ITEMS_SCHEMA),
  },
  {
    version: 5,
    description: 'the checksum a destination reported for each file it stored',
    up: (db) => db.exec(ITEM_CHECKSUMS_SCHEMA),
  },
  {
    version: 6,
    description: 'the validation log: the quarantine by time, by job, and by job and state',
    up: (db) => db.exec(QUARANTINE_LOG_SCHEMA),
  },
  {
    version: 7,
    description: "how long each file's copy took",
    up: (db) => db.exec(ITEM_DURATIONS_SCHEMA),
  },
  {
    version: 8,
    description: 'the validation log: passed files too, by partner, rule and file name, resubmissions linked, the job file of each run',
    up: (db) => db.exec(VALIDATION_LOG_SCHEMA),
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** The database was written by a newer Ferry; it has not been changed. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';

  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The history database ${file} has schema version ${found}, but this version of Ferry knows only up to ` +
        `version ${supported}. It was left untouched: open it with a newer Ferry, or move it elsewhere and run "ferry history reset" to start a new history.`,
    );
  }
}

export function schemaVersionOf(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the database up to `LATEST_SCHEMA_VERSION`, one transaction per migration, so a failure
 * leaves it at the last version that completed. Throws `SchemaTooNewError` before writing anything
 * when the database is newer than this code.
 */
export function migrate(db: Database.Database): void {
  const found = schemaVersionOf(db);
  if (found > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(db.name, found, LATEST_SCHEMA_VERSION);
  if (found === LATEST_SCHEMA_VERSION) return;
  // SQLite's procedure for reshaping a table needs foreign keys off while it runs (the pragma is
  // ignored inside a transaction); each step checks them itself before committing instead.
  const enforced = Number(db.pragma('foreign_keys', { simple: true })) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of MIGRATIONS) applyMigration(db, migration);
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

function applyMigration(db: Database.Database, migration: Migration): void {
  // Immediate: the write lock is taken before the version is re-read, so when another process opens
  // the same file at the same moment, one of them migrates and the other finds the work done.
  db.transaction(() => {
    if (schemaVersionOf(db) >= migration.version) return;
    migration.up(db);
    const violations = db.pragma('foreign_key_check');
    if (Array.isArray(violations) && violations.length > 0) {
      throw new Error(`Migration ${migration.version} (${migration.description}) broke foreign keys in ${db.name}`);
    }
    db.pragma(`user_version = ${migration.version}`);
  }).immediate();
}
