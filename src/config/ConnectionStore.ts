import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TransferError } from '../connectors/errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const common = {
  name: z.string().regex(NAME),
  maxConnections: z.number().int().min(1).max(64).optional(),
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

const FileSchema = z.object({ version: z.literal(1), connections: z.array(ConnectionConfigSchema) });

export function isValidConnectionName(name: string): boolean {
  return NAME.test(name);
}

/** Named connections in `connections.json`: settings only, secrets live in the secret store. */
export class ConnectionStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  async list(): Promise<ReadonlyArray<ConnectionConfig>> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new TransferError('config', `${this.#file} is not valid JSON: ${(e as Error).message}`);
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`;
      throw new TransferError('config', `${this.#file} is not a valid connections file${where}`);
    }
    return parsed.data.connections;
  }

  async get(name: string): Promise<ConnectionConfig | undefined> {
    return (await this.list()).find((c) => c.name === name);
  }

  /** Adds or replaces the connection of that name. */
  async save(config: ConnectionConfig): Promise<void> {
    const checked = ConnectionConfigSchema.parse(config);
    const others = (await this.list()).filter((c) => c.name !== checked.name);
    await this.#write([...others, checked].sort((a, b) => a.name.localeCompare(b.name)));
  }

  /** Returns whether a connection of that name existed. */
  async remove(name: string): Promise<boolean> {
    const all = await this.list();
    const rest = all.filter((c) => c.name !== name);
    if (rest.length === all.length) return false;
    await this.#write(rest);
    return true;
  }

  async #write(connections: ReadonlyArray<ConnectionConfig>): Promise<void> {
    await mkdir(dirname(this.#file), { recursive: true, mode: 0o700 });
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ version: 1, connections }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.#file);
  }
}
