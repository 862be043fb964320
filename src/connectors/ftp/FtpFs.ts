import { posix } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { checkServerIdentity, TLSSocket } from 'node:tls';
import { FTPError, type FileInfo, type FTPResponse } from 'basic-ftp';
import { ClientPool, type Lease } from '../ClientPool.js';
import { isTransferError, TransferError } from '../errors.js';
import { baseName, displayRoot, joinRelative, normalizeRelative, parentOf, resolveUnderRoot, unsafeNameReason } from '../paths.js';
import { checkClock } from '../clockCheck.js';
import type { Capabilities, ClockCheck, ListOptions, ReadOptions, RemoteEntry, RemoteFs, ServerProbe, ServerReport, TlsSessionReuse, WriteOptions } from '../types.js';
import {
  checkPeer,
  describeTrust,
  matchesPin,
  peerFacts,
  pinOf,
  tlsConnectOptions,
  untrustedCertificate,
  UntrustedCertificateError,
  type CertificateAnswer,
  type TlsTrust,
  type UntrustedCertificate,
} from '../../security/tlsTrust.js';
import { FtpClient } from './FtpClient.js';
import { formatFtpTime, parseFtpTime, parseListing, parseMlstReply, toListedName, type ListedName } from './listing.js';
import { isServerReply, mapFtpError, type FtpErrorContext, type FtpOperation } from './mapFtpError.js';
import { passiveTransferStrategy } from './passiveMode.js';

export type FtpSecurity = 'none' | 'explicit' | 'implicit';

export interface FtpOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /**
   * Remote folder every path is relative to: absolute, or relative to the folder the user lands in
   * after login ('' is that folder).
   */
  readonly root: string;
  /**
   * `explicit`: AUTH TLS on the normal port; a server that refuses it is an error, never a reason to
   * continue in plain text. `implicit`: TLS from the first byte (usually port 990). Data connections
   * are always protected (PROT P) when TLS is on.
   */
  readonly security: FtpSecurity;
  /** How the server's certificate is verified; ignored for `security: 'none'`. */
  readonly trust: TlsTrust;
  /**
   * Asks a person about a certificate `trust` refuses (self-signed, unknown CA); absent, it is refused.
   * Accepted (once or trusted), this connector pins it for its life; remembering it is the caller's.
   */
  readonly confirmCertificate?: (certificate: UntrustedCertificate) => Promise<CertificateAnswer>;
  /** Connections opened at most, each running one command at a time. Default 4. */
  readonly maxConnections?: number;
  /** Inactivity timeout for commands and transfers in ms (0: none). Default 30 000. */
  readonly timeoutMs?: number;
  /** This computer's clock, which the server's is compared with; a test sets it apart from the server's. */
  readonly now?: () => number;
}

const DEFAULT_MAX_CONNECTIONS = 4;
const DEFAULT_TIMEOUT_MS = 30_000;
/** How long to wait for a reply the server sent after it broke a transfer off (see `lateReply`). */
const LATE_REPLY_WAIT_MS = 5_000;
/** Buffer between the data connection and a slow reader: large enough to keep a fast link busy. */
const READ_BUFFER_BYTES = 1024 * 1024;

/** What the first login learned about the server; the same for every connection of the pool. */
interface ServerFacts {
  readonly banner: string;
  readonly features: ReadonlyMap<string, string>;
  readonly loginDir: string;
  /** The absolute root, resolved against `loginDir`. */
  readonly root: string;
  readonly tls?: { readonly protocol: string; readonly cipher: string; readonly fingerprint256?: string };
}

interface Settings {
  readonly host: string;
  readonly port: number;
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly root: string;
  readonly security: FtpSecurity;
  readonly trust: TlsTrust;
  readonly timeoutMs: number;
}

/** A permanent refusal (5xx), returned instead of thrown so that probing code stays linear. */
interface Refusal {
  readonly refused: FTPError;
}

/**
 * FTP and FTPS on basic-ftp. One command runs at a time per connection, so concurrency comes from a
 * pool of logged-in clients (`maxConnections`), opened on first use. Every command names an absolute
 * path under the root, so the working directory of a pooled client never matters (listing changes into
 * the folder first, because vsftpd answers LIST of a missing folder with an empty listing and some
 * servers glob LIST arguments).
 *
 * Capabilities that depend on the server's FEAT reply (`mtimePrecisionMs`, and with it
 * `setModifiedTime`) are conservative until the first login and exact afterwards; any call, or
 * `report()`, logs in.
 */
