import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { HostKeyVerifier } from '../../security/KnownHosts.js';
import { ClientPool, type Lease } from '../ClientPool.js';
import { TransferError, mapNodeError } from '../errors.js';
import { baseName, displayRoot, joinRelative, normalizeRelative, parentOf, resolveUnderRoot, unsafeNameReason } from '../paths.js';
import type {
  Capabilities,
  ListOptions,
  ReadOptions,
  RemoteEntry,
  RemoteFs,
  ServerProbe,
  ServerReport,
  WriteOptions,
} from '../types.js';
import { checkClock } from '../clockCheck.js';
import { mapSftpError, type SftpOperation } from './mapSftpError.js';
import { SftpReadStream } from './SftpReadStream.js';
import {
  STATUS_FAILURE,
  STATUS_NO_SUCH_FILE,
  SftpSession,
  hostPort,
  statusOf,
  type DirEntry,
  type RemoteAttrs,
  type SessionConfig,
} from './SftpSession.js';
import { SourceError, writeFromStream } from './writeFromStream.js';

/**
 * How to reach, trust and log in to an SFTP server. Credentials are used for logging in only: no message,
 * error or `description` ever contains them. Free of ssh2 types, so callers need not know the library.
 */
export interface SftpOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /**
   * The folder every path is relative to: absolute ('/' allowed), or relative to the login folder ('' is
   * the login folder). Nothing outside it is reachable.
   */
  readonly root: string;
  readonly password?: string;
  /** Private key in OpenSSH, PEM or PPK text. */
  readonly privateKey?: string | Buffer;
  /** Passphrase of an encrypted `privateKey`. */
  readonly passphrase?: string;
  /** Path of an ssh-agent socket (usually `$SSH_AUTH_SOCK`). */
  readonly agent?: string;
  /** Checks the server's host key during the handshake, before any credential is sent. */
  readonly hostKeys: HostKeyVerifier;
  /** Connections opened at most (the server's budget for us). Default 4. */
  readonly maxConnections?: number;
  /** Operations one connection carries at once (SFTP multiplexes requests). Default 8. */
  readonly requestsPerConnection?: number;
  /** Handshake limit, and how long the server may leave requests unanswered. Default 30 s. */
  readonly timeoutMs?: number;
  /** This computer's clock, which the server's is compared with; a test sets it apart from the server's. */
  readonly now?: () => number;
}

const DEFAULT_CONNECTIONS = 4;
const DEFAULT_REQUESTS_PER_CONNECTION = 8;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Symlinks in one listing resolved at once on the listing's connection. */
const LINK_STATS_IN_FLIGHT = 16;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

type EntryType = 'file' | 'dir' | 'link' | 'other';

/**
 * RemoteFs over SFTP (ssh2), for OpenSSH `internal-sftp` and other SFTP version 3 servers.
 *
 * - Connections come from a bounded pool; each carries several operations at once.
 * - Host keys are checked during the handshake, before authentication; a refusal is kind 'hostKey'
 *   (fatal), and so is every later call of the same instance, as is a failed login ('auth'): retrying
 *   would only repeat the refusal and may lock the account.
 * - `list` follows symbolic links (a link to a file lists as a file); broken links and special files
 *   (FIFOs, sockets, devices) are left out, since they cannot be transferred. A name that is not one safe
 *   path segment, or not valid UTF-8 (ssh2 decodes names as UTF-8, so such a name could never be opened
 *   again), is left out and reported through `onUnsafeName`: one hostile name never fails a listing.
 * - `rename` uses `posix-rename@openssh.com` when offered, so an existing target is replaced atomically;
 *   elsewhere the target is deleted first (briefly absent).
 * - No server-side hashes: `internal-sftp` cannot run commands.
 */
export class SftpFs implements RemoteFs {
  readonly kind = 'sftp' as const;
  readonly capabilities: Capabilities;
  readonly description: string;
  readonly storageKey: string;
  /** Absolute once known: a root relative to the login folder is resolved on first use. */
  #root: string;
  readonly #now: () => number;
  #rootResolved: Promise<void> | undefined;
  readonly #pool: ClientPool<SftpSession>;
  /** A refusal that every later call would meet too (wrong password, untrusted host key). */
  #fatal: TransferError | undefined;
  /** Fires with the fatal refusal, so calls already waiting for a connection fail with it at once. */
  readonly #fatalAbort = new AbortController();

