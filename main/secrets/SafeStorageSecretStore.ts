import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { TransferError } from '../../src/connectors/errors.js';
import { readIfPresent, writePrivateFile } from '../../src/security/privateFile.js';
import type { SecretStore } from '../../src/security/SecretStore.js';

/** The parts of Electron's `safeStorage` the store uses. */
export type SafeStoragePort = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export interface SafeStorageSecretStoreOptions {
  /** Where the sealed secrets are kept (only ciphertext, base64). */
  readonly file: string;
  readonly safeStorage: SafeStoragePort;
  readonly platform: NodeJS.Platform;
  /**
   * Asked once, before the first secret is stored, when Linux has no keyring and Electron would fall back
   * to `basic_text` (a fixed, published key): true lets Ferry store secrets that way anyway.
   */
  readonly allowWithoutKeyring: () => Promise<boolean>;
}

/** Linux's fallback when no keyring answers: a key built into Chromium, which protects nothing. */
const NO_KEYRING = 'basic_text';

const sealedFileSchema = z.strictObject({
  version: z.literal(1),
  /** The backend that sealed every entry; another backend cannot open them. */
  backend: z.string(),
  /** The user agreed to store secrets without a keyring (only ever set with backend `basic_text`). */
  withoutKeyring: z.boolean(),
  entries: z.record(z.string(), z.string()),
});
type SealedFile = z.infer<typeof sealedFileSchema>;

/**
 * The desktop app's secrets, sealed by the operating system's keychain through Electron's `safeStorage`
 * (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux). The backend that sealed the file is
 * recorded in it and pinned: if it changes (a session without its keyring, KWallet instead of libsecret),
 * Ferry refuses rather than read garbage or re-seal secrets with a weaker key, and says why.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly #opts: SafeStorageSecretStoreOptions;

  constructor(opts: SafeStorageSecretStoreOptions) {
    this.#opts = opts;
  }

  /** The backend sealing new secrets now: Linux names its keyring, other systems have only one. */
  backend(): string {
    const { platform, safeStorage } = this.#opts;
    if (platform === 'linux') return safeStorage.getSelectedStorageBackend();
    return platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : platform;
  }

  async get(key: string): Promise<string | undefined> {
    const file = await this.#load();
    const sealed = file?.entries[key];
    if (file === undefined || sealed === undefined) return undefined;
    this.#checkPinned(file);
    try {
      return this.#opts.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch (e) {
      throw new TransferError('config', `Cannot open the secret "${key}" in ${this.#opts.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async set(key: string, value: string): Promise<void> {
    const current = await this.#load();
    if (current !== undefined) this.#checkPinned(current);
    const file = current ?? { version: 1 as const, backend: this.backend(), withoutKeyring: false, entries: {} };
    if (!this.#opts.safeStorage.isEncryptionAvailable()) {
      throw new TransferError('config', 'This computer offers no way to encrypt secrets (no keychain answered): Ferry stores nothing in plain text, so the secret was not saved');
    }
    let withoutKeyring = file.withoutKeyring;
    if (file.backend === NO_KEYRING && !withoutKeyring) {
      withoutKeyring = await this.#opts.allowWithoutKeyring();
      if (!withoutKeyring) {
        throw new TransferError('config', 'No keyring is running on this computer (GNOME Keyring or KWallet): the secret was not saved. Start one and open Ferry again, or agree to store secrets without a keyring');
      }
    }
    const sealed = this.#opts.safeStorage.encryptString(value).toString('base64');
    await this.#save({ ...file, withoutKeyring, entries: { ...file.entries, [key]: sealed } });
  }

  async delete(key: string): Promise<void> {
    const file = await this.#load();
    if (file === undefined || !Object.hasOwn(file.entries, key)) return;
    const entries = Object.fromEntries(Object.entries(file.entries).filter(([k]) => k !== key));
    await this.#save({ ...file, entries });
  }

  #checkPinned(file: SealedFile): void {
    const now = this.backend();
    if (now === file.backend) return;
    throw new TransferError(
      'config',
      `The secrets in ${this.#opts.file} were sealed by "${file.backend}", but this session offers "${now}": Ferry will not read or replace them with another keychain. ` +
        (file.backend === NO_KEYRING ? 'Move them as docs/desktop.md says, or delete the file and enter the passwords again' : `Open Ferry in a session where "${file.backend}" runs`),
    );
  }

  async #load(): Promise<SealedFile | undefined> {
    const text = await readIfPresent(this.#opts.file);
    if (text === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new TransferError('config', `The secret store ${this.#opts.file} is damaged: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = sealedFileSchema.safeParse(json);
    if (!parsed.success) throw new TransferError('config', `The secret store ${this.#opts.file} is damaged: ${parsed.error.issues[0]?.message ?? 'unexpected content'}`);
    return parsed.data;
  }

  async #save(file: SealedFile): Promise<void> {
    await writePrivateFile(this.#opts.file, JSON.stringify(file, null, 2));
  }
}
