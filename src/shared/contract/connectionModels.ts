import { z } from 'zod';
import { connectionName, serverReportSchema } from './models.js';

/** Why a connection failed, in the terms a coordinator can act on. */
export const PROBLEM_CAUSES = [
  'credentials',
  'keyRefused',
  'hostNotFound',
  'refused',
  'noRoute',
  'timeout',
  'certificateExpired',
  'certificateUntrusted',
  'hostKey',
  'passiveBlocked',
  'notFound',
  'other',
] as const;
export type ProblemCause = (typeof PROBLEM_CAUSES)[number];

export const connectionProblemSchema = z.strictObject({
  cause: z.enum(PROBLEM_CAUSES),
  /** One line: what went wrong. */
  summary: z.string(),
  /** What to check, or whom to ask. */
  advice: z.string(),
  /** The technical message, for the partner's administrator. */
  detail: z.string(),
});
export type ConnectionProblemView = z.infer<typeof connectionProblemSchema>;

/** A test's outcome: what the server supports, or why it could not be reached, in plain words. */
export const testOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('connected'), report: serverReportSchema }),
  z.strictObject({ outcome: z.literal('failed'), problem: connectionProblemSchema }),
]);
export type TestOutcome = z.infer<typeof testOutcomeSchema>;

/** A server connection as the site manager's form describes it (add, edit, and test before saving). */
export const connectionFieldsSchema = z.strictObject({
  name: connectionName,
  /** sftp://user@host[:port]/root, ftp://, ftpes://, ftps:// or file:///path */
  url: z.string().min(1).max(2000),
  /** Empty or absent when editing: the stored password stays. */
  password: z.string().max(4096).optional(),
  /** SFTP: a private key file on this machine. */
  keyFile: z.string().max(4096).optional(),
  agent: z.boolean().optional(),
  /** FTPS: the SHA-256 fingerprint of the one certificate to trust. */
  tlsFingerprint: z.string().max(200).optional(),
});

export const SIGN_IN_METHODS = ['password', 'key', 'agent', 'none', 'salesforce'] as const;

/** A saved connection's settings as the edit form shows them: never its secrets, only whether one is stored. */
export const editableConnectionSchema = z.strictObject({
  name: connectionName,
  /** The connection URL, or a Salesforce org's login address. */
  url: z.string(),
  signIn: z.enum(SIGN_IN_METHODS),
  keyFile: z.string().optional(),
  tlsFingerprint: z.string().optional(),
  /** A password (or key passphrase) is in the secret store: leaving the field empty keeps it. */
  secretStored: z.boolean(),
  sdrive: z.boolean(),
});
export type EditableConnection = z.infer<typeof editableConnectionSchema>;

/** A site list from FileZilla or WinSCP as the user chose it: its name for messages, its text to read. */
export const siteFileSchema = z.strictObject({
  fileName: z.string().min(1).max(500),
  /** 5 MB of text at most: no site list is larger. */
  text: z.string().max(5 * 1024 * 1024),
});

export const sitePreviewSchema = z.strictObject({
  id: z.string(),
  /** The site's folders and name in the other program. */
  source: z.string(),
  /** The connection name it will be saved under. */
  name: connectionName,
  url: z.string().optional(),
  imported: z.array(z.string()),
  notImported: z.array(z.string()),
  /** Set when another connection has the name already, saying which name this one gets. */
  clash: z.string().optional(),
});
export type SitePreviewView = z.infer<typeof sitePreviewSchema>;

/** Where a Salesforce sign-in happens. */
export const SALESFORCE_LOGINS = ['production', 'sandbox', 'localSandbox', 'custom'] as const;

export const CONNECTION_STATES = ['connected', 'failed', 'closed'] as const;

export const connectionStatusSchema = z.strictObject({
  name: connectionName,
  state: z.enum(CONNECTION_STATES),
  /** Why it failed, in plain words. */
  problem: connectionProblemSchema.optional(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;
