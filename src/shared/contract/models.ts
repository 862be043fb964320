import { z } from 'zod';
import { TRANSFER_ERROR_KINDS } from '../model/errorKinds.js';

/** The connection every host has: this machine's own disks, from the file system's root. */
export const THIS_COMPUTER = '@computer';

/** A connection name as the user gave it, or `THIS_COMPUTER`. */
export const connectionName = z.string().min(1).max(200);

/** A path relative to the connection's root, POSIX, without a leading slash ('' is the root). */
export const relativePath = z.string().max(4096).refine((p) => !p.includes('\0'), 'a path may not contain NUL');

export const CONNECTION_KINDS = ['local', 'ftp', 'sftp', 'salesforce'] as const;

export const connectionSummarySchema = z.strictObject({
  name: connectionName,
  kind: z.enum(CONNECTION_KINDS),
  /** Where it leads, without secrets: a URL that `connections.add` reads back, or the org's login URL. */
  location: z.string(),
  /** Files kept in S-Drive rather than Salesforce Files. */
  sdrive: z.boolean(),
});
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;

export const entrySchema = z.strictObject({
  name: z.string(),
  path: relativePath,
  kind: z.enum(['file', 'dir']),
  /** -1 when the server does not say. */
  size: z.number().int(),
  /** Epoch milliseconds. */
  modifiedAt: z.number().optional(),
  /** What the service adds: a Salesforce file's version and MD5, its owner. */
  details: z.record(z.string(), z.string()).optional(),
});
export type Entry = z.infer<typeof entrySchema>;

export const SORT_KEYS = ['name', 'size', 'modifiedAt', 'type'] as const;
export const sortSchema = z.strictObject({ by: z.enum(SORT_KEYS), direction: z.enum(['asc', 'desc']) });
export type Sort = z.infer<typeof sortSchema>;

export const locationSchema = z.strictObject({ connection: connectionName, path: relativePath });
export type Location = z.infer<typeof locationSchema>;

export const CONFLICT_CHOICES = ['changed', 'overwrite', 'skip', 'rename', 'newer', 'resume'] as const;

export const transferRequestSchema = z.strictObject({
  source: z.strictObject({ connection: connectionName, paths: z.array(relativePath).min(1).max(100_000) }),
  /** The folder (or Salesforce object folder, with `attachBy`) that receives the items. */
  target: locationSchema,
  move: z.boolean(),
  conflict: z.enum(CONFLICT_CHOICES),
  /** Salesforce: a naming rule that finds each file's record, e.g. `INV-{AccountNumber}-{*}`. */
  attachBy: z.string().max(500).optional(),
});
export type TransferRequestInput = z.infer<typeof transferRequestSchema>;

export const FILE_STATES = ['queued', 'running', 'done', 'skipped', 'failed', 'cancelled'] as const;
export type FileState = (typeof FILE_STATES)[number];

export const transferFileSchema = z.strictObject({
  source: z.string(),
  target: z.string().optional(),
  state: z.enum(FILE_STATES),
  size: z.number(),
  bytes: z.number(),
  /** Why it was skipped or failed, or why it was sent (new file, changed: sizes differ, …). */
  reason: z.string().optional(),
  errorKind: z.enum(TRANSFER_ERROR_KINDS).optional(),
});
export type TransferFile = z.infer<typeof transferFileSchema>;

/** `paused`: the queue holds new starts and none of the batch's files is in flight. */
export const BATCH_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

export const transferSnapshotSchema = z.strictObject({
  id: z.string(),
  /** "Copy 3 items from partner-sftp to org: Account", for a row in the queue; unique in the queue ("… (2)"). */
  label: z.string(),
  move: z.boolean(),
  /** What was selected and where it goes, as the transfer was asked: to retry it, or show it in a pane. */
  source: transferRequestSchema.shape.source,
  target: locationSchema,
  state: z.enum(BATCH_STATES),
  filesTotal: z.number(),
  filesDone: z.number(),
  filesSkipped: z.number(),
  filesFailed: z.number(),
  filesCancelled: z.number(),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  rateBps: z.number(),
  etaSeconds: z.number().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
  /** What stopped the whole batch (a refused login, a folder that does not exist). */
  error: z.string().optional(),
  /** Files in flight, with their bytes so far. */
  current: z.array(z.strictObject({ path: z.string(), bytes: z.number(), size: z.number() })),
});
export type TransferSnapshot = z.infer<typeof transferSnapshotSchema>;

export const previewItemSchema = z.strictObject({
  source: z.string(),
  target: z.string().optional(),
  /** new: lands as a new file; replace: over an existing one (a new version on Salesforce); skip; fail. */
  action: z.enum(['new', 'replace', 'skip', 'fail']),
  reason: z.string(),
  /** For Salesforce targets found by a naming rule: how the record was found. */
  match: z.enum(['exact', 'ambiguous', 'none']).optional(),
});
export type PreviewItem = z.infer<typeof previewItemSchema>;

export const serverReportSchema = z.strictObject({
  description: z.string(),
  banner: z.string().optional(),
  features: z.array(z.string()),
  security: z.string().optional(),
  capabilities: z.strictObject({
    rename: z.boolean(),
    resume: z.boolean(),
    hashes: z.array(z.string()),
    keepsTimes: z.boolean(),
    maxConcurrency: z.number(),
  }),
});
export type ServerReportView = z.infer<typeof serverReportSchema>;

export const HOST_KEY_ANSWERS = ['trust', 'once', 'refuse'] as const;

/** An SSH server seen for the first time: what a person compares with what its administrator gave them. */
export const hostKeyQuestionSchema = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  keyType: z.string(),
  /** `SHA256:…`, as OpenSSH shows it. */
  fingerprint: z.string(),
});
export type HostKeyQuestion = z.infer<typeof hostKeyQuestionSchema>;
