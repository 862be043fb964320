import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TransferError } from '../connectors/errors.js';

/**
 * What happens when a server presents a key that no known_hosts file mentions for it.
 * - 'strict': refuse (OpenSSH `StrictHostKeyChecking=yes`).
 * - 'accept-new': record it in Ferry's file and continue (OpenSSH `StrictHostKeyChecking=accept-new`).
 * A key that differs from a known one is refused under both policies.
 */
export type HostKeyPolicy = 'strict' | 'accept-new';

/** Decides whether an SSH server may be trusted, before any credential is sent to it. */
export interface HostKeyVerifier {
  /**
   * Checks the key a server presented during the handshake (`key` is the SSH wire-format public key blob).
   * Resolves to undefined when the key is trusted, or to the refusal (kind 'hostKey', fatal) otherwise;
   * never rejects.
   */
  verify(host: string, port: number, key: Buffer): Promise<TransferError | undefined>;
  /**
   * Key types already trusted for this server (e.g. 'ssh-ed25519', 'ssh-rsa'), so that a client can ask the
   * server for one of those first: a server that holds keys of several types would otherwise look "changed".
   */
  knownKeyTypes?(host: string, port: number): Promise<ReadonlyArray<string>>;
}

export interface KnownHostsOptions {
  /** Ferry's own known_hosts file (OpenSSH format). Read, and written when a key is accepted or recorded. */
  readonly path: string;
  /** Further files trusted but never written, e.g. the user's `~/.ssh/known_hosts`. Absent files are skipped. */
  readonly readOnlyPaths?: ReadonlyArray<string>;
  readonly policy: HostKeyPolicy;
  /** Write new entries as `|1|salt|hash` (OpenSSH `HashKnownHosts yes`) so the file does not reveal host names. */
  readonly hashNewEntries?: boolean;
  /**
   * Asks a person (at a terminal, or in the window) whether to trust an unknown key under the 'strict'
   * policy (what OpenSSH asks on first contact). Absent in non-interactive use, where an unknown key is refused.
   */
  readonly confirmUnknown?: (question: UnknownHostKey) => Promise<HostKeyAnswer>;
}

/** Trust the key from now on (recorded), accept it for this connection only, or refuse to connect. */
export type HostKeyAnswer = 'trust' | 'once' | 'refuse';

/** What a person needs to decide about a key seen for the first time. */
export interface UnknownHostKey {
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  readonly fingerprint: string;
}

/** One usable line of a known_hosts file. */
interface HostLine {
  readonly marker: 'revoked' | undefined;
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
  readonly file: string;
  readonly line: number;
}

