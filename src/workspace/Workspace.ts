import { parse as parsePath, resolve as resolvePath, sep } from 'node:path';
import { ConnectionStore, type ConnectionConfig } from '../config/ConnectionStore.js';
import type { FerryPaths } from '../config/ferryHome.js';
import { TransferError } from '../connectors/errors.js';
import { LocalFs } from '../connectors/local/LocalFs.js';
import type { RemoteFs } from '../connectors/types.js';
import { FileResumeJournal, type ResumeJournal } from '../engine/ResumeJournal.js';
import type { SqliteWrittenFiles, WrittenFiles } from '../engine/WrittenFiles.js';
import { EncryptedFileSecretStore, type SecretStore } from '../security/SecretStore.js';
import { SECRET_KINDS, secretKey, type SecretKind } from '../security/secretKeys.js';
import type { ApiBudgetOptions } from '../connectors/salesforce/ApiBudget.js';
import { damagedHistory, HistoryDamagedError, sqliteDamageIn } from '../history/damage.js';
import type { HistoryStore } from '../history/HistoryStore.js';
import type { HostKeyAnswer, UnknownHostKey } from '../security/KnownHosts.js';
import type { CertificateAnswer, UntrustedCertificate } from '../security/tlsTrust.js';
import type { Location } from '../cli/location.js';

/** A location resolved to a connector and a path inside it. */
export interface OpenedLocation {
  readonly fs: RemoteFs;
  /** Relative to the connector root; keeps a trailing slash when the user wrote one. */
  readonly path: string;
}

/** Who is asked about a server met for the first time: the terminal's user, the window's, or nobody. */
export interface ConnectionQuestions {
  readonly confirmHostKey?: (question: UnknownHostKey) => Promise<HostKeyAnswer>;
  /** 'trust' is remembered as the connection's `tlsFingerprint`, as `--tls-fingerprint` would set it. */
  readonly confirmCertificate?: (certificate: UntrustedCertificate) => Promise<CertificateAnswer>;
}

/**
 * Everything a command needs from Ferry's data folder: named connections, their secrets, trusted host
 * keys, and the resume journal. One instance per process.
 */
export class Workspace {
  readonly paths: FerryPaths;
  readonly connections: ConnectionStore;
  readonly secrets: SecretStore;
  readonly journal: ResumeJournal;

  readonly #questions: ConnectionQuestions;
  /** Told when a Salesforce connection pauses for its daily API allocation, and when it resumes. */
  salesforceBudget: Partial<ApiBudgetOptions> = {};
  #history: HistoryStore | undefined;
  #written: SqliteWrittenFiles | undefined;

  constructor(
    paths: FerryPaths,
    env: NodeJS.ProcessEnv = process.env,
    questions: ConnectionQuestions = {},
    /** Lets the desktop app put the keychain in front of the command line's encrypted file. */
    secretsOver: (fileStore: SecretStore) => SecretStore = (fileStore) => fileStore,
  ) {
    this.paths = paths;
    this.#questions = questions;
    this.connections = new ConnectionStore(paths.connections);
    const passphrase = env['FERRY_MASTER_PASSWORD'];
    this.secrets = secretsOver(
      new EncryptedFileSecretStore({
        file: paths.secrets,
        keyFile: paths.secretKey,
        ...(passphrase === undefined || passphrase === '' ? {} : { passphrase }),
      }),
    );
    this.journal = new FileResumeJournal(paths.partials);
  }

  /** The run history; opened on first use, so that commands without one never load SQLite. */
  async history(): Promise<HistoryStore> {
    if (this.#history === undefined) {
      const { HistoryStore: Store } = await import('../history/HistoryStore.js');
      const { SchemaTooNewError } = await import('../history/migrations.js');
      try {
        this.#history = Store.open(this.paths.history);
      } catch (e) {
        if (e instanceof SchemaTooNewError || e instanceof HistoryDamagedError) throw new TransferError('config', e.message, { cause: e });
        throw e;
      }
    }
    return this.#history;
  }

