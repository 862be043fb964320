import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rmdir, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, FileEntry, SFTPWrapper } from 'ssh2';
import { OutsideRootError, type ServedFolder } from './servedFolder.js';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

/** Names per READDIR answer, as OpenSSH sends them: a listing of thousands stays within packet limits. */
const NAMES_PER_ANSWER = 100;
/** The most a READ answers with; clients ask for less (ssh2 about 32 KiB, OpenSSH 255 KiB). */
const MAX_READ = 256 * 1024;

type OpenFile = { readonly kind: 'file'; readonly file: FileHandle };
type OpenDir = { readonly kind: 'dir'; readonly local: string; names?: string[] };

/** An SFTP request failed in a way the client is told by status code (and, for FAILURE, in words). */
class Refusal extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Serves one SFTP session from a folder on disk, the folder being '/': OPEN, READ, WRITE, CLOSE, FSTAT,
 * STAT, LSTAT, OPENDIR, READDIR, MKDIR, RMDIR, REMOVE, RENAME, REALPATH and the times of SETSTAT and
 * FSETSTAT. Requests run as they arrive and answer by request id, as SFTP allows. Handles still open
 * when the session ends are closed.
 */
export function serveSftp(sftp: SFTPWrapper, folder: ServedFolder): void {
  const handles = new Map<number, OpenFile | OpenDir>();
  let nextHandle = 0;

  const handleOf = (open: OpenFile | OpenDir): Buffer => {
    const id = nextHandle++;
    handles.set(id, open);
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(id);
    return handle;
  };
  const lookup = (handle: Buffer): OpenFile | OpenDir => {
    const open = handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined;
    if (open === undefined) throw new Refusal(STATUS_CODE.FAILURE, 'No such handle');
    return open;
  };
  const fileOf = (handle: Buffer): OpenFile => {
    const open = lookup(handle);
    if (open.kind !== 'file') throw new Refusal(STATUS_CODE.FAILURE, 'Not a file handle');
    return open;
  };
  const answer = (id: number, work: () => Promise<void>): void => {
    work().catch((e: unknown) => {
      const refusal = refusalOf(e);
      sftp.status(id, refusal.code, refusal.message);
    });
  };
  const ok = (id: number): void => {
    sftp.status(id, STATUS_CODE.OK);
  };

  sftp.on('REALPATH', (id, path) => answer(id, async () => {
    const canonical = await folder.canonical(path);
    sftp.name(id, [{ filename: canonical, longname: canonical, attrs: attributesOf(await stat(await folder.local(canonical, true))) }]);
  }));
  sftp.on('STAT', (id, path) => answer(id, async () => sftp.attrs(id, attributesOf(await stat(await folder.local(path, true))))));
  sftp.on('LSTAT', (id, path) => answer(id, async () => sftp.attrs(id, attributesOf(await lstat(await folder.local(path, false))))));

  sftp.on('OPEN', (id, path, flags) => answer(id, async () => {
    const file = await open(await folder.local(path, true), nodeFlags(flags), 0o644);
    sftp.handle(id, handleOf({ kind: 'file', file }));
  }));
  sftp.on('READ', (id, handle, offset, length) => answer(id, async () => {
    const { file } = fileOf(handle);
    const buffer = Buffer.alloc(Math.min(length, MAX_READ));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
    if (bytesRead === 0) sftp.status(id, STATUS_CODE.EOF);
    else sftp.data(id, buffer.subarray(0, bytesRead));
  }));
  sftp.on('WRITE', (id, handle, offset, data) => answer(id, async () => {
    const { file } = fileOf(handle);
    for (let written = 0; written < data.length; ) {
      written += (await file.write(data, written, data.length - written, offset + written)).bytesWritten;
    }
    ok(id);
  }));
  sftp.on('FSTAT', (id, handle) => answer(id, async () => sftp.attrs(id, attributesOf(await fileOf(handle).file.stat()))));
  sftp.on('FSETSTAT', (id, handle, attrs) => answer(id, async () => {
    const times = timesOf(attrs);
    await fileOf(handle).file.utimes(times.atime, times.mtime);
    ok(id);
  }));
  sftp.on('SETSTAT', (id, path, attrs) => answer(id, async () => {
    const times = timesOf(attrs);
    await utimes(await folder.local(path, true), times.atime, times.mtime);
    ok(id);
  }));
  sftp.on('CLOSE', (id, handle) => answer(id, async () => {
    const open = lookup(handle);
    handles.delete(handle.readUInt32BE(0));
    // A failed close of a written file is the last chance to tell the client its data did not land.
    if (open.kind === 'file') await open.file.close();
    ok(id);
  }));

  sftp.on('OPENDIR', (id, path) => answer(id, async () => {
    const local = await folder.local(path, true);
    if (!(await stat(local)).isDirectory()) throw new Refusal(STATUS_CODE.FAILURE, `${folder.virtual(path)} is not a folder`);
    sftp.handle(id, handleOf({ kind: 'dir', local }));
  }));
  sftp.on('READDIR', (id, handle) => answer(id, async () => {
    const dir = lookup(handle);
    if (dir.kind !== 'dir') throw new Refusal(STATUS_CODE.FAILURE, 'Not a folder handle');
    dir.names ??= ['.', '..', ...(await readdir(dir.local))];
    const batch = dir.names.splice(0, NAMES_PER_ANSWER);
    if (batch.length === 0) {
      sftp.status(id, STATUS_CODE.EOF);
      return;
    }
    const entries: FileEntry[] = [];
    for (const name of batch) {
      // '..' of the root would describe a folder outside it: both dots describe the folder itself.
      const read = name === '.' || name === '..' ? stat(dir.local) : lstat(join(dir.local, name));
      // A file removed since the folder was read is no longer part of it.
      const attrs = await read.then(attributesOf, () => undefined);
      if (attrs !== undefined) entries.push({ filename: name, longname: longnameOf(name, attrs), attrs });
    }
    sftp.name(id, entries);
  }));

  sftp.on('MKDIR', (id, path) => answer(id, async () => {
    await mkdir(await folder.local(path, false));
    ok(id);
  }));
  sftp.on('RMDIR', (id, path) => answer(id, async () => {
    if (folder.virtual(path) === '/') throw new Refusal(STATUS_CODE.PERMISSION_DENIED, 'The root folder stays');
    await rmdir(await folder.local(path, false));
    ok(id);
  }));
  sftp.on('REMOVE', (id, path) => answer(id, async () => {
    await unlink(await folder.local(path, false));
    ok(id);
  }));
  sftp.on('RENAME', (id, from, to) => answer(id, async () => {
    if (folder.virtual(from) === '/') throw new Refusal(STATUS_CODE.PERMISSION_DENIED, 'The root folder stays');
    const source = await folder.local(from, false);
    const target = await folder.local(to, false);
    // SFTP version 3 renames only onto a free name, as OpenSSH does; clients replace with REMOVE first.
    if (await lstat(target).then(() => true, () => false)) throw new Refusal(STATUS_CODE.FAILURE, `${folder.virtual(to)} already exists`);
    await rename(source, target);
    ok(id);
  }));

  sftp.on('close', () => {
    for (const open of handles.values()) if (open.kind === 'file') void open.file.close().catch(() => undefined);
    handles.clear();
  });
}

