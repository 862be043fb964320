import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TransferError } from '../../src/connectors/errors.js';
import { FtpFs, type FtpOptions } from '../../src/connectors/ftp/FtpFs.js';
import { SftpFs, type SftpOptions } from '../../src/connectors/sftp/SftpFs.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import { MemoryResumeJournal } from '../../src/engine/ResumeJournal.js';
import type { TransferRequest } from '../../src/engine/transfer.js';
import type { RemoteFs } from '../../src/connectors/types.js';
import { afterEach } from 'vitest';
import { fingerprintSha256, type HostKeyVerifier } from '../../src/security/KnownHosts.js';
import type { TransferErrorKind } from '../../src/shared/model/errorKinds.js';
import { randomStream, sha256OfFile } from './data.js';
import type { FtpServerInfo, SftpServerInfo } from './servers/index.js';

export const MB = 1024 * 1024;

/** Short waits keep fault tests quick; four attempts leave room for one planned fault and a spare. */
export const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 50, maxDelayMs: 200 };

export interface RetrySeen {
  readonly path: string;
  readonly kind: TransferErrorKind;
  /** As the error was marked: a size check failing after a cut is retryable whatever its kind. */
  readonly retryable: boolean;
  readonly attempt: number;
  readonly delayMs: number;
  readonly message: string;
}

/** Collects what the engine reports through `onRetry`. */
export function retryLog(): { readonly seen: RetrySeen[]; readonly onRetry: NonNullable<TransferRequest['onRetry']> } {
  const seen: RetrySeen[] = [];
  return {
    seen,
    onRetry: (path, error, attempt, delayMs) => {
      seen.push({ path, kind: error.kind, retryable: error.retryable, attempt, delayMs, message: error.message });
    },
  };
}

/**
 * Trusts exactly the test server's host key, whatever port it is reached on: a proxy in front of sshd
 * changes the port a known_hosts entry would be filed under, not the key.
 */
export function pinnedHostKey(fingerprint: string): HostKeyVerifier {
  return {
    verify: (_host, _port, key) =>
      Promise.resolve(
        fingerprintSha256(key) === fingerprint ? undefined : new TransferError('hostKey', 'not the test server key'),
      ),
  };
}

/** SftpFs for the real sshd, reached through `port` (a proxy's) instead of the server's own. */
export function sftpVia(server: SftpServerInfo, port: number, root: string, over: Partial<SftpOptions> = {}): SftpFs {
  return new SftpFs({
    host: '127.0.0.1',
    port,
    username: server.user,
    password: server.password,
    root,
    hostKeys: pinnedHostKey(server.hostKeyFingerprint),
    ...over,
  });
}

/** FtpFs for a plain-FTP server reached through `port`. */
export function ftpVia(server: FtpServerInfo, port: number, root: string, over: Partial<FtpOptions> = {}): FtpFs {
  return new FtpFs({
    host: '127.0.0.1',
    port,
    username: server.user,
    password: server.password,
    root,
    security: 'none',
    trust: { kind: 'system' },
    timeoutMs: 15_000,
    ...over,
  });
}

/** One file copied with the fault tests' settings: overwrite, fast retries, an in-memory journal. */
export function copyRequest(source: RemoteFs, sourcePath: string, target: RemoteFs, targetPath: string): TransferRequest {
  return {
    source, sourcePath, target, targetPath, recursive: false, policy: 'overwrite', move: false, dryRun: false,
    journal: new MemoryResumeJournal(), retry: FAST_RETRY,
  };
}

/**
 * Closes what each test hands over once it ends, newest first: connectors before the proxies they go
 * through, since a proxy only finishes closing once its clients are gone.
 */
export function closeAfterEachTest(): (resource: { close(): Promise<void> }) => void {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const c of open.splice(0).reverse()) await c.close();
  });
  return (resource) => {
    open.push(resource);
  };
}

/** A fresh local temp folder. */
export async function tempDir(label: string): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `ferry-fault-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes `size` reproducible random bytes to `path` and returns their SHA-256. */
export async function writeRandomFile(path: string, size: number, seed: string): Promise<string> {
  await pipeline(randomStream(size, seed), createWriteStream(path));
  return sha256OfFile(path);
}

/** Every file and folder below `dir`, as POSIX paths relative to it, sorted. */
export async function treeOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((e) => relative(dir, join(dir, e)).split('\\').join('/')).sort();
}

/** Partial upload names anywhere below `dir`. */
export async function partialsUnder(dir: string): Promise<string[]> {
  return (await treeOf(dir)).filter((p) => p.endsWith('.ferrypart'));
}
