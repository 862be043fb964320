import { z } from 'zod';
import { bandwidthText } from '../shared/model/bandwidthSchema.js';
import { CONNECTION_NAME } from './connectionName.js';

// Loaded only by the commands that read or write connections.json: zod takes longer to load than the
// rest of a command's start-up, and `ferry --help` or `ferry ls <local folder>` need none of it.

const common = {
  name: z.string().regex(CONNECTION_NAME),
  maxConnections: z.number().int().min(1).max(64).optional(),
  /** The partner's bandwidth limit, shared by every transfer to and from it (rclone's --bwlimit syntax). */
  bandwidth: bandwidthText.optional(),
};

const LocalConnection = z.object({ ...common, kind: z.literal('local'), root: z.string().min(1) });

const SftpConnection = z.object({
  ...common,
  kind: z.literal('sftp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  root: z.string(),
  /** Which secrets exist in the secret store: the values never appear here. */
  hasPassword: z.boolean(),
  keyFile: z.string().optional(),
  hasKeyPassphrase: z.boolean(),
  useAgent: z.boolean(),
  hostKeyPolicy: z.enum(['strict', 'accept-new']),
});

const FtpConnection = z.object({
  ...common,
  kind: z.literal('ftp'),
  security: z.enum(['none', 'explicit', 'implicit']),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  root: z.string(),
  hasPassword: z.boolean(),
  caFile: z.string().optional(),
  tlsFingerprint: z.string().optional(),
});

const SalesforceConnection = z.object({
  ...common,
  kind: z.literal('salesforce'),
  /** Where sign-in happens: login.salesforce.com, test.salesforce.com, a My Domain, or a local sandbox. */
  loginUrl: z.url(),
  /** The org's own address, learnt at sign-in. */
  instanceUrl: z.url().optional(),
  clientId: z.string().min(1),
  auth: z.enum(['oauth', 'jwt']),
  /** JWT bearer: who the runs act as, and the private key that signs the assertion. */
  username: z.string().optional(),
  jwtKeyFile: z.string().optional(),
  apiVersion: z.string().regex(/^\d{2,3}\.0$/),
  root: z.string(),
  /** Salesforce Files (ContentVersion), or S-Drive's file objects with their bytes in S3. */
  mode: z.enum(['files', 'sdrive']).default('files'),
  /** S-Drive: file objects beyond the package's five, e.g. OrderFile__c with Parent__c on Order. */
  sdriveObjects: z.array(z.object({ object: z.string().min(1), fileObject: z.string().min(1), parentField: z.string().min(1) })).optional(),
});

export const ConnectionConfigSchema = z.discriminatedUnion('kind', [LocalConnection, SftpConnection, FtpConnection, SalesforceConnection]);
export type ConnectionConfig = z.infer<typeof ConnectionConfigSchema>;
export type SftpConnectionConfig = z.infer<typeof SftpConnection>;
export type FtpConnectionConfig = z.infer<typeof FtpConnection>;
export type SalesforceConnectionConfig = z.infer<typeof SalesforceConnection>;

export const ConnectionsFileSchema = z.object({ version: z.literal(1), connections: z.array(ConnectionConfigSchema) });