/** The files OpenSSH itself trusts by default; pass them as `readOnlyPaths` to reuse what the user already accepted. */
export function defaultReadOnlyKnownHostsPaths(): ReadonlyArray<string> {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/** The OpenSSH fingerprint of a public key blob: `SHA256:` and unpadded base64, as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (e.g. 'ssh-ed25519'), or undefined when the blob is malformed. */
export function keyTypeOf(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > key.length) return undefined;
  const type = key.toString('latin1', 4, 4 + len);
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

/**
 * Reads a public key in OpenSSH text form (`ssh-ed25519 AAAA… comment`, as in a `.pub` file or
 * `ssh-keyscan` output without the host) into its blob. Throws kind 'validation' when it is not one.
 */
export function parsePublicKeyLine(line: string): Buffer {
  const [type, data] = line.trim().split(/\s+/);
  const key = type === undefined || data === undefined ? undefined : decodeKey(type, data);
  if (key === undefined) throw new TransferError('validation', 'Not an OpenSSH public key (expected "<type> <base64>")');
  return key;
}

/** The name OpenSSH looks up for a server: the bare host on port 22, `[host]:port` elsewhere. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/**
 * SSH host-key verification with OpenSSH's known_hosts files and rules: plain and hashed (`|1|salt|hash`)
 * host fields, `[host]:port` for other ports, `*`/`?` wildcards and `!` negation, `@revoked` honoured
 * (a revoked key is refused for every host), `@cert-authority` lines ignored (host certificates are
 * not supported, so such a line can never vouch for a key).
 *
 * A server is "known" when any line of any file names it. A known server whose key matches none of its
 * lines, whatever their key type, counts as changed and is refused under every policy: the message names
 * the expected and presented fingerprints and the file holding the old entry.
 *
 * Files are re-read on every check, so keys recorded by another Ferry process or by `ssh` itself are
 * seen at once; the files are small and a check happens once per connection.
 */
export class KnownHosts implements HostKeyVerifier {
  readonly #opts: KnownHostsOptions;
  /** Serialises check-then-append so parallel first connections record a new key once. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: KnownHostsOptions) {
    this.#opts = opts;
  }

  get policy(): HostKeyPolicy {
    return this.#opts.policy;
  }

  async verify(host: string, port: number, key: Buffer): Promise<TransferError | undefined> {
    try {
      return await this.#serialised(() => this.#verify(host, port, key));
    } catch (e) {
      return e instanceof TransferError
        ? e
        : new TransferError('config', `Cannot check the host key of ${displayHost(host, port)}`, { cause: e });
    }
  }

  async knownKeyTypes(host: string, port: number): Promise<ReadonlyArray<string>> {
    const lines = await this.#load();
    const name = knownHostsName(host, port);
    const types = new Set<string>();
    for (const l of lines) if (l.marker === undefined && hostsMatch(l.hosts, name)) types.add(l.keyType);
    return [...types];
  }

  /**
   * Trusts `key` for the server from now on by adding it to Ferry's file (no-op when already trusted).
   * `key` is a blob or an OpenSSH public key line. Keeps any other key already recorded for the server:
   * to replace a changed key, `forget` the server first. Throws kind 'hostKey' for a revoked key.
   */
  async record(host: string, port: number, key: Buffer | string): Promise<void> {
    const blob = typeof key === 'string' ? parsePublicKeyLine(key) : key;
    if (keyTypeOf(blob) === undefined) throw new TransferError('validation', 'Not an SSH public key blob');
    await this.#serialised(async () => {
      const lines = await this.#load();
      const revoked = lines.find((l) => l.marker === 'revoked' && l.key.equals(blob));
      if (revoked !== undefined) throw revokedError(host, port, blob, revoked);
      const name = knownHostsName(host, port);
      if (lines.some((l) => l.marker === undefined && l.key.equals(blob) && hostsMatch(l.hosts, name))) return;
      await this.#append(name, blob);
    });
  }

  /**
   * Removes every entry for the server from Ferry's own file (like `ssh-keygen -R`) and returns how many
   * lines went. Entries in the read-only files stay; the user edits those with OpenSSH's tools.
   */
  async forget(host: string, port: number): Promise<number> {
    return this.#serialised(async () => {
      const text = await readOptional(this.#opts.path);
      if (text === undefined) return 0;
      const name = knownHostsName(host, port);
      let removed = 0;
      const kept = text.split('\n').filter((raw) => {
        const parsed = parseLine(raw, this.#opts.path, 0);
        if (parsed === undefined || parsed.marker !== undefined || !hostsMatch(parsed.hosts, name)) return true;
        removed++;
        return false;
      });
      if (removed > 0) await writeFile(this.#opts.path, kept.join('\n'), { mode: 0o600 });
      return removed;
    });
  }

  async #verify(host: string, port: number, key: Buffer): Promise<TransferError | undefined> {
    const lines = await this.#load();
    const revoked = lines.find((l) => l.marker === 'revoked' && l.key.equals(key));
    if (revoked !== undefined) return revokedError(host, port, key, revoked);

    const name = knownHostsName(host, port);
    const forHost = lines.filter((l) => l.marker === undefined && hostsMatch(l.hosts, name));
    if (forHost.some((l) => l.key.equals(key))) return undefined;

    const where = displayHost(host, port);
    const presented = `${fingerprintSha256(key)} (${keyTypeOf(key) ?? 'unknown type'})`;
    if (forHost.length > 0) {
      const expected = forHost.map((l) => `${fingerprintSha256(l.key)} (${l.keyType}, ${l.file}:${l.line})`);
      return new TransferError(
        'hostKey',
        `The host key of ${where} has CHANGED. Expected ${expected.join(' or ')}; the server presented ${presented}. ` +
          'Someone may be intercepting the connection, or the server was reinstalled. Ferry will not connect. ' +
          "If the server's administrator confirms the new key, remove the old entry and accept the new one.",
      );
    }
    const confirm = this.#opts.confirmUnknown;
    const answer: HostKeyAnswer =
      this.#opts.policy !== 'strict' ? 'trust' : confirm === undefined ? 'refuse' : await confirm({ host, port, keyType: keyTypeOf(key) ?? 'unknown type', fingerprint: fingerprintSha256(key) });
    if (answer === 'once') return undefined;
    if (answer === 'refuse') {
      return new TransferError(
        'hostKey',
        `The host key of ${where} is not known. The server presented ${presented}. ` +
          "Compare this fingerprint with the one the server's administrator gives you, then accept it with " +
          '`ferry connection add ... --accept-new-host-key`.',
      );
    }
    await this.#append(name, key);
    return undefined;
  }

  async #load(): Promise<HostLine[]> {
    const files = [this.#opts.path, ...(this.#opts.readOnlyPaths ?? [])];
    const texts = await Promise.all(files.map((f) => readOptional(f)));
    const lines: HostLine[] = [];
    texts.forEach((text, i) => {
      const file = files[i];
      if (text === undefined || file === undefined) return;
      text.split('\n').forEach((raw, n) => {
        const parsed = parseLine(raw, file, n + 1);
        if (parsed !== undefined) lines.push(parsed);
      });
    });
    return lines;
  }

  async #append(name: string, key: Buffer): Promise<void> {
    const path = this.#opts.path;
    const type = keyTypeOf(key);
    if (type === undefined) throw new TransferError('hostKey', 'The server presented a malformed host key');
    const hostField = this.#opts.hashNewEntries === true ? hashHostName(name) : name;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const existing = await readOptional(path);
    const sep = existing === undefined || existing === '' || existing.endsWith('\n') ? '' : '\n';
    await appendFile(path, `${sep}${hostField} ${type} ${key.toString('base64')}\n`, { mode: 0o600 });
  }

  #serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function displayHost(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function revokedError(host: string, port: number, key: Buffer, line: HostLine): TransferError {
  return new TransferError(
    'hostKey',
    `The host key ${fingerprintSha256(key)} presented by ${displayHost(host, port)} is marked @revoked in ` +
      `${line.file}:${line.line}. Ferry will not connect.`,
  );
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TransferError('config', `Cannot read the known hosts file ${path}`, { cause: e });
  }
}

