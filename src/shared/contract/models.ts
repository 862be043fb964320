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

/** `ask`: the window asks about each file whose target exists (the answers are `CONFLICT_ANSWERS`). */
export const CONFLICT_CHOICES = ['ask', 'changed', 'overwrite', 'skip', 'rename', 'newer', 'resume'] as const;

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
  /** new: lands as a new file; replace: over an existing one (a new version on Salesforce); ask: the target exists and the person is asked; skip; fail. */
  action: z.enum(['new', 'replace', 'ask', 'skip', 'fail']),
  reason: z.string(),
  /** For Salesforce targets found by a naming rule: how the record was found. */
  match: z.enum(['exact', 'ambiguous', 'none']).optional(),
});
export type PreviewItem = z.infer<typeof previewItemSchema>;

/** The server's clock against this computer's, from a file it wrote in its login folder (`file`, removed unless `removed` is false). */
export const clockCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('measured'), skewMs: z.number(), file: z.string(), removed: z.boolean() }),
  z.strictObject({ kind: z.literal('unmeasured'), reason: z.string() }),
]);
export type ClockCheckView = z.infer<typeof clockCheckSchema>;

export const TLS_SESSION_REUSE = ['required', 'supported', 'unsupported'] as const;
export type TlsSessionReuseView = (typeof TLS_SESSION_REUSE)[number];

export const serverReportSchema = z.strictObject({
  description: z.string(),
  banner: z.string().optional(),
  features: z.array(z.string()),
  security: z.string().optional(),
  /** FTPS: whether data connections resumed the sign-in's TLS session, and whether the server insists. */
  tlsSessionReuse: z.enum(TLS_SESSION_REUSE).optional(),
  clock: clockCheckSchema.optional(),
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

export const CERTIFICATE_ANSWERS = ['trust', 'once', 'refuse'] as const;

/** An FTPS server whose certificate nothing vouches for: what a person checks before connecting. */
export const certificateQuestionSchema = z.strictObject({
  host: z.string(),
  port: z.number().int(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 of the certificate, upper-case colon-separated hex, as `tlsFingerprint` takes it. */
  fingerprint: z.string(),
  /** Why it is not trusted, in words: "it is self-signed", "it has expired", "it is not issued for example.com". */
  problems: z.array(z.string()),
});
export type CertificateQuestion = z.infer<typeof certificateQuestionSchema>;

/** What a person may do with one file whose target exists. */
export const CONFLICT_ANSWERS = ['overwrite', 'skip', 'rename', 'resume', 'newer'] as const;
export type ConflictAnswer = (typeof CONFLICT_ANSWERS)[number];

const conflictSideSchema = z.strictObject({
  /** The connection's name, as the window's panes show it (`partner-sftp`, or `THIS_COMPUTER`). */
  where: z.string(),
  path: z.string(),
  name: z.string(),
  size: z.number(),
  /** Epoch milliseconds, when the server keeps times. */
  modifiedAt: z.number().optional(),
});

/** A file about to land where one of that name exists: both, side by side. */
export const conflictQuestionSchema = z.strictObject({ source: conflictSideSchema, target: conflictSideSchema });
export type ConflictQuestion = z.infer<typeof conflictQuestionSchema>;

/** A question of the core to the person at the window, by kind. */
export const promptSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: z.string(), kind: z.literal('hostKey'), question: hostKeyQuestionSchema }),
  z.strictObject({ id: z.string(), kind: z.literal('certificate'), question: certificateQuestionSchema }),
  z.strictObject({ id: z.string(), kind: z.literal('conflict'), question: conflictQuestionSchema }),
]);
export type Prompt = z.infer<typeof promptSchema>;
export type PromptKind = Prompt['kind'];

/** An answer, of the kind of its question: a conflict's answer may hold for the rest of the batch. */
export const promptReplySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hostKey'), answer: z.enum(HOST_KEY_ANSWERS) }),
  z.strictObject({ kind: z.literal('certificate'), answer: z.enum(CERTIFICATE_ANSWERS) }),
  z.strictObject({ kind: z.literal('conflict'), answer: z.enum(CONFLICT_ANSWERS), applyToAll: z.boolean() }),
]);
export type PromptReply = z.infer<typeof promptReplySchema>;
