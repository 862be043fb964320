import { z } from 'zod';
import { empty } from './emptyPayload.js';
import { connectionName, connectionSummarySchema, serverReportSchema } from './models.js';

/** The site manager: saved connections, their tests and their removal. */
export const CONNECTIONS_COMMANDS = {
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
} as const;
