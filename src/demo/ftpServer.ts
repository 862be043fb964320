import { Server as NetServer, type AddressInfo } from 'node:net';
import { FileSystem, FtpSrv, type FtpConnection } from 'ftp-srv';
import { sameSecret } from './credentials.js';
import type { DemoServer } from './demoServer.js';
import { OutsideRootError, ServedFolder } from './servedFolder.js';

export interface FtpServerOptions {
  /** The folder served as '/'. */
  readonly root: string;
  readonly username: string;
  readonly password: string;
}

/** ftp-srv logs through bunyan to stdout by default: the demo's output is Ferry's, not the server's. */
export const SILENT_LOG = {
  child: () => SILENT_LOG,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/**
 * A plain FTP server on 127.0.0.1 (passive data ports there too, chosen by the system) for one user with
 * a password, serving one folder. Plain FTP is acceptable only because nothing leaves this machine.
 */
export async function startFtpServer(opts: FtpServerOptions): Promise<DemoServer> {
  const folder = await ServedFolder.open(opts.root);
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const ftp = new FtpSrv({
    url: 'ftp://127.0.0.1:0',
    pasv_url: '127.0.0.1',
    // Passive port 0: each data connection listens where the system finds room, never on a guessed port.
    pasv_min: 0,
    pasv_max: 0,
    anonymous: false,
    // ftp-srv answers SIZE of a folder with a size, as if it were a file: clients then take kinds and
    // sizes from listings, which it gets right.
    blacklist: ['SIZE'],
    greeting: 'Ferry demo partner FTP',
    log: SILENT_LOG,
  });
  // ftp-srv exits the whole process on Ctrl-C; Ferry stops its servers itself and must outlive them.
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!(before.get(signal) ?? []).includes(listener)) process.off(signal, listener);
  }
  ftp.on('login', ({ connection, username, password }, resolve, reject) => {
    if (username === opts.username && sameSecret(password, opts.password)) resolve({ fs: new RootedFileSystem(connection, folder) });
    else reject(new Error('Wrong user name or password'));
  });
  await ftp.listen();
  const listening: unknown = Reflect.get(ftp, 'server');
  if (!(listening instanceof NetServer)) throw new Error('ftp-srv did not create its server');
  return {
    port: (listening.address() as AddressInfo).port,
    close: async () => {
      await ftp.close();
    },
  };
}

/**
 * ftp-srv's file system, with every path checked against the served folder first (a link inside that leads
 * out is refused, which ftp-srv alone does not do) and failures told in words that name no local path.
 */
class RootedFileSystem extends FileSystem {
  readonly #folder: ServedFolder;

  constructor(connection: FtpConnection, folder: ServedFolder) {
    super(connection, { root: folder.root, cwd: '/' });
    this.#folder = folder;
  }

  override get(fileName: string): Promise<unknown> {
    return this.#inside(fileName, true, () => super.get(fileName));
  }

  override list(path = '.'): Promise<unknown> {
    return this.#inside(path, true, () => super.list(path));
  }

  override chdir(path = '.'): Promise<string> {
    return this.#inside(path, true, () => super.chdir(path));
  }

  override write(fileName: string, options?: { append?: boolean; start?: number }): Promise<unknown> {
    return this.#inside(fileName, true, async (): Promise<unknown> => super.write(fileName, options));
  }

  override read(fileName: string, options?: { start?: number }): Promise<unknown> {
    return this.#inside(fileName, true, () => super.read(fileName, options));
  }

  override delete(path: string): Promise<unknown> {
    return this.#inside(path, false, () => super.delete(path));
  }

  /** Answers with the client's name of the folder: ftp-srv's own would tell the client where it lies on disk. */
  override mkdir(path: string): Promise<string> {
    return this.#inside(path, false, async () => {
      await super.mkdir(path);
      return this.#folder.virtual(this.#clientPath(path));
    });
  }

  override rename(from: string, to: string): Promise<unknown> {
    return this.#inside(from, false, () => this.#inside(to, false, () => super.rename(from, to)));
  }

  override chmod(path: string): Promise<unknown> {
    return Promise.reject(new Error(`${path}: permissions are not changed here`));
  }

  async #inside<T>(path: string, follow: boolean, work: () => Promise<T>): Promise<T> {
    const clientPath = this.#clientPath(path);
    try {
      await this.#folder.local(clientPath, follow);
      return await work();
    } catch (e) {
      throw new Error(`${clientPath}: ${reasonOf(e)}`);
    }
  }

  /** Joined by hand: path.join would quietly clamp a '..' above '/', which the folder refuses instead. */
  #clientPath(path: string): string {
    return path.startsWith('/') ? path : `${this.cwd}/${path}`;
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof OutsideRootError) return 'outside the served folder';
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
      return 'already exists';
    case 'ENOTEMPTY':
      return 'the folder is not empty';
    default:
      // ftp-srv's own refusals ("Not a valid directory") carry a reply code and say it well; a system
      // error's message would name the file on this machine.
      return typeof code === 'string' || !(e instanceof Error) ? 'the operation failed' : e.message;
  }
}