  constructor(opts: SftpOptions) {
    const maxConnections = opts.maxConnections ?? DEFAULT_CONNECTIONS;
    const perConnection = opts.requestsPerConnection ?? DEFAULT_REQUESTS_PER_CONNECTION;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(maxConnections) || maxConnections < 1) {
      throw new TransferError('config', 'SFTP: maxConnections must be a whole number of at least 1');
    }
    if (!Number.isInteger(perConnection) || perConnection < 1) {
      throw new TransferError('config', 'SFTP: requestsPerConnection must be a whole number of at least 1');
    }
    if (!(timeoutMs > 0)) throw new TransferError('config', 'SFTP: timeoutMs must be positive');
    this.#root = normalizeRoot(opts.root);
    this.#now = opts.now ?? Date.now;
    const shownRoot = displayRoot(this.#root);
    this.description = `sftp://${opts.username}@${hostPort(opts.host, opts.port)}${shownRoot}`;
    this.storageKey = `sftp://${hostPort(opts.host.toLowerCase(), opts.port)}`;
    this.capabilities = {
      rename: true,
      resume: true,
      hashes: [],
      mtimePrecisionMs: 1000,
      caseInsensitive: false,
      maxConcurrency: maxConnections * perConnection,
    };
    const session: SessionConfig = {
      host: opts.host,
      port: opts.port,
      username: opts.username,
      hostKeys: rememberingAccepted(opts.hostKeys),
      timeoutMs,
      ...(opts.password === undefined ? {} : { password: opts.password }),
      ...(opts.privateKey === undefined ? {} : { privateKey: opts.privateKey }),
      ...(opts.passphrase === undefined ? {} : { passphrase: opts.passphrase }),
      ...(opts.agent === undefined ? {} : { agent: opts.agent }),
    };
    this.#pool = new ClientPool<SftpSession>({
      maxClients: maxConnections,
      leasesPerClient: perConnection,
      create: async (signal) => {
        try {
          return await SftpSession.open(session, signal);
        } catch (e) {
          if (e instanceof TransferError && e.fatal && this.#fatal === undefined) {
            this.#fatal = e;
            this.#fatalAbort.abort(e);
          }
          throw e;
        }
      },
      destroy: (s) => s.end(),
      isBroken: (e) => isBroken(e),
    });
  }

  async list(dir: string, opts: ListOptions = {}): Promise<ReadonlyArray<RemoteEntry>> {
    const { signal, onUnsafeName } = opts;
    const refused: { name: string; reason: string }[] = [];
    const entries = await this.#run('list', dir, signal, async (s, abs, rel) => {
      const raw: DirEntry[] = [];
      const handle = await s.opendir(abs);
      try {
        for (;;) {
          throwIfCancelled(signal, abs);
          const batch = await s.readdir(handle);
          if (batch === undefined) break;
          raw.push(...batch);
        }
      } finally {
        await s.close(handle).catch(() => undefined);
      }

      const result: RemoteEntry[] = [];
      const links: { name: string; path: string }[] = [];
      for (const { filename: name, longname, attrs } of raw) {
        const reason = nameRefusal(name);
        if (reason !== undefined) {
          refused.push({ name, reason });
          continue;
        }
        const path = joinRelative(rel, name);
        const type = typeOf(attrs, longname);
        if (type === 'link') links.push({ name, path });
        else if (type !== 'other') result.push(toEntry(name, path, type, attrs));
      }
      await forEachLimited(links, LINK_STATS_IN_FLIGHT, async ({ name, path }) => {
        throwIfCancelled(signal, abs);
        const target = await statOrUndefined(s, posix.join(abs, name));
        const type = target === undefined ? 'other' : typeOf(target);
        if (target !== undefined && (type === 'file' || type === 'dir')) result.push(toEntry(name, path, type, target));
      });
      return result;
    });
    // Reported after the connection is back in the pool, so a throwing callback cannot strand it.
    for (const { name, reason } of refused) onUnsafeName?.(name, reason);
    return entries;
  }

  async stat(path: string, signal?: AbortSignal): Promise<RemoteEntry | undefined> {
    return this.#run('stat', path, signal, async (s, abs, rel) => {
      const attrs = await statOrUndefined(s, abs);
      if (attrs === undefined) return undefined;
      return toEntry(baseName(rel), rel, typeOf(attrs) === 'dir' ? 'dir' : 'file', attrs);
    });
  }

  /** The server's canonical path (links and `~` resolved by the server itself). */
  async fileKey(path: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.#run('stat', path, signal, async (s, abs) => ((await statOrUndefined(s, abs)) === undefined ? undefined : s.realpath(abs)));
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const { offset = 0, signal } = opts;
    const rel = normalizeRelative(path);
    await this.#ensureRoot(signal);
    const abs = resolveUnderRoot(this.#root, rel);
    const context = { op: 'read' as const, target: abs, path: rel };
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TransferError('validation', `Cannot read ${abs} from offset ${offset}`, { path: rel });
    }
    const lease = await this.#acquire(signal, context);
    let handle: Buffer;
    try {
      throwIfCancelled(signal, abs);
      handle = await lease.client.open(abs, 'r');
    } catch (e) {
      const mapped = mapSftpError(e, context);
      this.#giveBack(lease, mapped);
      throw mapped;
    }
    const stream = new SftpReadStream({
      session: lease.client,
      handle,
      start: offset,
      mapError: (e) => mapSftpError(e, context),
      onClose: (error) => {
        signal?.removeEventListener('abort', onAbort);
        // The connection goes back only once the server has let go of the handle.
        lease.client.close(handle).then(
          () => this.#giveBack(lease, error),
          (e: unknown) => this.#giveBack(lease, e),
        );
      },
    });
    const onAbort = (): void => {
      stream.destroy(new TransferError('cancelled', `Cancelled: read ${abs}`, { path: rel }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) onAbort();
    return stream;
  }

  async write(path: string, data: Readable, opts: WriteOptions = {}): Promise<void> {
    const { append = false, signal } = opts;
    let rel: string;
    try {
      rel = normalizeRelative(path);
    } catch (e) {
      data.destroy();
      throw e;
    }
    let lease: Lease<SftpSession>;
    let abs: string;
    let context: { op: 'write'; target: string; path: string };
    try {
      await this.#ensureRoot(signal);
      abs = resolveUnderRoot(this.#root, rel);
      context = { op: 'write' as const, target: abs, path: rel };
      lease = await this.#acquire(signal, context);
    } catch (e) {
      data.destroy();
      throw e;
    }
    const s = lease.client;
    let handle: Buffer | undefined;
    try {
      throwIfCancelled(signal, abs);
      let start = 0;
      if (append) {
        try {
          handle = await s.open(abs, 'r+');
        } catch (e) {
          if (statusOf(e) !== STATUS_NO_SUCH_FILE) throw e;
        }
        if (handle !== undefined) {
          const size = (await s.fstat(handle)).size;
          if (size === undefined) {
            throw new TransferError('unsupported', `Cannot append to ${abs}: the server does not report its size`);
          }
          start = size;
        }
      }
      handle ??= await s.open(abs, 'w');
      await writeFromStream(s, handle, start, data, signal);
      const written = handle;
      handle = undefined;
      // Only a successful close proves the server has the data: some servers report write errors here.
      await s.close(written);
      this.#giveBack(lease);
    } catch (e) {
      data.destroy();
      if (handle !== undefined) await s.close(handle).catch(() => undefined);
      const mapped = e instanceof SourceError ? sourceFailure(e.original, abs, rel) : mapSftpError(e, context);
      this.#giveBack(lease, mapped);
      throw mapped;
    }
  }

  async mkdir(path: string): Promise<void> {
    await this.#run('mkdir', path, undefined, (s, _abs, rel) => this.#mkdirs(s, rel));
  }

  async remove(path: string): Promise<void> {
    await this.#run('remove', path, undefined, (s, abs) => s.unlink(abs));
  }

  async rmdir(path: string): Promise<void> {
    await this.#run('rmdir', path, undefined, (s, abs, rel) => {
      if (rel === '') throw new TransferError('validation', `Will not remove the root folder ${abs}`);
      return s.rmdir(abs);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.#ensureRoot(undefined);
    const absTo = resolveUnderRoot(this.#root, to);
    await this.#run(
      'rename',
      from,
      undefined,
      async (s, absFrom) => {
        if (await s.posixRename(absFrom, absTo)) return;
        try {
          await s.rename(absFrom, absTo);
        } catch (e) {
          // Plain SFTP rename refuses an existing target with the catch-all FAILURE.
          if (statusOf(e) !== STATUS_FAILURE) throw e;
          const target = await statOrUndefined(s, absTo);
          if (target === undefined || typeOf(target) === 'dir') throw e;
          await s.unlink(absTo);
          await s.rename(absFrom, absTo);
        }
      },
      (absFrom) => `${absFrom} to ${absTo}`,
    );
  }

  async setModifiedTime(path: string, modifiedAt: number): Promise<void> {
    const seconds = Math.floor(modifiedAt / 1000);
    await this.#run('setModifiedTime', path, undefined, (s, abs) => s.utimes(abs, seconds, seconds));
  }

  /** Connects (or reuses a connection) and describes the server: software, host key, algorithms, extensions. */
  async report(signal?: AbortSignal): Promise<ServerReport> {
    const facts = await this.#run('stat', '', signal, async (s) => {
      await s.stat(this.#root);
      return s.facts;
    });
    const security = [
      facts.hostKeyType === undefined ? undefined : `host key ${facts.hostKeyType} ${facts.hostKeyFingerprint ?? ''}`.trim(),
      facts.kex === undefined ? undefined : `key exchange ${facts.kex}`,
      facts.cipher === undefined ? undefined : `cipher ${facts.cipher}${facts.mac === undefined ? '' : ` + ${facts.mac}`}`,
    ].filter((p): p is string => p !== undefined);
    const banner = [facts.serverSoftware, facts.banner].filter((p): p is string => p !== undefined).join(' | ');
    return {
      connector: 'sftp',
      description: this.description,
      ...(banner === '' ? {} : { banner }),
      features: facts.extensions,
      capabilities: this.capabilities,
      security: `SSH (${security.join(', ')})`,
    };
  }

  /** Reads the server's clock from the time it gives a small file written in the login folder, removed at once. */
  async probeServer(signal?: AbortSignal): Promise<ServerProbe> {
    const clock = await this.#run('write', '', signal, async (s) => {
      const home = await s.realpath('.');
      const at = (name: string): string => posix.join(home, name);
      return checkClock(
        {
          write: async (name) => {
            const handle = await s.open(at(name), 'w');
            try {
              await s.write(handle, Buffer.from('Ferry reads the server clock from this file’s time\n'), 0);
            } finally {
              await s.close(handle);
            }
          },
          stamp: async (name) => {
            const { mtime } = await s.stat(at(name));
            return mtime === undefined ? undefined : mtime * 1000;
          },
          remove: (name) => s.unlink(at(name)),
        },
        this.#now,
      );
    });
    return { clock };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** Creates `rel` and its missing parents inside the root; the root itself is created but not its parents. */
  async #mkdirs(s: SftpSession, rel: string): Promise<void> {
    const abs = resolveUnderRoot(this.#root, rel);
    try {
      await s.mkdir(abs);
      return;
    } catch (e) {
      const existing = await statOrUndefined(s, abs);
      if (existing !== undefined) {
        if (typeOf(existing) === 'dir') return;
        throw new TransferError('exists', `Cannot create the folder ${abs}: a file stands there`, { path: rel });
      }
      if (rel === '') throw e;
    }
    await this.#mkdirs(s, parentOf(rel));
    try {
      await s.mkdir(abs);
    } catch (e) {
      // Another writer may have created it meanwhile.
      const existing = await statOrUndefined(s, abs);
      if (existing === undefined || typeOf(existing) !== 'dir') throw e;
    }
  }

  /**
   * Runs one operation on a pooled connection and maps whatever it throws. `describe` names the target in
   * messages when the path alone would not (rename).
   */
  async #run<T>(
    op: SftpOperation,
    path: string,
    signal: AbortSignal | undefined,
    fn: (s: SftpSession, abs: string, rel: string) => Promise<T>,
    describe?: (abs: string) => string,
  ): Promise<T> {
    const rel = normalizeRelative(path);
    await this.#ensureRoot(signal);
    const abs = resolveUnderRoot(this.#root, rel);
    const context = { op, target: describe === undefined ? abs : describe(abs), path: rel };
    const lease = await this.#acquire(signal, context);
    try {
      const result = await fn(lease.client, abs, rel);
      this.#giveBack(lease);
      return result;
    } catch (e) {
      const mapped = mapSftpError(e, context);
      this.#giveBack(lease, mapped);
      throw mapped;
    }
  }

  async #acquire(
    signal: AbortSignal | undefined,
    context: { op: SftpOperation; target: string; path: string },
  ): Promise<Lease<SftpSession>> {
    for (;;) {
      if (this.#fatal !== undefined) throw this.#fatal;
      const fatal = this.#fatalAbort.signal;
      let lease: Lease<SftpSession>;
      try {
        lease = await this.#pool.acquire(signal === undefined ? fatal : AbortSignal.any([signal, fatal]));
      } catch (e) {
        // Read through a method: narrowing from the check above would wrongly survive the await.
        const fatalError = this.#fatalError();
        if (fatalError !== undefined) throw fatalError;
        // Failures to connect concern the server, not the file: they keep their own message.
        throw e instanceof TransferError ? e : mapSftpError(e, context);
      }
      // A server may have dropped an idle connection; a fresh one costs less than a failed operation.
      if (!lease.client.closed) return lease;
      lease.discard();
    }
  }

  /** Resolves a root given relative to the login folder ('' is the login folder itself), once. */
  async #ensureRoot(signal: AbortSignal | undefined): Promise<void> {
    if (this.#root.startsWith('/')) return;
    const relative = this.#root;
    this.#rootResolved ??= this.#pool
      .use(async (s) => {
        this.#root = posix.join(await s.realpath('.'), relative).replace(/(.)\/$/, '$1');
      }, signal)
      .catch((e: unknown) => {
        this.#rootResolved = undefined;
        throw e instanceof TransferError ? e : mapSftpError(e, { op: 'stat', target: '.', path: '' });
      });
    await this.#rootResolved;
  }

  #fatalError(): TransferError | undefined {
    return this.#fatal;
  }

  #giveBack(lease: Lease<SftpSession>, error?: unknown): void {
    if (lease.client.closed || (error !== undefined && error !== null && isBroken(error))) lease.discard();
    else lease.release();
  }
}

