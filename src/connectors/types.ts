import type { Readable } from 'node:stream';

export type ConnectorKind = 'local' | 'ftp' | 'sftp' | 'salesforce';

/** The RemoteFs operations, as connectors name them when they explain a failure. */
export type FsOperation = 'list' | 'stat' | 'read' | 'write' | 'mkdir' | 'remove' | 'rmdir' | 'rename' | 'setModifiedTime';
export const HASH_KINDS = ['md5', 'sha1', 'sha256'] as const;
export type HashKind = (typeof HASH_KINDS)[number];

/**
 * One listing row.
 * `path` is POSIX, relative to the connector root, with no leading or trailing slash ('' is the root).
 * `size` is -1 when the server does not say.
 */
export interface RemoteEntry {
  readonly name: string;
  readonly path: string;
  readonly kind: 'file' | 'dir';
  readonly size: number;
  /** Epoch milliseconds; absent when the server gives none. */
  readonly modifiedAt?: number;
  /** What the service says beyond the basics, shown in listings: a Salesforce file's version and MD5. */
  readonly details?: Readonly<Record<string, string>>;
  /** Content hashes the listing carried at no extra cost (Salesforce's MD5), lower-case hex. */
  readonly hashes?: Readonly<Partial<Record<HashKind, string>>>;
}

/** What a connector can do natively; the engine degrades gracefully where a flag is false. */
export interface Capabilities {
  /** Server-side rename that replaces nothing silently: enables upload to a partial name, then publish. */
  readonly rename: boolean;
  /** `read` honours `offset` and `write` honours `append`: enables resume of interrupted files. */
  readonly resume: boolean;
  /** Hash kinds `hash()` can compute without downloading the file. */
  readonly hashes: ReadonlyArray<HashKind>;
  /** Granularity of `setModifiedTime` in ms; 0 when modification times cannot be set. */
  readonly mtimePrecisionMs: number;
  readonly caseInsensitive: boolean;
  /** How many operations may run at once against this server (FTP: one command per connection). */
  readonly maxConcurrency: number;
}

export interface ListOptions {
  readonly signal?: AbortSignal;
  /**
   * Called for each listed name that is not one safe path segment (`..`, separators, NUL, CR/LF): such
   * entries are left out of the result, never returned, so no caller can build a path from them.
   */
  readonly onUnsafeName?: (name: string, reason: string) => void;
}

export interface ReadOptions {
  /** First byte to send; 0 when absent. Requires `capabilities.resume` when non-zero. */
  readonly offset?: number;
  readonly signal?: AbortSignal;
}

export interface WriteOptions {
  /** Append to an existing file instead of replacing it (resume). Requires `capabilities.resume`. */
  readonly append?: boolean;
  /** Bytes the stream will yield, when known: lets a connector pick how to send it and declare its length. */
  readonly size?: number;
  readonly signal?: AbortSignal;
}

/**
 * The one file-system interface every connector implements.
 * Every method throws only `TransferError`; every path is relative to the connector root and must stay
 * inside it (a path that would escape is refused with kind 'unsafeName').
 */
export interface RemoteFs {
  readonly kind: ConnectorKind;
  readonly capabilities: Capabilities;
  /** Human-readable location without secrets, e.g. `sftp://alice@host:22/data`. */
  readonly description: string;
  /**
   * Equal for every connection that reaches the same storage — this machine's disks, one server
   * (whatever the user or root folder), one Salesforce org — so that only those pairs need `fileKey`.
   */
  readonly storageKey: string;
  /**
   * A key equal for two paths of the same storage exactly when they name the same file, however they
   * are spelled: links, `~`, `.` and case are resolved as far as the storage allows (local disks: the
   * device and inode). Undefined when nothing is at `path`.
   */
  fileKey(path: string, signal?: AbortSignal): Promise<string | undefined>;
  /** Lists one directory, not recursively. Throws kind 'notFound' when it is absent. */
  list(dir: string, opts?: ListOptions): Promise<ReadonlyArray<RemoteEntry>>;
  /**
   * Lists several folders in one go, where the server can answer many with one request (a Salesforce
   * query over many records). Folders that do not exist are left out of the result.
   */
  listMany?(dirs: ReadonlyArray<string>, opts?: ListOptions): Promise<Map<string, ReadonlyArray<RemoteEntry>>>;
  /** Returns undefined when absent; never throws 'notFound'. '' is the root. */
  stat(path: string, signal?: AbortSignal): Promise<RemoteEntry | undefined>;
  /**
   * Opens the file for reading. The returned stream holds a connection until it ends, errors or is
   * destroyed; destroying it early is how a reader cancels.
   */
  read(path: string, opts?: ReadOptions): Promise<Readable>;
  /**
   * Writes the whole stream to `path` (parent folders must exist). Resolves once the server has
   * acknowledged the last byte. On failure a partial file may remain.
   */
  write(path: string, data: Readable, opts?: WriteOptions): Promise<void>;
  /** Creates the folder and any missing parents; succeeds when it already exists. */
  mkdir(path: string): Promise<void>;
  /** Removes one file. Throws 'notFound' when it is absent. */
  remove(path: string): Promise<void>;
  /** Removes one empty folder. */
  rmdir(path: string): Promise<void>;
  /** Renames a file, replacing the target when the server allows it. Present when `capabilities.rename`. */
  rename?(from: string, to: string): Promise<void>;
  /** Present when `capabilities.hashes` is not empty. */
  hash?(path: string, kind: HashKind, signal?: AbortSignal): Promise<string>;
  /** Present when `capabilities.mtimePrecisionMs > 0`. */
  setModifiedTime?(path: string, modifiedAt: number): Promise<void>;
  /** Connects and describes the server: banner, features, security. Present for network connectors. */
  report?(signal?: AbortSignal): Promise<ServerReport>;
  /**
   * Tries what a server does not announce: TLS session reuse on data connections, and its clock, which
   * is read by writing one small file in the login folder and removing it. For `connection test` only.
   */
  probeServer?(signal?: AbortSignal): Promise<ServerProbe>;
  /** Releases every connection. The instance may not be used afterwards. */
  close(): Promise<void>;
}

