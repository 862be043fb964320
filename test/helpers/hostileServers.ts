import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';
import ssh2 from 'ssh2';
import type { Attributes, Connection, FileEntry } from 'ssh2';
import { SILENT_LOG } from '../../src/demo/ftpServer.js';

/** What a hostile server sends for a name it made up, should a client ever ask for it. */
export const HOSTILE_CONTENT = 'escaped: a client followed a hostile name\n';

export interface HostileServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Names a malicious or broken server may put in a folder listing, keyed by the folder (relative to the
 * served root, '' for the root itself) they appear in.
 */
export type HostileNames = Readonly<Record<string, ReadonlyArray<string>>>;

/**
 * Maps a path a client asked for onto the served folder. Answers undefined for anything that is not a
 * real entry below it, so the server answers those from its made-up names instead of touching the disk
 * elsewhere.
 */
function realPath(shareDir: string, remote: string): string | undefined {
  // Normalising under '/' resolves every '..' textually, so the result cannot leave `shareDir`.
  const local = join(shareDir, posix.normalize(`/${remote}`));
  try {
    statSync(local);
    return local;
  } catch {
    return undefined;
  }
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function attrsOf(st: Stats | undefined, size = HOSTILE_CONTENT.length): Attributes {
  const mtime = Math.floor((st?.mtimeMs ?? Date.now()) / 1000);
  const isDir = st?.isDirectory() === true;
  return {
    mode: isDir ? S_IFDIR | 0o755 : S_IFREG | 0o644,
    uid: 1000,
    gid: 1000,
    size: isDir ? 4096 : (st?.size ?? size),
    atime: mtime,
    mtime,
  };
}

function longname(name: string, a: Attributes): string {
  const type = (a.mode & S_IFDIR) === S_IFDIR ? 'd' : '-';
  return `${type}rw-r--r--    1 1000     1000     ${String(a.size).padStart(8)} Jan  1 00:00 ${name}`;
}

/**
 * An SFTP server (ssh2) that serves `shareDir` read-only as '/', with any user and password, and whose
 * READDIR adds `hostile` names to the real entries. A path that is not a real entry reads as
 * `HOSTILE_CONTENT`, so a client that followed a hostile name would have something to write.
 */
export async function startHostileSftpServer(shareDir: string, hostile: HostileNames): Promise<HostileServer> {
  const { STATUS_CODE } = ssh2.utils.sftp;
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('session', (acceptSession) => {
      acceptSession().on('sftp', (acceptSftp) => {
        const sftp = acceptSftp();
        type Open = { kind: 'dir'; entries: FileEntry[]; sent: boolean } | { kind: 'file'; data: Buffer };
        const handles = new Map<number, Open>();
        let nextHandle = 0;
        const newHandle = (open: Open): Buffer => {
          const id = nextHandle++;
          handles.set(id, open);
          const b = Buffer.alloc(4);
          b.writeUInt32BE(id);
          return b;
        };
        const lookup = (h: Buffer): Open | undefined => (h.length === 4 ? handles.get(h.readUInt32BE(0)) : undefined);
        const statPath = (id: number, path: string): void => {
          const local = realPath(shareDir, path);
          sftp.attrs(id, attrsOf(local === undefined ? undefined : statSync(local)));
        };

        sftp.on('REALPATH', (id, path) => {
          const p = posix.normalize(path.startsWith('/') ? path : `/${path}`);
          sftp.name(id, [{ filename: p, longname: p, attrs: attrsOf(undefined) }]);
        });
        sftp.on('STAT', statPath);
        sftp.on('LSTAT', statPath);
        sftp.on('OPENDIR', (id, path) => {
          const local = realPath(shareDir, path);
          if (local === undefined || !statSync(local).isDirectory()) {
            sftp.status(id, STATUS_CODE.NO_SUCH_FILE);
            return;
          }
          const rel = posix.relative('/', posix.normalize(`/${path}`));
          const entries: FileEntry[] = ['.', '..', ...readdirSync(local)].map((name) => {
            const a = attrsOf(statSync(join(local, name)));
            return { filename: name, longname: longname(name, a), attrs: a };
          });
          for (const name of hostile[rel] ?? []) {
            const a = attrsOf(undefined);
            entries.push({ filename: name, longname: longname(name, a), attrs: a });
          }
          sftp.handle(id, newHandle({ kind: 'dir', entries, sent: false }));
        });
        sftp.on('READDIR', (id, handle) => {
          const open = lookup(handle);
          if (open?.kind !== 'dir') return sftp.status(id, STATUS_CODE.FAILURE);
          if (open.sent) return sftp.status(id, STATUS_CODE.EOF);
          open.sent = true;
          sftp.name(id, open.entries);
        });
        sftp.on('OPEN', (id, path) => {
          const local = realPath(shareDir, path);
          const data = local === undefined ? Buffer.from(HOSTILE_CONTENT) : readFileSync(local);
          sftp.handle(id, newHandle({ kind: 'file', data }));
        });
        sftp.on('READ', (id, handle, offset, len) => {
          const open = lookup(handle);
          if (open?.kind !== 'file') return sftp.status(id, STATUS_CODE.FAILURE);
          if (offset >= open.data.length) return sftp.status(id, STATUS_CODE.EOF);
          sftp.data(id, open.data.subarray(offset, offset + len));
        });
        sftp.on('FSTAT', (id, handle) => {
          const open = lookup(handle);
          if (open?.kind !== 'file') return sftp.status(id, STATUS_CODE.FAILURE);
          sftp.attrs(id, attrsOf(undefined, open.data.length));
        });
        sftp.on('CLOSE', (id, handle) => {
          if (handle.length === 4) handles.delete(handle.readUInt32BE(0));
          sftp.status(id, STATUS_CODE.OK);
        });
        // Read-only: a client has no business writing to a server it copies from.
        for (const op of ['WRITE', 'REMOVE', 'RENAME', 'MKDIR', 'RMDIR', 'SETSTAT', 'FSETSTAT'] as const) {
          sftp.on(op, (id: number) => sftp.status(id, STATUS_CODE.PERMISSION_DENIED));
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const c of clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What ftp-srv's `ls` formatter reads from an entry. */
interface ListedStat {
  readonly name: string;
  readonly size: number;
  readonly mtime: Date;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  isDirectory(): boolean;
}

function madeUp(name: string): ListedStat {
  return { name, size: HOSTILE_CONTENT.length, mtime: new Date(), mode: 0o644, uid: 1000, gid: 1000, isDirectory: () => false };
}

/** ftp-srv's own file system over `root`, with `hostile` names added to listings and read as HOSTILE_CONTENT. */
class HostileFileSystem extends FileSystem {
  readonly #share: string;
  readonly #hostile: HostileNames;

  constructor(connection: FtpConnection, share: string, hostile: HostileNames) {
    super(connection, { root: share, cwd: '/' });
    this.#share = share;
    this.#hostile = hostile;
  }

  /** `LIST -a` arrives as a path of '-a': options are not paths. */
  override get(fileName: string): Promise<unknown> {
    return super.get(fileName.startsWith('-') ? '.' : fileName) as Promise<unknown>;
  }

  override async list(path = '.'): Promise<unknown[]> {
    const dir = path.startsWith('-') ? '.' : path;
    const real = (await super.list(dir)) as unknown[];
    const rel = posix.relative('/', this.#absolute(dir));
    return [...real, ...(this.#hostile[rel] ?? []).map(madeUp)];
  }

  override async read(fileName: string, opts: { start?: number } = {}): Promise<unknown> {
    const rel = this.#absolute(fileName);
    if (realPath(this.#share, rel) !== undefined) return super.read(fileName, opts) as Promise<unknown>;
    return { stream: Readable.from([Buffer.from(HOSTILE_CONTENT)]), clientPath: rel };
  }

  #absolute(path: string): string {
    return path.startsWith('/') ? posix.normalize(path) : posix.join('/', this.cwd, path);
  }
}

/** A free loopback port to start ftp-srv's passive range at. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A plain FTP server (ftp-srv) serving `shareDir` as '/', any user and password, with hostile listings. */
export async function startHostileFtpServer(shareDir: string, hostile: HostileNames): Promise<HostileServer> {
  const port = await freePort();
  const pasvMin = await freePort();
  // ftp-srv installs process-wide signal handlers that exit the process; they must not outlive it.
  const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
  const before = new Map(signals.map((sig) => [sig, process.listeners(sig)]));
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: Math.min(65535, pasvMin + 64),
    anonymous: true,
    log: SILENT_LOG,
  });
  server.on('login', ({ connection }, resolve) => {
    resolve({ fs: new HostileFileSystem(connection, shareDir, hostile) });
  });
  await server.listen();
  return {
    port,
    close: async () => {
      await server.close();
      for (const sig of signals) {
        for (const listener of process.listeners(sig)) {
          if (!(before.get(sig) ?? []).includes(listener)) process.removeListener(sig, listener);
        }
      }
    },
  };
}