/**
 * `verifier`, remembering the keys it accepted for as long as this connector lives: a key a person
 * accepted for this once is not asked about again by the pool's next connection to the same server.
 */
function rememberingAccepted(verifier: HostKeyVerifier): HostKeyVerifier {
  const accepted: Buffer[] = [];
  // One check at a time: connections opened together wait for the first answer instead of each asking.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    verify: (host, port, key) => {
      const check = queue.then(async () => {
        if (accepted.some((k) => k.equals(key))) return undefined;
        const refusal = await verifier.verify(host, port, key);
        if (refusal === undefined) accepted.push(Buffer.from(key));
        return refusal;
      });
      queue = check.catch(() => undefined);
      return check;
    },
    knownKeyTypes: async (host, port) => (await verifier.knownKeyTypes?.(host, port)) ?? [],
  };
}

function normalizeRoot(root: string): string {
  if (/[\0\r\n]/.test(root) || root.split('/').includes('..')) {
    throw new TransferError('config', `The SFTP root ${JSON.stringify(root)} contains "..", a line break or NUL`);
  }
  if (!root.startsWith('/')) return root.replace(/^\/+|\/+$/g, '');
  const normal = posix.normalize(root);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

/** Whether a failure leaves the connection in doubt, so it must not serve anyone else. */
function isBroken(e: unknown): boolean {
  return e instanceof TransferError && (e.kind === 'network' || e.kind === 'timeout' || e.kind === 'protocol');
}

function throwIfCancelled(signal: AbortSignal | undefined, abs: string): void {
  if (signal?.aborted === true) throw new TransferError('cancelled', `Cancelled: ${abs}`);
}

function sourceFailure(e: unknown, abs: string, rel: string): TransferError {
  if (e instanceof TransferError) return e;
  const node = mapNodeError(e);
  const why = node?.message ?? (e instanceof Error ? e.message : String(e));
  return new TransferError(node?.kind ?? 'protocol', `Reading the data to upload to ${abs} failed: ${why}`, {
    path: rel,
    cause: e,
  });
}

/** Why a listed name is refused, or undefined. ssh2 decodes names as UTF-8, so U+FFFD marks bytes it could not. */
function nameRefusal(name: string): string | undefined {
  return (
    unsafeNameReason(name) ??
    (name.includes('\uFFFD') ? 'the name is not valid UTF-8, so it cannot be addressed' : undefined)
  );
}

function typeOf(attrs: RemoteAttrs, longname?: string): EntryType {
  const mode = attrs.mode;
  // Some servers send permission bits without the file type; their `ls -l` style long name still has it.
  if (mode === undefined || (mode & S_IFMT) === 0) {
    const c = longname?.[0];
    return c === 'd' ? 'dir' : c === 'l' ? 'link' : 'file';
  }
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return 'dir';
    case S_IFREG:
      return 'file';
    case S_IFLNK:
      return 'link';
    default:
      return 'other';
  }
}

function toEntry(name: string, path: string, kind: 'file' | 'dir', attrs: RemoteAttrs): RemoteEntry {
  return {
    name,
    path,
    kind,
    size: kind === 'dir' ? 0 : (attrs.size ?? -1),
    ...(attrs.mtime === undefined ? {} : { modifiedAt: attrs.mtime * 1000 }),
  };
}

async function statOrUndefined(s: SftpSession, abs: string): Promise<RemoteAttrs | undefined> {
  try {
    return await s.stat(abs);
  } catch (e) {
    if (statusOf(e) === STATUS_NO_SUCH_FILE) return undefined;
    throw e;
  }
}

async function forEachLimited<T>(items: ReadonlyArray<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
