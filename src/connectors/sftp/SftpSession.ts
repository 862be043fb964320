import ssh2 from 'ssh2';
import type {
  Client,
  ConnectConfig,
  FileEntryWithStats,
  NegotiatedAlgorithms,
  SFTPWrapper,
  ServerHostKeyAlgorithm,
  Stats,
} from 'ssh2';
import { fingerprintSha256, keyTypeOf, type HostKeyVerifier } from '../../security/KnownHosts.js';
import { TransferError } from '../errors.js';
import { mapConnectError } from './mapSftpError.js';

/** What a session needs to reach and trust a server; no ssh2 type leaks through it. */
export interface SessionConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password?: string;
  readonly privateKey?: string | Buffer;
  readonly passphrase?: string;
  readonly agent?: string;
  readonly hostKeys: HostKeyVerifier;
  /** Handshake limit, and how long a session may have requests outstanding with no answer at all. */
  readonly timeoutMs: number;
}

/** The attributes Ferry uses; each is absent when the server leaves it out. `mtime` is in seconds. */
export interface RemoteAttrs {
  readonly mode?: number;
  readonly size?: number;
  readonly mtime?: number;
}

/** What the handshake revealed about the server, for `connection test`. */
export interface SessionFacts {
  /** The software part of the server's SSH identification, e.g. `OpenSSH_9.2p1 Debian-2`. */
  readonly serverSoftware?: string;
  /** The pre-login banner the server sent, if any. */
  readonly banner?: string;
  readonly hostKeyType?: string;
  readonly hostKeyFingerprint?: string;
  readonly kex?: string;
  readonly cipher?: string;
  readonly mac?: string;
  /** SFTP extensions the server announced, e.g. `posix-rename@openssh.com`. */
  readonly extensions: ReadonlyArray<string>;
}

export interface DirEntry {
  readonly filename: string;
  readonly longname: string;
  readonly attrs: RemoteAttrs;
}

/** The end of a file or of a directory listing (SFTP status EOF). */
const STATUS_EOF = 1;
/** The server has no such file (SFTP status NO_SUCH_FILE). */
export const STATUS_NO_SUCH_FILE = 2;
/** The server's catch-all refusal (SFTP status FAILURE). */
export const STATUS_FAILURE = 4;