/** SFTP's open flags as the operating system's. */
function nodeFlags(flags: number): number {
  const read = (flags & OPEN_MODE.READ) !== 0;
  const write = (flags & OPEN_MODE.WRITE) !== 0;
  let result = read && write ? constants.O_RDWR : write ? constants.O_WRONLY : constants.O_RDONLY;
  if ((flags & OPEN_MODE.APPEND) !== 0) result |= constants.O_APPEND;
  if ((flags & OPEN_MODE.CREAT) !== 0) result |= constants.O_CREAT;
  if ((flags & OPEN_MODE.TRUNC) !== 0) result |= constants.O_TRUNC;
  if ((flags & OPEN_MODE.EXCL) !== 0) result |= constants.O_EXCL;
  return result;
}

/** The times a SETSTAT sets; anything else it asks for (owner, permissions, size) is not served. */
function timesOf(attrs: Partial<Attributes>): { atime: number; mtime: number } {
  const { atime, mtime, uid, gid, mode, size } = attrs;
  if (uid !== undefined || gid !== undefined || mode !== undefined || size !== undefined) {
    throw new Refusal(STATUS_CODE.OP_UNSUPPORTED, 'Only times can be set here');
  }
  if (atime === undefined || mtime === undefined) throw new Refusal(STATUS_CODE.OP_UNSUPPORTED, 'Only times can be set here');
  return { atime, mtime };
}

function attributesOf(st: Stats): Attributes {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

const TYPE_LETTERS: ReadonlyArray<[number, string]> = [
  [constants.S_IFDIR, 'd'],
  [constants.S_IFLNK, 'l'],
  [constants.S_IFREG, '-'],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `ls -l` line SFTP version 3 sends with each name, for clients that show it. */
function longnameOf(name: string, a: Attributes): string {
  const type = TYPE_LETTERS.find(([bits]) => (a.mode & constants.S_IFMT) === bits)?.[1] ?? '?';
  const rwx = ['r', 'w', 'x', 'r', 'w', 'x', 'r', 'w', 'x'].map((c, i) => ((a.mode >> (8 - i)) & 1) === 1 ? c : '-').join('');
  const date = new Date(a.mtime * 1000);
  const when = `${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCDate()).padStart(2)} ${date.getUTCFullYear()}`;
  return `${type}${rwx} 1 ${String(a.uid).padEnd(8)} ${String(a.gid).padEnd(8)} ${String(a.size).padStart(8)} ${when} ${name}`;
}

/** What the client is told: the status code for the failure, and words that name no path outside the root. */
function refusalOf(e: unknown): Refusal {
  if (e instanceof Refusal) return e;
  if (e instanceof OutsideRootError) return new Refusal(STATUS_CODE.PERMISSION_DENIED, e.message);
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new Refusal(STATUS_CODE.NO_SUCH_FILE, 'No such file');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new Refusal(STATUS_CODE.PERMISSION_DENIED, 'Permission denied');
    case 'EEXIST':
      return new Refusal(STATUS_CODE.FAILURE, 'Already exists');
    case 'ENOTEMPTY':
      return new Refusal(STATUS_CODE.FAILURE, 'The folder is not empty');
    case 'EISDIR':
      return new Refusal(STATUS_CODE.FAILURE, 'A folder stands there');
    case 'ENOSPC':
    case 'EDQUOT':
      return new Refusal(STATUS_CODE.FAILURE, 'No space left');
    default:
      return new Refusal(STATUS_CODE.FAILURE, 'The operation failed');
  }
}