  /**
   * The history's own damage behind a command's failure, as the error Ferry shows for it. SQLite's
   * "malformed" names no file, and the history is not Ferry's only database: the history is checked.
   */
  historyDamageBehind(e: unknown): TransferError | undefined {
    const damage = sqliteDamageIn(e);
    if (damage === undefined || this.#history?.damage() === undefined) return undefined;
    return new TransferError('config', damagedHistory(this.paths.history, damage.message).message, { cause: e });
  }

  /** What Ferry wrote where; opened on first use, like the history. */
  async written(): Promise<WrittenFiles> {
    if (this.#written === undefined) {
      const { SqliteWrittenFiles: Store } = await import('../engine/WrittenFiles.js');
      this.#written = new Store(this.paths.written);
    }
    return this.#written;
  }

  close(): void {
    this.#history?.close();
    this.#history = undefined;
    this.#written?.close();
    this.#written = undefined;
  }

  async config(name: string): Promise<ConnectionConfig> {
    const config = await this.connections.get(name);
    if (config === undefined) {
      throw new TransferError('config', `No connection named "${name}" (see "ferry connection list")`);
    }
    return config;
  }

  async open(name: string): Promise<RemoteFs> {
    const { confirmHostKey, confirmCertificate } = this.#questions;
    // Loaded here, not at start-up: commands that list connections or local folders never need TLS or SSH.
    const { openConnection } = await import('../connectors/openConnection.js');
    return openConnection(await this.config(name), {
      secrets: this.secrets,
      knownHostsFile: this.paths.knownHosts,
      ...(confirmHostKey === undefined ? {} : { confirmHostKey }),
      ...(confirmCertificate === undefined ? {} : { confirmCertificate: (certificate) => this.#confirmCertificate(name, certificate, confirmCertificate) }),
      salesforceBudget: this.salesforceBudget,
    });
  }

  /**
   * Opens settings that are not saved (a form being tested), asking the same questions as `open`. Its
   * secrets are the ones given, else those stored under its name (an edit that keeps its password);
   * nothing is written to the secret store.
   */
  async openUnsaved(config: ConnectionConfig, secrets: Partial<Record<SecretKind, string>>): Promise<RemoteFs> {
    const stored = this.secrets;
    const given = new Map<string, string>();
    for (const kind of SECRET_KINDS) {
      const value = secrets[kind];
      if (value !== undefined) given.set(secretKey(config.name, kind), value);
    }
    const { confirmHostKey, confirmCertificate } = this.#questions;
    const { openConnection } = await import('../connectors/openConnection.js');
    return openConnection(config, {
      secrets: {
        get: async (key) => given.get(key) ?? (await stored.get(key)),
        set: (key, value) => Promise.resolve(void given.set(key, value)),
        delete: (key) => Promise.resolve(void given.delete(key)),
      },
      knownHostsFile: this.paths.knownHosts,
      ...(confirmHostKey === undefined ? {} : { confirmHostKey }),
      ...(confirmCertificate === undefined ? {} : { confirmCertificate }),
      salesforceBudget: this.salesforceBudget,
    });
  }

  /** A trusted certificate is pinned in the connection's settings: a fingerprint is not a secret. */
  async #confirmCertificate(
    name: string,
    certificate: UntrustedCertificate,
    confirm: (certificate: UntrustedCertificate) => Promise<CertificateAnswer>,
  ): Promise<CertificateAnswer> {
    const answer = await confirm(certificate);
    if (answer !== 'trust') return answer;
    const config = await this.config(name);
    if (config.kind !== 'ftp') return answer;
    // A pin replaces the CA file: the two are exclusive, and the CA did not vouch for this server.
    const { caFile: _replaced, ...rest } = config;
    await this.connections.save({ ...rest, tlsFingerprint: certificate.fingerprint });
    return answer;
  }

  async openLocation(location: Location): Promise<OpenedLocation> {
    if (location.kind === 'connection') return { fs: await this.open(location.connection), path: location.path };
    const trailing = /[\\/]$/.test(location.path) ? '/' : '';
    const abs = resolvePath(location.path.replace(/^~(?=$|[\\/])/, process.env['HOME'] ?? '~'));
    const { root } = parsePath(abs);
    const rel = abs.slice(root.length).split(sep).join('/');
    return { fs: new LocalFs(root), path: `${rel}${trailing}` };
  }

  /** Stores a connection and its secrets; secrets go to the secret store, never into the settings file. */
  async saveConnection(config: ConnectionConfig, secrets: Partial<Record<SecretKind, string>>): Promise<void> {
    for (const kind of SECRET_KINDS) {
      const value = secrets[kind];
      if (value !== undefined) await this.secrets.set(secretKey(config.name, kind), value);
    }
    await this.connections.save(config);
  }

  async removeConnection(name: string): Promise<boolean> {
    for (const kind of SECRET_KINDS) await this.secrets.delete(secretKey(name, kind));
    return this.connections.remove(name);
  }
}
