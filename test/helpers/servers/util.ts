import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, appendFileSync, constants, openSync, closeSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';

export const HOST = '127.0.0.1';
export const INSTALL_HINT = "run 'bash .ci/install-servers' as root";

/** Where `.ci/install-servers` unpacks pure-ftpd: Debian's FTP server packages cannot coexist. */
export const PUREFTPD_DIR = process.env['FERRY_PUREFTPD_DIR'] ?? '/opt/ferry-test/pure-ftpd';

export class MissingBinaryError extends Error {
  constructor(binary: string) {
    super(`${binary} is not installed: ${INSTALL_HINT}`);
    this.name = 'MissingBinaryError';
  }
}

export function requireBinary(path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new MissingBinaryError(path);
  }
  return path;
}

export interface CommandOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
}

export async function run(command: string, args: ReadonlyArray<string>, options: CommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 30_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`.trim()));
          return;
        }
        resolve(stdout);
      },
    );
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    }
  });
}

export async function makeDir(path: string, mode: number, owner?: { uid: number; gid: number }): Promise<string> {
  await mkdir(path, { recursive: true });
  if (owner) {
    await chown(path, owner.uid, owner.gid);
  }
  // mkdir's mode is filtered by the umask; chmod is not.
  await chmod(path, mode);
  return path;
}

/**
 * A home for one server: owned by the test user, with a root-owned read-only folder inside it so
 * tests can provoke permission-denied replies.
 */
export async function makeHome(path: string, user: TestUser): Promise<{ home: string; readonlyDir: string }> {
  const home = await makeDir(path, 0o755, user);
  const readonlyDir = await makeDir(`${home}/${READONLY_NAME}`, 0o555, { uid: 0, gid: 0 });
  return { home, readonlyDir };
}

export const READONLY_NAME = 'readonly';

export async function logTail(file: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    const all = text.trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch (error) {
    return `(no log at ${file}: ${(error as Error).message})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

const PORT_BLOCK_FIRST = 10_000;
/** Linux hands out outgoing ports from 32768 up: stay below so no client socket can take ours. */
const PORT_BLOCK_LAST = 32_000;
const reservedBlocks = new Set<number>();

async function canBind(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * `size` consecutive free ports below the ephemeral range. Random blocks keep two concurrent test
 * runs on one machine apart; ports are probed, so a taken block is simply skipped.
 */
export async function reservePortBlock(size: number): Promise<number> {
  const blockSize = 128;
  if (size > blockSize) {
    throw new Error(`port block of ${size} is larger than ${blockSize}`);
  }
  const slots = Math.floor((PORT_BLOCK_LAST - PORT_BLOCK_FIRST) / blockSize);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = PORT_BLOCK_FIRST + Math.floor(Math.random() * slots) * blockSize;
    if (reservedBlocks.has(base)) {
      continue;
    }
    const ports = Array.from({ length: size }, (_, i) => base + i);
    const free = await Promise.all(ports.map(canBind));
    if (free.every(Boolean)) {
      reservedBlocks.add(base);
      return base;
    }
  }
  throw new Error(`no block of ${size} free ports between ${PORT_BLOCK_FIRST} and ${PORT_BLOCK_LAST}`);
}

export function releasePortBlock(base: number): void {
  reservedBlocks.delete(base);
}

// ---------------------------------------------------------------------------------------------
// The system user every server maps its logins to

export const TEST_USER = 'ferrytest';
export const TEST_PASSWORD = 'Ferry-test-pw-1';
/** Must be listed in /etc/shells: vsftpd's PAM stack runs pam_shells. */
const TEST_SHELL = '/bin/sh';
/**
 * vsftpd changes into the passwd home before its local_root, so it must exist; each server gets
 * its real home from its own config, not from here.
 */
const TEST_PASSWD_HOME = '/';

export interface TestUser {
  readonly name: string;
  readonly password: string;
  readonly uid: number;
  readonly gid: number;
}

function lookupUser(name: string): { uid: number; gid: number; home: string; shell: string } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) {
    return undefined;
  }
  const fields = line.split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '', shell: fields[6] ?? '' };
}

/**
 * Creates the unprivileged system user once and (re)sets its password every run, so a machine
 * where someone changed it still works. It must not be root: permission tests rely on that.
 */