export function statusOf(e: unknown): number | undefined {
  if (!(e instanceof Error) || 'level' in e) return undefined;
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

type Done<T> = (err: Error | null | undefined, value: T) => void;

const KEEPALIVE_MS = 15_000;
/** Request size cap: OpenSSH accepts 255 KiB; larger gains nothing and delays the first byte. */
const MAX_CHUNK = 255 * 1024;
/** What every SFTP server accepts, for when ssh2 does not say what this one does. */
const SAFE_CHUNK = 30 * 1024;
const KEEPALIVE_MAX_MISSED = 3;

/** Host key algorithms per key type as written in known_hosts: an RSA key serves three signature schemes. */
const ALGORITHMS_FOR_KEY_TYPE: Readonly<Record<string, ReadonlyArray<ServerHostKeyAlgorithm>>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/** `[::1]:22` or `host:22`, as users write them. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * One authenticated SSH connection with its SFTP channel, as promises.
 *
 * Requests fail with raw SFTP status errors (numeric `code`) or, once the connection is gone, with a
 * TransferError ('network' or 'timeout'). ssh2 silently drops requests written to a closed channel, so
 * every request checks the session first. A watchdog closes a session whose server has left requests
 * unanswered for `timeoutMs`: a stalled server then fails fast instead of hanging a transfer.
 */
export class SftpSession {
  readonly #client: Client;
  readonly #sftp: SFTPWrapper;
  readonly #where: string;
  readonly #timeoutMs: number;
  readonly #facts: SessionFacts;
  #closeReason: TransferError | undefined;
  #pending = 0;
  #lastAnswer = 0;
  #watchdog: NodeJS.Timeout | undefined;

  private constructor(client: Client, sftp: SFTPWrapper, where: string, timeoutMs: number, facts: SessionFacts) {
    this.#client = client;
    this.#facts = facts;
    this.#sftp = sftp;
    this.#where = where;
    this.#timeoutMs = timeoutMs;
    client.on('error', (e) => this.#lost(mapConnectError(e, where)));
    client.on('close', () => this.#lost(new TransferError('network', `The connection to ${where} was closed`)));
    sftp.on('error', (e: Error) => this.#lost(mapConnectError(e, where)));
    sftp.on('close', () => this.#lost(new TransferError('network', `The SFTP channel to ${where} was closed`)));
  }

  /**
   * Connects, checks the host key before any credential is sent, logs in and opens the SFTP channel.
   * A person may take longer to compare a new key's fingerprint than the server waits for a login
   * (OpenSSH's LoginGraceTime): a key accepted after the server hung up is connected to once more,
   * trusted as accepted, instead of failing the connection.
   */
  static async open(cfg: SessionConfig, signal?: AbortSignal): Promise<SftpSession> {
    try {
      return await SftpSession.#connect(cfg, signal);
    } catch (e) {
      if (!(e instanceof HungUpDuringKeyCheck)) throw e;
      return SftpSession.#connect({ ...cfg, hostKeys: trustingAlso(e.key, cfg.hostKeys) }, signal);
    }
  }

  static async #connect(cfg: SessionConfig, signal?: AbortSignal): Promise<SftpSession> {
    const where = `${cfg.username}@${hostPort(cfg.host, cfg.port)}`;
    if (signal?.aborted === true) throw new TransferError('cancelled', `Cancelled connecting to ${where}`);
    const knownTypes = (await cfg.hostKeys.knownKeyTypes?.(cfg.host, cfg.port)) ?? [];
    const preferred = [...new Set(knownTypes.flatMap((t) => ALGORITHMS_FOR_KEY_TYPE[t] ?? []))];

    const client = new ssh2.Client();
    let refusal: TransferError | undefined;
    let hostKey: Buffer | undefined;
    /** The host key check while it waits (for a file, or for a person), so that a hang-up meanwhile waits for its verdict. */
    let checking: Promise<TransferError | undefined> | undefined;
    /**
     * The key was accepted and the login has not finished: a hang-up now, other than a refused login,
     * is the server giving up while the key was checked (ssh2 may finish the key exchange on messages
     * that arrived before the server left, so only the login proves it still listens).
     */
    let keyAccepted = false;
    let negotiated: NegotiatedAlgorithms | undefined;
    let banner: string | undefined;
    let settled = false;
    let lost: (e: unknown) => void = () => undefined;
    client.on('handshake', (n) => (negotiated = n));
    client.on('banner', (message) => (banner = message.trim()));
    const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      // The blob may be a view into a buffer the parser reuses while the check awaits file I/O.
      const blob = Buffer.from(key);
      hostKey = blob;
      const check = cfg.hostKeys.verify(cfg.host, cfg.port, blob).catch((e: unknown) => new TransferError('hostKey', `Cannot check the host key of ${where}`, { cause: e }));
      checking = check;
      void check.then((result) => {
        refusal = result;
        checking = undefined;
        keyAccepted = result === undefined;
        if (settled) return;
        try {
          verify(result === undefined);
        } catch (e) {
          // ssh2 throws here when the server's hang-up, already arrived, had torn its protocol down.
          lost(e);
        }
      });
    };
    const config: ConnectConfig = {
      host: cfg.host,
      port: cfg.port,
      username: cfg.username,
      readyTimeout: cfg.timeoutMs,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_MAX_MISSED,
      hostVerifier,
      ...(cfg.password === undefined ? {} : { password: cfg.password }),
      ...(cfg.privateKey === undefined ? {} : { privateKey: cfg.privateKey }),
      ...(cfg.passphrase === undefined ? {} : { passphrase: cfg.passphrase }),
      ...(cfg.agent === undefined ? {} : { agent: cfg.agent }),
      // Asking first for a key type we already trust keeps a server holding several keys from looking changed.
      ...(preferred.length === 0
        ? {}
        : { algorithms: { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } }),
    };

    return new Promise<SftpSession>((resolve, reject) => {
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (e: unknown): void => {
        if (!settle()) return;
        client.destroy();
        reject(refusal ?? mapConnectError(e, where));
      };
      const onAbort = (): void => fail(new TransferError('cancelled', `Cancelled connecting to ${where}`));
      signal?.addEventListener('abort', onAbort, { once: true });
      /** The connection ended before it was ready: while its key is being checked, the check decides what that means. */
      lost = (e: unknown): void => {
        const pending = checking;
        const key = hostKey;
        if (key === undefined || (pending === undefined && (!keyAccepted || isLoginRefusal(e)))) {
          fail(e);
          return;
        }
        if (!settle()) return;
        client.destroy();
        void (pending ?? Promise.resolve(undefined)).then((result) => reject(result ?? new HungUpDuringKeyCheck(where, key, e)));
      };
      // Errors after a failed attempt (the socket closing under us) must not crash the process.
      client.on('error', lost);
      client.once('close', () => lost(new Error('No response from server')));
      client.once('ready', () => {
        client.sftp((err, sftp) => {
          if (err !== undefined && err !== null) {
            fail(err);
            return;
          }
          if (!settle()) {
            client.destroy();
            return;
          }
          client.removeListener('error', lost);
          const facts: SessionFacts = {
            ...optional('serverSoftware', privateString(client, '_remoteVer')),
            ...optional('banner', banner === '' ? undefined : banner),
            ...optional('hostKeyType', hostKey === undefined ? undefined : keyTypeOf(hostKey)),
            ...optional('hostKeyFingerprint', hostKey === undefined ? undefined : fingerprintSha256(hostKey)),
            ...optional('kex', negotiated?.kex),
            ...optional('cipher', negotiated?.cs.cipher),
            ...optional('mac', negotiated?.cs.mac === '' ? undefined : negotiated?.cs.mac),
            extensions: announcedExtensions(sftp),
          };
          resolve(new SftpSession(client, sftp, where, cfg.timeoutMs, facts));
        });
      });
      try {
        client.connect(config);
        // ssh2 leaves Nagle's algorithm on; with it every small SFTP request waits for the previous ACK.
        client.setNoDelay(true);
      } catch (e) {
        fail(e);
      }
    });
  }

  /** `user@host:port`, for messages. */
  get where(): string {
    return this.#where;
  }

  get facts(): SessionFacts {
    return this.#facts;
  }

  /**
   * The largest READ / WRITE payload the server takes in one request. ssh2 learns it from the server
   * (OpenSSH's `limits@openssh.com`, or its version string) but keeps it private; anything larger it
   * would split into requests sent one after another, which is what pipelining is meant to avoid.
   */
  get readChunk(): number {
    return chunkLimit(this.#sftp, '_maxReadLen');
  }

  get writeChunk(): number {
    return chunkLimit(this.#sftp, '_maxWriteLen');
  }

  /** True once the connection is gone; a closed session is never reused. */
  get closed(): boolean {
    return this.#closeReason !== undefined;
  }

  /** The server's absolute form of `path` ('.' is the login folder). */
  realpath(path: string): Promise<string> {
    return this.#request<string>((done) => this.#sftp.realpath(path, done));
  }

  stat(path: string): Promise<RemoteAttrs> {
    return this.#request<Stats>((done) => this.#sftp.stat(path, done)).then(toAttrs);
  }

  fstat(handle: Buffer): Promise<RemoteAttrs> {
    return this.#request<Stats>((done) => this.#sftp.fstat(handle, done)).then(toAttrs);
  }

  /** Opens a file; `flags` as Node's `fs.open` spells them ('r', 'w', 'r+'). */
  open(path: string, flags: 'r' | 'w' | 'r+'): Promise<Buffer> {
    return this.#request<Buffer>((done) => this.#sftp.open(path, flags, done));
  }

  close(handle: Buffer): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.close(handle, (err) => done(err, undefined)));
  }

  /** Reads up to `length` bytes at `position`; an empty buffer means end of file. */
  read(handle: Buffer, length: number, position: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    return this.#request<Buffer>((done) =>
      this.#sftp.read(handle, buf, 0, length, position, (err, bytesRead) =>
        done(err, bytesRead === length ? buf : buf.subarray(0, bytesRead ?? 0)),
      ),
    );
  }

  write(handle: Buffer, data: Buffer, position: number): Promise<void> {
    return this.#request<undefined>((done) =>
      this.#sftp.write(handle, data, 0, data.length, position, (err) => done(err, undefined)),
    );
  }

  opendir(path: string): Promise<Buffer> {
    return this.#request<Buffer>((done) => this.#sftp.opendir(path, done));
  }

  /** The next batch of a directory opened with `opendir` ('.' and '..' left out); undefined at the end. */
  async readdir(handle: Buffer): Promise<DirEntry[] | undefined> {
    try {
      const list = await this.#request<FileEntryWithStats[]>((done) => this.#sftp.readdir(handle, done));
      return list.map((e) => ({ filename: e.filename, longname: e.longname, attrs: toAttrs(e.attrs) }));
    } catch (e) {
      if (statusOf(e) === STATUS_EOF) return undefined;
      throw e;
    }
  }

  mkdir(path: string): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.mkdir(path, (err) => done(err, undefined)));
  }

  rmdir(path: string): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.rmdir(path, (err) => done(err, undefined)));
  }

  unlink(path: string): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.unlink(path, (err) => done(err, undefined)));
  }

  /** Plain SFTP rename: fails when the target exists. */
  rename(from: string, to: string): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.rename(from, to, (err) => done(err, undefined)));
  }

  /**
   * rename(2) semantics through `posix-rename@openssh.com`: an existing target file is replaced atomically.
   * Resolves false, without a round trip, when the server does not offer the extension.
   */
  async posixRename(from: string, to: string): Promise<boolean> {
    let supported = true;
    await this.#request<undefined>((done) => {
      try {
        this.#sftp.ext_openssh_rename(from, to, (err) => done(err, undefined));
      } catch (e) {
        // ssh2 refuses synchronously when the server's version packet did not list the extension.
        if (!(e instanceof Error) || !e.message.includes('does not support')) throw e;
        supported = false;
        done(undefined, undefined);
      }
    });
    return supported;
  }

  /** Sets both access and modification time, in whole seconds. */
  utimes(path: string, atime: number, mtime: number): Promise<void> {
    return this.#request<undefined>((done) => this.#sftp.utimes(path, atime, mtime, (err) => done(err, undefined)));
  }

  /** Closes the connection politely, or by force when the server does not answer within a second. */
  async end(): Promise<void> {
    const client = this.#client;
    const wasOpen = !this.closed;
    this.#lost(new TransferError('cancelled', `The connection to ${this.#where} was closed by Ferry`));
    if (!wasOpen) {
      client.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 1000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  #request<T>(start: (done: Done<T>) => void): Promise<T> {
    const reason = this.#closeReason;
    if (reason !== undefined) return Promise.reject(reason);
    return new Promise<T>((resolve, reject) => {
      let answered = false;
      const done: Done<T> = (err, value) => {
        if (answered) return;
        answered = true;
        this.#answered();
        if (err === undefined || err === null) {
          resolve(value);
          return;
        }
        // ssh2 fails pending requests with a bare "No response" when the channel dies: say why it died.
        reject(statusOf(err) === undefined && this.#closeReason !== undefined ? this.#closeReason : err);
      };
      this.#asked();
      try {
        start(done);
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)), undefined as T);
      }
    });
  }

  #asked(): void {
    if (this.#pending++ === 0) this.#lastAnswer = Date.now();
    if (this.#watchdog === undefined) {
      const period = Math.max(50, Math.min(1000, this.#timeoutMs / 4));
      this.#watchdog = setInterval(() => this.#checkStall(), period);
      this.#watchdog.unref();
    }
  }

  #answered(): void {
    this.#pending--;
    this.#lastAnswer = Date.now();
    if (this.#pending === 0 && this.#watchdog !== undefined) {
      clearInterval(this.#watchdog);
      this.#watchdog = undefined;
    }
  }

  #checkStall(): void {
    if (this.#pending === 0 || Date.now() - this.#lastAnswer < this.#timeoutMs) return;
    this.#lost(
      new TransferError('timeout', `${this.#where} left requests unanswered for ${Math.round(this.#timeoutMs / 1000)} s`),
    );
    // Destroying the socket makes ssh2 fail every pending request, which then reports the reason above.
    this.#client.destroy();
  }

  #lost(reason: TransferError): void {
    this.#closeReason ??= reason;
    if (this.#watchdog !== undefined && this.#pending === 0) {
      clearInterval(this.#watchdog);
      this.#watchdog = undefined;
    }
  }
}

