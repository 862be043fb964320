import { z } from 'zod';
import {
  connectionName,
  connectionSummarySchema,
  entrySchema,
  HOST_KEY_ANSWERS,
  previewItemSchema,
  relativePath,
  serverReportSchema,
  sortSchema,
  transferFileSchema,
  transferRequestSchema,
  transferSnapshotSchema,
} from './models.js';

const empty = z.strictObject({});

/**
 * Every command the UI can give the core: its input and its output, checked on both sides of every
 * transport. The one place a command is named; a transport that is asked for anything else refuses.
 */
export const COMMANDS = {
  'app.info': {
    input: empty,
    output: z.strictObject({ version: z.string(), host: z.enum(['web', 'electron']), dataFolder: z.string() }),
  },
  'connections.list': {
    input: empty,
    output: z.strictObject({ connections: z.array(connectionSummarySchema) }),
  },
  'connections.add': {
    input: z.strictObject({
      name: connectionName,
      /** sftp://user@host[:port]/root, ftp://, ftpes://, ftps:// or file:///path */
      url: z.string().min(1).max(2000),
      password: z.string().max(4096).optional(),
      /** SFTP: a private key file on this machine. */
      keyFile: z.string().max(4096).optional(),
      agent: z.boolean().optional(),
      /** FTPS: the SHA-256 fingerprint of the one certificate to trust. */
      tlsFingerprint: z.string().max(200).optional(),
      /** Test before saving; an unreachable new connection is not saved. */
      test: z.boolean(),
    }),
    output: z.strictObject({ connection: connectionSummarySchema, report: serverReportSchema.optional() }),
  },
  'connections.test': {
    input: z.strictObject({ name: connectionName }),
    output: z.strictObject({ report: serverReportSchema }),
  },
  'connections.remove': {
    input: z.strictObject({ name: connectionName }),
    output: empty,
  },
  'files.list': {
    input: z.strictObject({
      connection: connectionName,
      path: relativePath,
      offset: z.number().int().min(0),
      /** Rows per page; a grid asks for the rows it shows, and more as it scrolls. */
      limit: z.number().int().min(1).max(5000),
      sort: sortSchema,
      /** Keeps names that contain this text, ignoring case. */
      filter: z.string().max(500).optional(),
      /** Re-reads the folder from the server instead of the host's copy of its listing. */
      refresh: z.boolean().optional(),
    }),
    output: z.strictObject({
      path: relativePath,
      /** Rows that match the filter in the whole folder; a grid's `aria-rowcount`. */
      total: z.number().int(),
      offset: z.number().int(),
      entries: z.array(entrySchema),
      /** Names the server listed that Ferry refuses to use (`..`, separators), with the reason. */
      refused: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
    }),
  },
  'files.mkdir': {
    input: z.strictObject({ connection: connectionName, path: relativePath.refine((p) => p !== '', 'a folder needs a name') }),
    output: empty,
  },
  'files.rename': {
    input: z.strictObject({ connection: connectionName, from: relativePath, to: relativePath }),
    output: empty,
  },
  'files.delete': {
    input: z.strictObject({ connection: connectionName, paths: z.array(relativePath).min(1).max(100_000) }),
    output: z.strictObject({ deleted: z.array(z.string()), failed: z.array(z.strictObject({ path: z.string(), message: z.string() })) }),
  },
  'transfers.preview': {
    input: transferRequestSchema,
    output: z.strictObject({ items: z.array(previewItemSchema) }),
  },
  'transfers.start': {
    input: transferRequestSchema,
    output: z.strictObject({ id: z.string() }),
  },
  'transfers.list': {
    input: empty,
    output: z.strictObject({ transfers: z.array(transferSnapshotSchema) }),
  },
  'transfers.files': {
    input: z.strictObject({ id: z.string(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) }),
    output: z.strictObject({ total: z.number().int(), files: z.array(transferFileSchema) }),
  },
  'prompts.answer': {
    input: z.strictObject({ id: z.string(), answer: z.enum(HOST_KEY_ANSWERS) }),
    output: empty,
  },
  'transfers.cancel': {
    input: z.strictObject({ id: z.string() }),
    output: empty,
  },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['output']>;

export const COMMAND_NAMES = Object.keys(COMMANDS) as ReadonlyArray<CommandName>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