/** What `connection test` reports: the facts a user needs to pick settings. */
export interface ServerReport extends ServerProbe {
  readonly connector: ConnectorKind;
  readonly description: string;
  readonly banner?: string;
  readonly features: ReadonlyArray<string>;
  readonly capabilities: Capabilities;
  readonly security?: string;
}

/**
 * Whether an FTPS server's data connections resumed the sign-in's TLS session: `required` when a data
 * connection that did not resume it was refused, `supported` when both were accepted, `unsupported`
 * when the server never resumed it.
 */
export type TlsSessionReuse = 'required' | 'supported' | 'unsupported';

/**
 * The server's clock against this computer's, read from the time the server gave a file it had just
 * written (`file`, in its login folder, removed again unless `removed` says otherwise); or why that
 * could not be done.
 */
export type ClockCheck =
  | { readonly kind: 'measured'; readonly skewMs: number; readonly file: string; readonly removed: boolean }
  | { readonly kind: 'unmeasured'; readonly reason: string };

/** What only trying tells about a server, beyond what it announces. */
export interface ServerProbe {
  readonly tlsSessionReuse?: TlsSessionReuse;
  readonly clock?: ClockCheck;
}

/** A record whose files a job may take, with the fields the job asked for (relationship paths flattened: `Account.Name`). */
export interface SelectedRecord {
  readonly id: string;
  /** The record's folder, relative to the connector root, e.g. `Opportunity/Big Deal`. */
  readonly path: string;
  readonly fields: Readonly<Record<string, string>>;
}

export type RecordValues = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A connector whose folders are business records (Salesforce): a job can pick records by a condition
 * and write fields back once their files are delivered.
 */
export interface RecordStore {
  /** The records of the object folder `objectDir` that meet `where` (a SOQL condition), with `fields`. */
  selectRecords(
    objectDir: string,
    query: { readonly where?: string | undefined; readonly fields: ReadonlyArray<string> },
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<SelectedRecord>>;
  /** Writes fields on records, each on its own: one record's failure is reported, not thrown. */
  updateRecords(
    objectDir: string,
    updates: ReadonlyArray<{ readonly id: string; readonly values: RecordValues }>,
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<{ readonly id: string; readonly error?: string }>>;
}

/** A record found by what a person typed, with the folder it is browsed as under its object's folder. */
export interface FoundRecord {
  readonly id: string;
  readonly name: string;
  /** `Object/Name (Id)`: the id keeps the folder exact whether or not another record has the name. */
  readonly path: string;
  /** The other fields searched (an Account's number), by field name, where the record has them. */
  readonly fields: Readonly<Record<string, string>>;
}

/** Which of the records found a search returns: `limit` of them after the first `offset`. */
export interface SearchPage {
  readonly offset: number;
  readonly limit: number;
}

/** One page of records found, and whether more follow it. */
export interface FoundRecords {
  readonly records: ReadonlyArray<FoundRecord>;
  readonly more: boolean;
}

/** Salesforce connectors: finding records by name or number, and naming records known by their id. */
export interface RecordSearch {
  searchRecords(objectDir: string, text: string, page: SearchPage, signal?: AbortSignal): Promise<FoundRecords>;
  /** Each id's record name; ids of no record are left out. */
  recordNames(objectDir: string, ids: ReadonlyArray<string>, signal?: AbortSignal): Promise<ReadonlyMap<string, string>>;
}

export function canSearchRecords(fs: RemoteFs): fs is RemoteFs & RecordSearch {
  return 'searchRecords' in fs && 'recordNames' in fs;
}

export function isRecordStore(fs: RemoteFs): fs is RemoteFs & RecordStore {
  return 'selectRecords' in fs && 'updateRecords' in fs;
}