export async function ensureTestUser(): Promise<TestUser> {
  requireBinary('/usr/sbin/useradd');
  requireBinary('/usr/sbin/chpasswd');
  let entry = lookupUser(TEST_USER);
  if (!entry) {
    try {
      await run('/usr/sbin/useradd', ['-M', '-U', '-d', TEST_PASSWD_HOME, '-s', TEST_SHELL, TEST_USER]);
    } catch (error) {
      // Another run on this machine may have created it a moment ago.
      if (!lookupUser(TEST_USER)) {
        throw error;
      }
    }
    entry = lookupUser(TEST_USER);
  } else if (entry.shell !== TEST_SHELL || entry.home !== TEST_PASSWD_HOME) {
    await run('/usr/sbin/usermod', ['-s', TEST_SHELL, '-d', TEST_PASSWD_HOME, TEST_USER]);
  }
  if (!entry) {
    throw new Error(`could not create system user ${TEST_USER}`);
  }
  if (entry.uid === 0) {
    throw new Error(`system user ${TEST_USER} has uid 0; permission tests need an unprivileged user`);
  }
  await run('/usr/sbin/chpasswd', [], { input: `${TEST_USER}:${TEST_PASSWORD}\n` });
  return { name: TEST_USER, password: TEST_PASSWORD, uid: entry.uid, gid: entry.gid };
}

// ---------------------------------------------------------------------------------------------
// Processes

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: boolean;
  /** Ends the server and every process it forked (per-connection children included). */
  stop(): Promise<void>;
}

/** Kernel start time (clock ticks since boot): tells a process from a later one reusing its pid. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name start at field 3 (state); starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export interface JournalEntry {
  readonly pid: number;
  readonly start: string;
}

/** Every server process of a run is listed here, so a later run can end it if this one was killed. */
export function journalPath(root: string): string {
  return `${root}/processes.jsonl`;
}

export function childrenOf(pid: number): number[] {
  const result: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) {
        result.push(Number(entry));
      }
    } catch {
      // Gone while we looked.
    }
  }
  return result;
}

export function descendantsOf(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of childrenOf(next)) {
      all.push(child);
      queue.push(child);
    }
  }
  return all;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    // A zombie has finished; only its parent's bookkeeping is left.
    return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly logFile: string;
  /** The run's temp folder: the process is recorded in its journal. */
  readonly root: string;
  /** vsftpd and pure-ftpd write fatal start-up errors ('500 OOPS: ...') to fd 0, as if to a client. */
  readonly logOnStdin?: boolean;
}

/**
 * Starts a server in the foreground with its output appended to `logFile`. It gets its own
 * process group so a Ctrl-C on the test run does not reach it before teardown does.
 */
export function startProcess({ name, command, args, logFile, root, logOnStdin }: StartOptions): ServerProcess {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, [...args], { stdio: [logOnStdin ? fd : 'ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${name}: could not start ${command}`);
  }
  const entry: JournalEntry = { pid, start: processStartTime(pid) ?? '' };
  appendFileSync(journalPath(root), `${JSON.stringify(entry)}\n`);
  let exited = false;
  const markExited = (): void => {
    exited = true;
  };
  // events.once rejects on 'error' (e.g. spawn failures): that also means there is no server.
  const exit = once(child, 'exit').then(markExited, markExited);
  child.unref();
  return {
    name,
    pid,
    logFile,
    get exited() {
      return exited;
    },
    async stop() {
      if (exited) {
        return;
      }
      const family = descendantsOf(pid);
      signal(pid, 'SIGTERM');
      for (const p of family) {
        signal(p, 'SIGTERM');
      }
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && (!exited || family.some(alive))) {
        await delay(25);
      }
      if (!exited || family.some(alive)) {
        signal(pid, 'SIGKILL');
        for (const p of family) {
          signal(p, 'SIGKILL');
        }
        await exit;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Readiness

export interface BannerWait {
  readonly server: ServerProcess;
  readonly port: number;
  /** Matches once the greeting is complete ('220 ' for FTP, 'SSH-2.0-' for SSH). */
  readonly banner: RegExp;
  /** Implicit TLS: the greeting only comes after a handshake. */
  readonly tls?: { readonly ca: Buffer };
  readonly timeoutMs?: number;
}

function readBanner(wait: BannerWait): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket: net.Socket = wait.tls
      ? tls.connect({ host: HOST, port: wait.port, ca: wait.tls.ca })
      : net.connect({ host: HOST, port: wait.port });
    socket.setTimeout(2_000, () => socket.destroy(new Error('no greeting within 2 s')));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (wait.banner.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed; received ${JSON.stringify(text)}`)));
  });
}

/** Resolves with the greeting once the server really serves; throws with its log tail if it cannot. */
export async function waitForBanner(wait: BannerWait): Promise<string> {
  const deadline = Date.now() + (wait.timeoutMs ?? 10_000);
  let lastError: Error | undefined;
  while (Date.now() < deadline) {
    if (wait.server.exited) {
      throw new Error(`${wait.server.name} exited during start-up. Log tail:\n${await logTail(wait.server.logFile)}`);
    }
    try {
      return await readBanner(wait);
    } catch (error) {
      lastError = error as Error;
      await delay(30);
    }
  }
  throw new Error(
    `${wait.server.name} did not greet on ${HOST}:${wait.port} (${lastError?.message ?? 'timeout'}). ` +
      `Log tail:\n${await logTail(wait.server.logFile)}`,
  );
}