export class FtpFs implements RemoteFs {
  readonly kind = 'ftp' as const;
  readonly description: string;
  readonly storageKey: string;

  readonly #settings: Settings;
  readonly #confirmCertificate: FtpOptions['confirmCertificate'];
  /** The settings' trust, or a pin on the certificate a person accepted. */
  #trust: TlsTrust;
  readonly #maxConnections: number;
  readonly #now: () => number;
  readonly #pool: ClientPool<FtpClient>;
  #facts: ServerFacts | undefined;

  /** Checks the options (TransferError kind 'config'); connects lazily. */
  constructor(options: FtpOptions) {
    this.#settings = validate(options);
    this.#trust = options.trust;
    this.#now = options.now ?? Date.now;
    this.#confirmCertificate = options.confirmCertificate;
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const settings = this.#settings;
    const scheme = settings.security === 'implicit' ? 'ftps' : settings.security === 'explicit' ? 'ftpes' : 'ftp';
    const shownRoot = displayRoot(settings.root);
    this.description = `${scheme}://${encodeURIComponent(settings.username)}@${settings.server}${shownRoot.replace(/\/$/, '') || '/'}`;
    // FTP and FTPS on one server reach the same files, whatever the user.
    this.storageKey = `ftp://${settings.server.toLowerCase()}`;
    this.#pool = new ClientPool<FtpClient>({
      maxClients: this.#maxConnections,
      leasesPerClient: 1,
      create: async (signal) => {
        const { client, facts } = await this.#openClient(signal);
        this.#facts ??= facts;
        return client;
      },
      destroy: (client) => {
        client.close();
        return Promise.resolve();
      },
      isBroken: (e) => !isServerReply(e),
      isServerFull: (e) => e instanceof TransferError && e.kind === 'rateLimited',
    });
  }

  /** A client logged in under the current trust; a refused certificate is put to a person first, if one may be asked. */
  async #openClient(signal?: AbortSignal): Promise<{ client: FtpClient; facts: ServerFacts }> {
    try {
      return await openClient({ ...this.#settings, trust: this.#trust }, signal);
    } catch (e) {
      const confirm = this.#confirmCertificate;
      if (!(e instanceof UntrustedCertificateError) || confirm === undefined) throw e;
      const { certificate } = e;
      // Another client of the pool may have had this very certificate accepted meanwhile.
      const accepted = this.#trust.kind === 'pin' && matchesPin(this.#trust.pins, { authorized: false, fingerprint256: certificate.fingerprint });
      if (!accepted) {
        const answer = await confirm(certificate);
        if (answer === 'refuse') {
          throw new TransferError('certificate', `Ferry did not connect to ${this.#settings.server}: its certificate (SHA-256 ${certificate.fingerprint}) was not accepted`, { cause: e });
        }
        this.#trust = pinOf(certificate);
      }
      return openClient({ ...this.#settings, trust: this.#trust }, signal);
    }
  }

  get capabilities(): Capabilities {
    const features = this.#facts?.features;
    return {
      rename: true,
      // REST STREAM is all but universal; a server without it says so in FEAT.
      resume: features === undefined || features.has('REST'),
      hashes: [],
      mtimePrecisionMs: features?.has('MFMT') === true ? 1000 : 0,
      caseInsensitive: false,
      maxConcurrency: this.#maxConnections,
    };
  }

  /** Present once a login has shown that the server offers MFMT (whole seconds). */
  get setModifiedTime(): ((path: string, modifiedAt: number) => Promise<void>) | undefined {
    return this.#facts?.features.has('MFMT') === true ? (path, modifiedAt) => this.#setModifiedTime(path, modifiedAt) : undefined;
  }

  /** Connections currently open. */
  get openConnections(): number {
    return this.#pool.size;
  }

  /** Logs in if needed and returns the banner, FEAT lines and TLS parameters, for `ferry connection test`. */
  async report(signal?: AbortSignal): Promise<ServerReport> {
    const facts = await this.#run('command', '', signal, () => Promise.resolve(this.#requireFacts()));
    const tls = facts.tls;
    const security =
      this.#settings.security === 'none'
        ? 'plain FTP (no encryption)'
        : `${this.#settings.security} FTPS, ${tls?.protocol ?? '?'} ${tls?.cipher ?? '?'}, certificate SHA-256 ${tls?.fingerprint256 ?? '?'}, ${describeTrust(this.#trust)}`;
    return {
      connector: 'ftp',
      description: this.description,
      banner: facts.banner,
      features: [...facts.features].map(([k, v]) => (v === '' ? k : `${k} ${v}`)),
      capabilities: this.capabilities,
      security,
    };
  }

  /** Tries TLS session reuse on data connections (FTPS) and reads the server's clock: see `RemoteFs.probeServer`. */
  async probeServer(signal?: AbortSignal): Promise<ServerProbe> {
    const tlsSessionReuse = this.#settings.security === 'none' ? undefined : await this.#probeTlsSessionReuse(signal);
    return { ...(tlsSessionReuse === undefined ? {} : { tlsSessionReuse }), clock: await this.#checkClock(signal) };
  }

  /**
   * Lists the root twice on one client: offering the sign-in's TLS session (was it resumed?), then, where
   * it was, with a fresh one (is resuming required?). The client is closed afterwards, its data
   * connections having been set up for the probe.
   */
  async #probeTlsSessionReuse(signal: AbortSignal | undefined): Promise<TlsSessionReuse> {
    const lease = await this.#lease('list', '', signal);
    const client = lease.client;
    const checkDataPeer = (socket: TLSSocket): TransferError | undefined => checkPeer(this.#trust, peerFacts(socket), this.#settings.server);
    try {
      await client.send(`CWD ${this.#abs('')}`);
      const offered: { resumed?: boolean } = {};
      client.prepareTransfer = passiveTransferStrategy(checkDataPeer, { onHandshake: (resumed) => (offered.resumed = resumed) });
      await client.list();
      if (offered.resumed !== true) return 'unsupported';
      client.prepareTransfer = passiveTransferStrategy(checkDataPeer, { withholdSession: true });
      // The one difference from the listing that just worked is the session: its refusal is the server insisting.
      return await client.list().then(
        () => 'supported' as const,
        () => 'required' as const,
      );
    } catch (e) {
      throw mapFtpError(e, this.#context('list', ''));
    } finally {
      lease.discard();
    }
  }

  /** The server's clock, from the time it gives a small file written in the login folder (removed at once). */
  #checkClock(signal: AbortSignal | undefined): Promise<ClockCheck> {
    return this.#run(
      'write',
      '',
      signal,
      (client) => {
        const { loginDir, features } = this.#requireFacts();
        const at = (name: string): string => posix.join(loginDir, name);
        return checkClock(
          {
            write: async (name) => {
              await client.uploadFrom(Readable.from([Buffer.from('Ferry reads the server clock from this file’s time\n')]), at(name));
            },
            stamp: async (name) => {
              if (features.has('MDTM')) return parseFtpTime((await client.send(`MDTM ${at(name)}`)).message.slice(4));
              if (features.has('MLST')) return parseMlstReply((await client.send(`MLST ${at(name)}`)).message)?.modifiedAt;
              return undefined;
            },
            remove: async (name) => {
              await client.send(`DELE ${at(name)}`);
            },
          },
          this.#now,
        );
      },
      true,
    );
  }

  async list(dir: string, opts: ListOptions = {}): Promise<ReadonlyArray<RemoteEntry>> {
    const rel = this.#relative(dir, 'list');
    const { entries, refused } = await this.#run('list', rel, opts.signal, async (client) => {
      const abs = this.#abs(rel);
      await client.send(`CWD ${abs}`);
      const infos = await this.#listHere(client, rel);
      return this.#toEntries(client, rel, abs, infos);
    });
    // Reported after the connection went back to the pool: the callback may take its time.
    for (const r of refused) opts.onUnsafeName?.(r.name, r.reason);
    return entries;
  }

  async stat(path: string, signal?: AbortSignal): Promise<RemoteEntry | undefined> {
    const rel = this.#relative(path, 'stat');
    const found = await this.#run('stat', rel, signal, (client) => this.#lookup(client, rel, this.#abs(rel)));
    if (found === undefined) return undefined;
    return toEntry(rel, found);
  }

  /** FTP cannot resolve links: the absolute path, resolved against the login folder, is the key. */
  async fileKey(path: string, signal?: AbortSignal): Promise<string | undefined> {
    const rel = this.#relative(path, 'stat');
    return this.#run('stat', rel, signal, async (client) => {
      const abs = this.#abs(rel);
      return (await this.#lookup(client, rel, abs)) === undefined ? undefined : abs;
    });
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const rel = this.#relative(path, 'read');
    if (rel === '') throw new TransferError('unsafeName', 'Reading "/": the root is a folder, not a file', { path: rel });
    const offset = opts.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TransferError('config', `Reading ${JSON.stringify(rel)}: offset ${offset} is not a byte position`, { path: rel });
    }
    const signal = opts.signal;
    const lease = await this.#lease('read', rel, signal);
    return this.#startDownload(lease, rel, this.#abs(rel), offset, signal);
  }

  async write(path: string, data: Readable, opts: WriteOptions = {}): Promise<void> {
    const rel = this.#relative(path, 'write');
    if (rel === '') throw new TransferError('unsafeName', 'Writing "/": the root is a folder, not a file', { path: rel });
    try {
      await this.#run(
        'write',
        rel,
        opts.signal,
        async (client) => {
          const abs = this.#abs(rel);
          try {
            if (opts.append === true) await client.appendFrom(data, abs);
            else await client.uploadFrom(data, abs);
          } catch (e) {
            throw await lateReply(client, e);
          }
        },
        true,
      );
    } catch (e) {
      // The stream belongs to this call: a refused upload must not leave its file handle open.
      data.destroy();
      throw e;
    }
  }

  async mkdir(path: string): Promise<void> {
    const rel = this.#relative(path, 'mkdir');
    await this.#run('mkdir', rel, undefined, async (client) => {
      const abs = this.#abs(rel);
      if (await isDir(client, abs)) return;
      if (!('refused' in (await attempt(client, `MKD ${abs}`)))) return;
      // A parent is missing (or the name is taken): create from the top down, checking each step.
      const segments = abs.split('/').filter((s) => s !== '');
      let prefix = '';
      for (const segment of segments) {
        prefix = `${prefix}/${segment}`;
        if (await isDir(client, prefix)) continue;
        const made = await attempt(client, `MKD ${prefix}`);
        if (!('refused' in made) || (await isDir(client, prefix))) continue;
        const where = this.#relativeOf(prefix);
        if ((await probe(client, prefix)) === 'file') {
          throw new TransferError('exists', `Creating folder ${JSON.stringify(where)} on ${this.#settings.server} failed: a file has that name`, {
            path: where,
          });
        }
        throw mapFtpError(made.refused, this.#context('mkdir', where));
      }
    });
  }

  async remove(path: string): Promise<void> {
    const rel = this.#relative(path, 'remove');
    await this.#run('remove', rel, undefined, async (client) => {
      const abs = this.#abs(rel);
      const res = await attempt(client, `DELE ${abs}`);
      if (!('refused' in res)) return;
      const kind = await probe(client, abs);
      if (kind === 'dir') {
        throw new TransferError('exists', `Removing ${JSON.stringify(rel)} on ${this.#settings.server} failed: it is a folder`, { path: rel });
      }
      throw mapFtpError(res.refused, { ...this.#context('remove', rel), exists: kind === 'file' });
    });
  }

  async rmdir(path: string): Promise<void> {
    const rel = this.#relative(path, 'rmdir');
    if (rel === '') throw new TransferError('unsafeName', 'Removing the root folder is refused', { path: rel });
    await this.#run('rmdir', rel, undefined, async (client) => {
      const abs = this.#abs(rel);
      const res = await attempt(client, `RMD ${abs}`);
      if (!('refused' in res)) return;
      const kind = await probe(client, abs);
      if (kind === 'dir') {
        await client.send(`CWD ${abs}`);
        if ((await this.#listHere(client, rel)).length > 0) {
          throw new TransferError('exists', `Removing folder ${JSON.stringify(rel)} on ${this.#settings.server} failed: it is not empty`, {
            path: rel,
          });
        }
      }
      throw mapFtpError(res.refused, { ...this.#context('rmdir', rel), exists: kind !== undefined });
    });
  }

  /** RNFR/RNTO. Whether an existing target is replaced is the server's choice (vsftpd and pure-ftpd replace it). */
  async rename(from: string, to: string): Promise<void> {
    const relFrom = this.#relative(from, 'rename');
    const relTo = this.#relative(to, 'rename');
    await this.#run('rename', relFrom, undefined, async (client) => {
      const absFrom = this.#abs(relFrom);
      const absTo = this.#abs(relTo);
      const first = await attempt(client, `RNFR ${absFrom}`);
      if ('refused' in first) throw mapFtpError(first.refused, { ...this.#context('rename', relFrom), target: relTo });
      const second = await attempt(client, `RNTO ${absTo}`);
      if ('refused' in second) throw mapFtpError(second.refused, { ...this.#context('renameTo', relFrom), target: relTo });
    });
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #setModifiedTime(path: string, modifiedAt: number): Promise<void> {
    const rel = this.#relative(path, 'setModifiedTime');
    await this.#run('setModifiedTime', rel, undefined, async (client) => {
      await client.send(`MFMT ${formatFtpTime(modifiedAt)} ${this.#abs(rel)}`);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  #startDownload(lease: Lease<FtpClient>, rel: string, abs: string, offset: number, signal: AbortSignal | undefined): Promise<Readable> {
    const client = lease.client;
    return new Promise<Readable>((resolveOpen, rejectOpen) => {
      let opened = false;
      let finished = false;
      let cancelled = false;
      let resumeSink: (() => void) | undefined;
      const onAbort = (): void => {
        out.destroy(new TransferError('cancelled', `Reading ${JSON.stringify(rel)} was cancelled`, { path: rel }));
      };
      const out = new Readable({
        highWaterMark: READ_BUFFER_BYTES,
        read: () => {
          const resume = resumeSink;
          resumeSink = undefined;
          resume?.();
        },
        destroy: (err, cb) => {
          signal?.removeEventListener('abort', onAbort);
          if (!finished) {
            // The transfer is cut off mid-way: the control connection's state is unknown, so the
            // client is closed (which also stops the server's sending) and not returned to the pool.
            cancelled = true;
            client.close();
          }
          cb(err);
        },
      });
      // basic-ftp ends its destination whether the transfer succeeded or not; this sink keeps the
      // decision here so that a reader never sees a clean end of a truncated file.
      const sink = new Writable({
        write: (chunk: Buffer, _encoding, cb) => {
          if (out.destroyed) {
            cb(new Error('The reader went away'));
          } else if (out.push(chunk)) {
            cb();
          } else {
            resumeSink = () => cb();
          }
        },
      });
      const open = (): void => {
        if (opened) return;
        opened = true;
        resolveOpen(out);
      };
      if (signal?.aborted === true) {
        lease.release();
        rejectOpen(new TransferError('cancelled', `Reading ${JSON.stringify(rel)} was cancelled`, { path: rel }));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      // The first progress report comes when the server accepted RETR and the data flows: that is
      // when "the file is open", so a missing file rejects `read()` instead of failing the stream.
      client.trackProgress((info) => {
        if (info.type === 'download') open();
      });
      // Settled by the handlers below, which own the lease from here on.
      void client.downloadTo(sink, abs, offset).then(
        () => {
          finished = true;
          client.trackProgress();
          lease.release();
          open();
          out.push(null);
        },
        async (e: unknown) => {
          finished = true;
          client.trackProgress();
          // vsftpd says "550 Failed to open file." for missing, unreadable and folder alike: look.
          const found = !opened && replyCodeOf(e) === 550 && !client.closed ? await probe(client, abs).catch(() => 'unknown' as const) : 'unknown';
          if (client.closed || !isServerReply(e)) lease.discard();
          else lease.release();
          const err =
            found === 'dir'
              ? new TransferError('exists', `Reading ${JSON.stringify(rel)} on ${this.#settings.server} failed: it is a folder`, { path: rel, cause: e })
              : mapFtpError(e, {
                  ...this.#context('read', rel),
                  cancelled: cancelled || signal?.aborted === true,
                  ...(found === 'unknown' ? {} : { exists: found === 'file' }),
                });
          signal?.removeEventListener('abort', onAbort);
          if (!opened) {
            opened = true;
            rejectOpen(err);
            out.destroy();
          } else {
            out.destroy(err);
          }
        },
      );
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Listing and lookups

  async #toEntries(
    client: FtpClient,
    rel: string,
    abs: string,
    infos: ReadonlyArray<FileInfo>,
  ): Promise<{ entries: RemoteEntry[]; refused: Array<{ name: string; reason: string }> }> {
    const entries: RemoteEntry[] = [];
    const refused: Array<{ name: string; reason: string }> = [];
    for (const info of infos) {
      const listed = toListedName(info);
      const reason = unsafeNameReason(listed.name);
      if (reason !== undefined) {
        refused.push({ name: listed.name, reason });
        continue;
      }
      let resolved: ListedName | undefined = listed;
      if (listed.type === 'symlink' || listed.type === 'unknown') {
        // A link's target type is not in the listing; a link that leads nowhere reachable is left out.
        resolved = await this.#resolveLink(client, posix.join(abs, listed.name), listed);
      }
      if (resolved !== undefined) entries.push(toEntry(joinRelative(rel, listed.name), resolved));
    }
    return { entries, refused };
  }

  async #resolveLink(client: FtpClient, abs: string, listed: ListedName): Promise<ListedName | undefined> {
    if (await isDir(client, abs)) return { ...listed, type: 'dir', size: -1 };
    const size = await attempt(client, `SIZE ${abs}`);
    if ('refused' in size) return listed.type === 'unknown' ? { ...listed, type: 'file' } : undefined;
    return { ...listed, type: 'file', size: parseSize(size.message) ?? -1 };
  }

  /** MLST when offered, else SIZE (+ MDTM) and CWD, else the parent's listing. */
  async #lookup(client: FtpClient, rel: string, abs: string): Promise<ListedName | undefined> {
    const features = this.#requireFacts().features;
    if (rel === '') return (await isDir(client, abs)) ? { name: '', type: 'dir', size: -1 } : undefined;
    if (features.has('MLST')) {
      const res = await attempt(client, `MLST ${abs}`);
      if (!('refused' in res)) {
        const facts = parseMlstReply(res.message);
        if (facts !== undefined && (facts.type === 'file' || facts.type === 'dir')) {
          return facts.type === 'dir' ? { ...facts, size: -1 } : facts;
        }
        if (facts !== undefined) return this.#resolveLink(client, abs, facts);
      } else if (res.refused.code === 550) {
        return undefined;
      }
    }
    if (features.has('SIZE')) {
      const size = await attempt(client, `SIZE ${abs}`);
      if (!('refused' in size)) {
        const bytes = parseSize(size.message) ?? -1;
        let modifiedAt: number | undefined;
        if (features.has('MDTM')) {
          const mdtm = await attempt(client, `MDTM ${abs}`);
          if (!('refused' in mdtm)) modifiedAt = parseFtpTime(mdtm.message.slice(4));
        }
        return { name: baseName(rel), type: 'file', size: bytes, ...(modifiedAt === undefined ? {} : { modifiedAt }) };
      }
      if (size.refused.code === 550) return (await isDir(client, abs)) ? { name: baseName(rel), type: 'dir', size: -1 } : undefined;
    }
    const parentAbs = this.#abs(parentOf(rel));
    if (!(await isDir(client, parentAbs))) return undefined;
    const name = baseName(rel);
    const match = (await this.#listHere(client, parentOf(rel))).find((info) => info.name === name);
    if (match === undefined) return undefined;
    const listed = toListedName(match);
    return listed.type === 'file' || listed.type === 'dir' ? listed : this.#resolveLink(client, abs, listed);
  }

  /** Lists the working folder, refusing a listing the server says it cut short. */
  async #listHere(client: FtpClient, rel: string): Promise<FileInfo[]> {
    const infos = await client.list();
    const closing = client.lastReply?.message ?? '';
    if (/truncat/i.test(closing)) {
      throw new TransferError(
        'unsupported',
        `Listing ${JSON.stringify(rel === '' ? '/' : rel)} on ${this.#settings.server} is incomplete: the server replied "${closing.trim()}". ` +
          'Raise its listing limit (pure-ftpd: -L) or split the folder; a partial listing would make files look absent.',
        { path: rel },
      );
    }
    return infos;
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  #relative(path: string, op: FtpOperation): string {
    try {
      return normalizeRelative(path);
    } catch (e) {
      throw mapFtpError(e, this.#context(op, path));
    }
  }

  /** Only valid while a client is leased: a relative root is known after the first login. */
  #abs(rel: string): string {
    return resolveUnderRoot(this.#requireFacts().root, rel);
  }

  #requireFacts(): ServerFacts {
    if (this.#facts === undefined) throw new Error('FtpFs used a path before the first login');
    return this.#facts;
  }

  /** The root-relative form of an absolute path produced by `#abs` (or of one of its ancestors). */
  #relativeOf(abs: string): string {
    const rel = posix.relative(this.#requireFacts().root, abs);
    return rel.startsWith('..') ? abs : rel;
  }

  #context(op: FtpOperation, path?: string): FtpErrorContext {
    return { op, server: this.#settings.server, secrets: [this.#settings.password], ...(path === undefined ? {} : { path }) };
  }

  async #lease(op: FtpOperation, rel: string, signal: AbortSignal | undefined): Promise<Lease<FtpClient>> {
    for (;;) {
      let lease: Lease<FtpClient>;
      try {
        lease = await this.#pool.acquire(signal);
      } catch (e) {
        throw mapFtpError(e, { ...this.#context(op, rel), cancelled: signal?.aborted === true });
      }
      // A pooled client the server hung up on while idle (idle timeout) is noticed here, not mid-command.
      if (!lease.client.closed) return lease;
      lease.discard();
    }
  }

  /**
   * Runs `fn` on a leased client. The client goes back to the pool after success or after a plain
   * server refusal; it is closed after anything that may have left the control connection out of step
   * (a broken socket, a cancelled command, a failed transfer whose final reply is still due).
   */
  async #run<T>(op: FtpOperation, rel: string, signal: AbortSignal | undefined, fn: (client: FtpClient) => Promise<T>, transfer = false): Promise<T> {
    const lease = await this.#lease(op, rel, signal);
    const client = lease.client;
    const onAbort = (): void => client.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await fn(client);
      lease.release();
      return result;
    } catch (e) {
      const inStep = !client.closed && (isServerReply(e) || (!transfer && isTransferError(e)));
      if (inStep) lease.release();
      else lease.discard();
      throw mapFtpError(e, { ...this.#context(op, rel), cancelled: signal?.aborted === true });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

// -----------------------------------------------------------------------------------------------
// Connecting

function validate(options: FtpOptions): Settings {
  const bad = (why: string): TransferError => new TransferError('config', `FTP settings: ${why}`);
  if (options.host.trim() === '' || /[\s/]/.test(options.host)) throw bad(`${JSON.stringify(options.host)} is not a host name or address`);
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) throw bad(`port ${options.port} is out of range`);
  if (/[\r\n\0]/.test(options.username)) throw bad('the user name contains a line break or NUL');
  if (/[\r\n\0]/.test(options.password)) throw bad('the password contains a line break or NUL');
  if (/[\r\n\0]/.test(options.root)) throw bad('the root folder contains a line break or NUL');
  const max = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!Number.isInteger(max) || max < 1) throw bad(`maxConnections ${max} must be a whole number of at least 1`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw bad(`timeoutMs ${timeoutMs} must be 0 or more`);
  if (options.security !== 'none' && options.security !== 'explicit' && options.security !== 'implicit') {
    throw bad(`unknown security ${JSON.stringify(options.security)}`);
  }
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port: options.port,
    server: `${hostPart}:${options.port}`,
    username: options.username,
    password: options.password,
    root: options.root,
    security: options.security,
    trust: options.trust,
    timeoutMs,
  };
}

function resolveRoot(root: string, loginDir: string): string {
  const joined = posix.normalize(root.startsWith('/') ? root : posix.join(loginDir, root));
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/**
 * Opens one logged-in client. Order matters for secrets: TCP → TLS (implicit, or AUTH TLS which must
 * succeed) → certificate check → only then USER/PASS. Then binary mode, UTF-8, and PROT P, which must
 * succeed too: data never travels in clear on a TLS session.
 */
async function openClient(settings: Settings, signal?: AbortSignal): Promise<{ client: FtpClient; facts: ServerFacts }> {
  const client = new FtpClient(settings.timeoutMs);
  let stage: FtpOperation = 'connect';
  const onAbort = (): void => client.close();
  signal?.throwIfAborted();
  signal?.addEventListener('abort', onAbort, { once: true });
  const checkTls = (socket: TLSSocket): TransferError | undefined => checkPeer(settings.trust, peerFacts(socket), settings.server);
  try {
    let welcome: FTPResponse;
    if (settings.security === 'implicit') {
      welcome = await client.connectImplicitTLS(settings.host, settings.port, tlsConnectOptions(settings.trust, settings.host));
    } else {
      welcome = await client.connect(settings.host, settings.port);
      client.ftp.socket.setNoDelay(true);
      if (settings.security === 'explicit') {
        stage = 'tls';
        try {
          await client.useTLS(tlsConnectOptions(settings.trust, settings.host));
        } catch (e) {
          if (!(e instanceof FTPError)) throw e;
          throw new TransferError(
            'config',
            `The server ${settings.server} refused AUTH TLS ("${e.message.trim()}"): it does not offer explicit FTPS. ` +
              'Ferry does not fall back to plain FTP; choose implicit FTPS or, if the server only speaks plain FTP and that is acceptable, plain FTP.',
            { cause: e },
          );
        }
      }
    }
    const control = client.ftp.socket;
    let tls: ServerFacts['tls'];
    if (settings.security !== 'none') {
      stage = 'tls';
      if (!(control instanceof TLSSocket)) throw new TransferError('config', `The connection to ${settings.server} is not encrypted`);
      const refusal = checkTls(control);
      if (refusal !== undefined) {
        if (settings.trust.kind === 'pin') throw refusal;
        const nameMatches = checkServerIdentity(settings.host, control.getPeerCertificate()) === undefined;
        throw new UntrustedCertificateError(refusal, untrustedCertificate(peerFacts(control), settings.host, settings.port, nameMatches));
      }
      const cipher = control.getCipher();
      tls = {
        protocol: control.getProtocol() ?? 'TLS',
        cipher: cipher.standardName ?? cipher.name,
        fingerprint256: control.getPeerCertificate().fingerprint256,
      };
    }
    control.setNoDelay(true);
    stage = 'login';
    // Some servers only accept non-ASCII user names after this; a refusal is harmless.
    await client.sendIgnoringError('OPTS UTF8 ON');
    await client.login(settings.username, settings.password);
    stage = 'connect';
    const features = await client.features();
    await client.send('TYPE I');
    if (features.has('UTF8')) await client.sendIgnoringError('OPTS UTF8 ON');
    if (features.has('MLST')) {
      client.availableListCommands = ['MLSD', 'LIST -a', 'LIST'];
      await client.sendIgnoringError('OPTS MLST type;size;modify;');
    } else {
      client.availableListCommands = ['LIST -a', 'LIST'];
    }
    if (settings.security !== 'none') {
      stage = 'tls';
      await client.sendIgnoringError('PBSZ 0');
      const prot = await client.sendIgnoringError('PROT P');
      if (prot.code >= 400) {
        throw new TransferError('config', `The server ${settings.server} refused to protect data connections ("${prot.message.trim()}")`);
      }
    }
    client.prepareTransfer = passiveTransferStrategy(checkTls);
    client.parseList = parseListing;
    const loginDir = await client.pwd();
    const root = resolveRoot(settings.root, loginDir);
    return { client, facts: { banner: welcome.message.trim(), features, loginDir, root, ...(tls === undefined ? {} : { tls }) } };
  } catch (e) {
    client.close();
    throw mapFtpError(e, {
      op: stage,
      server: settings.server,
      secrets: [settings.password],
      cancelled: signal?.aborted === true,
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

// -----------------------------------------------------------------------------------------------
// Small protocol helpers

/** Sends a command; a permanent refusal (5xx) is returned, anything else (4xx, broken socket) thrown. */
async function attempt(client: FtpClient, command: string): Promise<FTPResponse | Refusal> {
  try {
    return await client.send(command);
  } catch (e) {
    if (e instanceof FTPError && e.code >= 500) return { refused: e };
    throw e;
  }
}

async function isDir(client: FtpClient, abs: string): Promise<boolean> {
  return !('refused' in (await attempt(client, `CWD ${abs}`)));
}

/** Whether something exists at `abs`, and what: SIZE answers for files, CWD for folders. */
async function probe(client: FtpClient, abs: string): Promise<'file' | 'dir' | undefined> {
  if (!('refused' in (await attempt(client, `SIZE ${abs}`)))) return 'file';
  return (await isDir(client, abs)) ? 'dir' : undefined;
}

function parseSize(message: string): number | undefined {
  const n = Number.parseInt(message.slice(4), 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function replyCodeOf(e: unknown): number | undefined {
  return e instanceof FTPError ? e.code : undefined;
}

/**
 * After a transfer broke off on the data connection, the server's explanation (pure-ftpd's
 * "552 Quota exceeded", "451 disk full") may still be on its way on the control connection. A NOOP
 * collects it: the first reply that arrives is taken as the NOOP's. The client is closed afterwards
 * because the NOOP's own reply may still be pending.
 */
async function lateReply(client: FtpClient, original: unknown): Promise<unknown> {
  // Our own refusals (a data connection's certificate) and the caller's stream errors stay the cause.
  if (isServerReply(original) || isTransferError(original) || client.closed) return original;
  let timer: NodeJS.Timeout | undefined;
  try {
    const noop = client.send('NOOP').then(
      () => original,
      (e: unknown) => (e instanceof FTPError ? e : original),
    );
    const wait = new Promise<unknown>((resolve) => {
      timer = setTimeout(() => resolve(original), LATE_REPLY_WAIT_MS);
    });
    return await Promise.race([noop, wait]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    client.close();
  }
}

function toEntry(rel: string, listed: ListedName): RemoteEntry {
  return {
    name: baseName(rel),
    path: rel,
    kind: listed.type === 'dir' ? 'dir' : 'file',
    size: listed.type === 'dir' ? -1 : listed.size,
    ...(listed.modifiedAt === undefined ? {} : { modifiedAt: listed.modifiedAt }),
  };
}