function parseLine(raw: string, file: string, line: number): HostLine | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const fields = text.split(/\s+/);
  let marker: 'revoked' | undefined;
  if (fields[0]?.startsWith('@') === true) {
    // A CA line vouches for certificates only, which are never accepted here: dropping it keeps it from
    // being mistaken for a plain key of the same host.
    if (fields[0] !== '@revoked') return undefined;
    marker = 'revoked';
    fields.shift();
  }
  const [hosts, keyType, data] = fields;
  if (hosts === undefined || keyType === undefined || data === undefined) return undefined;
  const key = decodeKey(keyType, data);
  return key === undefined ? undefined : { marker, hosts, keyType, key, file, line };
}

function decodeKey(type: string, data: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const key = Buffer.from(data, 'base64');
  return keyTypeOf(key) === type ? key : undefined;
}

/** OpenSSH's host-field rule: a negated pattern that matches wins; otherwise any positive match. */
function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let matched = false;
  for (const raw of field.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).toLowerCase();
    if (!wildcardMatch(pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split('|');
  if (parts.length !== 4 || parts[1] !== '1' || parts[2] === undefined || parts[3] === undefined) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const expected = Buffer.from(parts[3], 'base64');
  const actual = createHmac('sha1', salt).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashHostName(name: string): string {
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}