/**
 * The server closed the connection while its host key waited for an answer (a person's), and the answer
 * was to connect. Caught by `SftpSession.open`, which connects again; should the second connection end
 * the same way, this is the error reported.
 */
class HungUpDuringKeyCheck extends TransferError {
  readonly key: Buffer;

  constructor(where: string, key: Buffer, cause: unknown) {
    super('network', `${where} closed the connection while its host key was being checked`, { cause });
    this.key = key;
  }
}

/** ssh2's word for a login the server refused, as opposed to a connection that went away. */
function isLoginRefusal(e: unknown): boolean {
  return e instanceof Error && (e as Error & { level?: unknown }).level === 'client-authentication';
}

/** `verifier`, with `key` trusted too: the key a person has just accepted, whether for good or once. */
function trustingAlso(key: Buffer, verifier: HostKeyVerifier): HostKeyVerifier {
  return {
    verify: (host, port, presented) => (presented.equals(key) ? Promise.resolve(undefined) : verifier.verify(host, port, presented)),
    knownKeyTypes: async (host, port) => (await verifier.knownKeyTypes?.(host, port)) ?? [],
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * ssh2 keeps the server's identification, SFTP extensions and request limits to itself. They only tune
 * requests or feed the connection report, so reading them defensively is enough: a future ssh2 without
 * them yields a shorter report and smaller requests.
 */
function privateString(target: object, field: string): string | undefined {
  const value: unknown = Reflect.get(target, field);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function chunkLimit(sftp: SFTPWrapper, field: string): number {
  const value: unknown = Reflect.get(sftp, field);
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1024
    ? Math.min(value, MAX_CHUNK)
    : SAFE_CHUNK;
}

function announcedExtensions(sftp: SFTPWrapper): string[] {
  const value: unknown = Reflect.get(sftp, '_extensions');
  return typeof value === 'object' && value !== null ? Object.keys(value).sort() : [];
}

function toAttrs(s: Stats): RemoteAttrs {
  // ssh2 declares every attribute, but leaves out those the server did not send.
  const { mode, size, mtime } = s as Partial<Stats>;
  return {
    ...(typeof mode === 'number' ? { mode } : {}),
    ...(typeof size === 'number' ? { size } : {}),
    ...(typeof mtime === 'number' ? { mtime } : {}),
  };
}
