import { lstat, realpath } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** A client asked for a path outside the served folder: a '..' above '/', or a link that leads out. */
export class OutsideRootError extends Error {
  constructor(path: string) {
    super(`${JSON.stringify(path)} is outside the served folder`);
  }
}

/**
 * The folder a demo server serves as '/': maps the paths clients send onto it and refuses every path that
 * would leave it, whether by '..' or by a symbolic link inside that leads elsewhere.
 */
export class ServedFolder {
  /** With its links resolved, so that resolved paths compare with it. */
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  static async open(root: string): Promise<ServedFolder> {
    return new ServedFolder(await realpath(root));
  }

  /**
   * The path as the client sees it, absolute and normalised ('/' for the root, '' and '.' included).
   * A '..' that would climb above '/' is refused rather than clamped, as are NUL bytes.
   */
  virtual(path: string): string {
    if (path.includes('\0')) throw new OutsideRootError(path);
    const segments: string[] = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.pop() === undefined) throw new OutsideRootError(path);
      } else segments.push(segment);
    }
    return `/${segments.join('/')}`;
  }

  /**
   * The file on disk for a client's path. `follow` says whether the operation follows a link in the last
   * segment (open, stat) or acts on the link itself (lstat, remove, rename): either way, whatever it reaches
   * must lie inside the root.
   */
  async local(path: string, follow: boolean): Promise<string> {
    const virtual = this.virtual(path);
    const local = virtual === '/' ? this.root : join(this.root, ...virtual.slice(1).split('/'));
    const reached = await realpathOfExisting(follow || local === this.root ? local : dirname(local));
    if (reached === undefined || (reached !== this.root && !reached.startsWith(this.root + sep))) throw new OutsideRootError(path);
    return local;
  }

  /** The client's name for a file on disk inside the root, links resolved: what REALPATH answers. */
  async canonical(path: string): Promise<string> {
    const reached = await realpath(await this.local(path, true));
    return `/${relative(this.root, reached).split(sep).join('/')}`;
  }
}

/**
 * The real path of `path`, or of its nearest existing ancestor when it does not exist yet (a file to
 * create). Undefined when a link on the way leads nowhere: creating through it could land anywhere.
 */
async function realpathOfExisting(path: string): Promise<string | undefined> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return await realpath(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw e;
      if (await exists(current)) return undefined;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
