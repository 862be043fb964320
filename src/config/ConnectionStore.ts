import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TransferError } from '../connectors/errors.js';
import type { ConnectionConfig } from './connectionSchema.js';

export type { ConnectionConfig, FtpConnectionConfig, SalesforceConnectionConfig, SftpConnectionConfig } from './connectionSchema.js';
export { isValidConnectionName } from './connectionName.js';

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
    const { ConnectionsFileSchema } = await import('./connectionSchema.js');
    const parsed = ConnectionsFileSchema.safeParse(json);
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
    const { ConnectionConfigSchema } = await import('./connectionSchema.js');
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
