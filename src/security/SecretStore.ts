import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TransferError } from '../connectors/errors.js';
import { readIfPresent, writePrivateFile } from './privateFile.js';

/** Where passwords and key passphrases live. Nothing else in Ferry writes a secret anywhere. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

interface SealedEntry {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface SecretsFile {
  readonly version: 1;
  /** Salt for the passphrase-derived key; unused when a key file is the key. */
  readonly salt: string;
  readonly keySource: 'passphrase' | 'keyfile';
  readonly entries: Record<string, SealedEntry>;
}

export interface EncryptedFileSecretStoreOptions {
  /** The encrypted secrets file. */
  readonly file: string;
  /**
   * A passphrase (e.g. from FERRY_MASTER_PASSWORD) from which the key is derived with scrypt. Without
   * one, a random key is kept in `keyFile`, readable by the owner only, beside — never inside — the
   * secrets file: copying the secrets file alone then reveals nothing.
   */
  readonly passphrase?: string;
  readonly keyFile: string;
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/**
 * Headless secret store: AES-256-GCM per entry, the entry's name bound in as associated data so that
 * entries cannot be swapped. The desktop app uses the operating system's keychain instead.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly #opts: EncryptedFileSecretStoreOptions;
  #key: Buffer | undefined;

  constructor(opts: EncryptedFileSecretStoreOptions) {
    this.#opts = opts;
  }

  async get(key: string): Promise<string | undefined> {
    const file = await this.#load();
    const sealed = file?.entries[key];
    if (file === undefined || sealed === undefined) return undefined;
    const k = await this.#keyFor(file);
    try {
      const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(key, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new TransferError(
        'config',
        `Cannot decrypt the secret store ${this.#opts.file}: wrong master password, or the file was altered`,
      );
    }
  }

  async set(key: string, value: string): Promise<void> {
    const file = (await this.#load()) ?? this.#fresh();
    const k = await this.#keyFor(file);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k, iv);
    cipher.setAAD(Buffer.from(key, 'utf8'));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const entries = {
      ...file.entries,
      [key]: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') },
    };
    await this.#save({ ...file, entries });
  }

  async delete(key: string): Promise<void> {
    const file = await this.#load();
    if (file === undefined || !(key in file.entries)) return;
    const entries = Object.fromEntries(Object.entries(file.entries).filter(([k]) => k !== key));
    await this.#save({ ...file, entries });
  }

  #fresh(): SecretsFile {
    return {
      version: 1,
      salt: randomBytes(16).toString('base64'),
      keySource: this.#opts.passphrase === undefined ? 'keyfile' : 'passphrase',
      entries: {},
    };
  }

  async #keyFor(file: SecretsFile): Promise<Buffer> {
    if (this.#key !== undefined) return this.#key;
    if (file.keySource === 'passphrase') {
      if (this.#opts.passphrase === undefined) {
        throw new TransferError(
          'config',
          `The secret store ${this.#opts.file} is protected by a master password: set FERRY_MASTER_PASSWORD`,
        );
      }
      this.#key = scryptSync(this.#opts.passphrase, Buffer.from(file.salt, 'base64'), 32, SCRYPT);
    } else {
      this.#key = await this.#keyFromFile();
    }
    return this.#key;
  }

  async #keyFromFile(): Promise<Buffer> {
    try {
      const k = Buffer.from((await readFile(this.#opts.keyFile, 'utf8')).trim(), 'base64');
      if (k.length !== 32) throw new TransferError('config', `The key file ${this.#opts.keyFile} is damaged`);
      return k;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const k = randomBytes(32);
      await mkdir(dirname(this.#opts.keyFile), { recursive: true, mode: 0o700 });
      await writeFile(this.#opts.keyFile, k.toString('base64'), { mode: 0o600, flag: 'wx' });
      return k;
    }
  }

  async #load(): Promise<SecretsFile | undefined> {
    const text = await readIfPresent(this.#opts.file);
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as SecretsFile;
    if (parsed.version !== 1) throw new TransferError('config', `Unknown secret store version in ${this.#opts.file}`);
    return parsed;
  }

  async #save(file: SecretsFile): Promise<void> {
    await writePrivateFile(this.#opts.file, JSON.stringify(file, null, 2));
  }
}
