import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TransferError } from '../../errors.js';
import { baseName, joinRelative, normalizeRelative, parentOf, unsafeNameReason } from '../../paths.js';
import type { Capabilities, FoundRecords, ListOptions, ReadOptions, RecordSearch, RemoteEntry, RemoteFs, SearchPage, WriteOptions } from '../../types.js';
import type { SalesforceSession } from '../SalesforceSession.js';
import { spoolUpload } from '../uploadBody.js';
import { describeFileObject, PACKAGED_OBJECTS, type FileObjectInfo, type SDriveObjectConfig } from './fileObjects.js';
import { createFolder, hasChildren, loadRows, renameAll } from './fileRecords.js';
import { buildTree, childNamed, nodeAt, nodeOf, type FileRow, type SDriveNode } from './folderTree.js';
import { RecordFolders } from '../RecordFolders.js';
import { downloadStream, s3Request } from './s3Http.js';
import { deleteFiles, downloadLink } from './sdriveResource.js';
import { uploadFile } from './upload.js';

export interface SDriveFsOptions {
  readonly session: SalesforceSession;
  /** Human-readable location, e.g. `salesforce://ops@example.com@acme.my.salesforce.com (S-Drive)`. */
  readonly description: string;
  /** The objects whose records hold S-Drive files; the package's five when absent. */
  readonly objects?: ReadonlyArray<SDriveObjectConfig>;
  /**
   * Uploads running at once. Each costs two short Salesforce calls around an S3 transfer, so the org's
   * limit on long-running requests does not bind; the bucket's bandwidth does.
   */
  readonly maxParallelUploads?: number;
  /** The bucket's POST endpoint, for orgs whose initialize answer does not name it. */
  readonly uploadUrl?: string;
}

/** A path inside a record: `parts` are the folders and file below it, none for the record itself. */
type Location =
  | { readonly level: 'root' }
  | { readonly level: 'object'; readonly config: SDriveObjectConfig }
  | { readonly level: 'record'; readonly config: SDriveObjectConfig; readonly segment: string; readonly parts: ReadonlyArray<string> };

type RecordLocation = Extract<Location, { level: 'record' }>;

/** One record's S-Drive as loaded. */
interface Drive {
  readonly fileObject: FileObjectInfo;
  readonly recordId: string;
  readonly root: SDriveNode;
}

/** Small files are held in memory while they are sent; anything larger streams. */
const INLINE_MAX_BYTES = 1024 * 1024;
/** S-Drive's file names are Text(255). */
const MAX_FILE_NAME = 255;

/** A name no user picks, for a record that is about to take another's name or give its own up. */
function stagingName(role: 'new' | 'old', name: string): string {
  const prefix = `~ferry-${role}-${randomBytes(4).toString('hex')}~`;
  return prefix + name.slice(Math.max(0, prefix.length + name.length - MAX_FILE_NAME));
}

function asTransferError(e: unknown): TransferError {
  return e instanceof TransferError ? e : new TransferError('protocol', e instanceof Error ? e.message : String(e), { cause: e });
}

function isNotFound(e: unknown): boolean {
  return e instanceof TransferError && e.kind === 'notFound';
}

/**
 * S-Drive (Cyangate) as a file system: `<Object>/<record>/<folder>/…/<file>`. The configured objects are
 * the top folders, their records the next level (named as Salesforce Files names them), then S-Drive's
 * folders and files, which are records of the object's file object while the bytes live in S3. Uploads
 * in progress and deleted files are never shown. A record's whole tree is read with one query and kept.
 */
export class SDriveFs implements RemoteFs, RecordSearch {
  readonly kind = 'salesforce';
  readonly capabilities: Capabilities;
  readonly description: string;
  readonly storageKey = 's-drive';
  readonly #session: SalesforceSession;
  readonly #objects: ReadonlyArray<SDriveObjectConfig>;
  readonly #uploadUrl: string | undefined;
  readonly #records: RecordFolders;
  readonly #fileObjects = new Map<string, Promise<FileObjectInfo>>();
  readonly #trees = new Map<string, Promise<SDriveNode>>();
  /** Folder creation runs one at a time, so that two files for one new folder do not create it twice. */
  #folderWork: Promise<void> = Promise.resolve();

  constructor(options: SDriveFsOptions) {
    this.#session = options.session;
    this.description = options.description;
    this.#objects = options.objects ?? PACKAGED_OBJECTS;
    this.#uploadUrl = options.uploadUrl;
    this.#records = new RecordFolders(options.session);
    this.capabilities = {
      rename: false,
      resume: false,
      // S3's ETag is an MD5 only for some uploads (not multipart ones, not KMS-encrypted ones): no hashes.
      hashes: [],
      mtimePrecisionMs: 0,
      caseInsensitive: true,
      maxConcurrency: options.maxParallelUploads ?? 3,
    };
  }

  #locate(rel: string): Location {
    const parts = rel === '' ? [] : rel.split('/');
    const [first, segment, ...rest] = parts;
    if (first === undefined) return { level: 'root' };
    const config = this.#objects.find((o) => o.object.toLowerCase() === first.toLowerCase());
    if (config === undefined) {
      throw new TransferError('notFound', `No S-Drive files are configured for "${first}" (try ${this.#objects.map((o) => o.object).join(', ')})`, { path: rel });
    }
    if (segment === undefined) return { level: 'object', config };
    return { level: 'record', config, segment, parts: rest };
  }

  async #fileObject(config: SDriveObjectConfig, signal?: AbortSignal): Promise<FileObjectInfo> {
    const key = config.fileObject.toLowerCase();
    let info = this.#fileObjects.get(key);
    if (info === undefined) {
      info = describeFileObject(this.#session, config, signal);
      this.#fileObjects.set(key, info);
      void info.catch(() => this.#fileObjects.delete(key));
    }
    return info;
  }

  async #recordId(where: RecordLocation, signal?: AbortSignal): Promise<string> {
    const object = await this.#records.object(where.config.object, signal);
    return this.#records.idOf(object, where.segment, signal);
  }

  /** The trees of many records of one file object, loaded with one query per few hundred records. */
  async #loadTrees(fileObject: FileObjectInfo, recordIds: ReadonlyArray<string>, signal?: AbortSignal): Promise<SDriveNode[]> {
    const keyOf = (id: string): string => `${fileObject.name}/${id.slice(0, 15)}`;
    const missing = recordIds.filter((id) => !this.#trees.has(keyOf(id)));
    let loading: Promise<Map<string, FileRow[]>> | undefined;
    return Promise.all(
      recordIds.map((id) => {
        const key = keyOf(id);
        let tree = this.#trees.get(key);
        if (tree === undefined) {
          loading ??= loadRows(this.#session, fileObject, missing, signal);
          const loaded = loading.then((rows) => buildTree(rows.get(id.slice(0, 15)) ?? []));
          this.#trees.set(key, loaded);
          void loaded.catch(() => {
            if (this.#trees.get(key) === loaded) this.#trees.delete(key);
          });
          tree = loaded;
        }
        return tree;
      }),
    );
  }

  async #drive(where: RecordLocation, signal?: AbortSignal): Promise<Drive> {
    const [fileObject, recordId] = await Promise.all([this.#fileObject(where.config, signal), this.#recordId(where, signal)]);
    const [root] = await this.#loadTrees(fileObject, [recordId], signal);
    if (root === undefined) throw new TransferError('protocol', `The S-Drive files of ${where.segment} could not be loaded`);
    return { fileObject, recordId, root };
  }

  /** Forgets what is known of a record's tree, after a change that failed halfway or met a surprise. */
  #forget(drive: Drive): void {
    this.#trees.delete(`${drive.fileObject.name}/${drive.recordId.slice(0, 15)}`);
  }

  #entries(dir: string, node: SDriveNode, opts: ListOptions): RemoteEntry[] {
    const entries: RemoteEntry[] = [];
    for (const child of node.children.values()) {
      const unsafe = unsafeNameReason(child.name);
      if (unsafe !== undefined) opts.onUnsafeName?.(child.name, unsafe);
      else entries.push(entryOf(joinRelative(dir, child.name), child));
    }
    return entries;
  }

  async list(dir: string, opts: ListOptions = {}): Promise<ReadonlyArray<RemoteEntry>> {
    const rel = normalizeRelative(dir);
    const where = this.#locate(rel);
    switch (where.level) {
      case 'root':
        return this.#objects.map((o) => ({ name: o.object, path: o.object, kind: 'dir', size: -1 }));
      case 'object':
        return (await this.#records.list(await this.#records.object(where.config.object, opts.signal), rel, { signal: opts.signal })).entries;
      case 'record': {
        const drive = await this.#drive(where, opts.signal);
        const node = nodeAt(drive.root, where.parts);
        if (node === undefined) throw new TransferError('notFound', `No S-Drive folder ${rel}`, { path: rel });
        if (node.kind !== 'dir') throw new TransferError('notFound', `${rel} is a file, not a folder`, { path: rel });
        return this.#entries(rel, node, opts);
      }
    }
  }

  async searchRecords(objectDir: string, text: string, page: SearchPage, signal?: AbortSignal): Promise<FoundRecords> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are searched in an object folder (e.g. Account), not ${rel || '/'}`);
    return this.#records.search(await this.#records.object(where.config.object, signal), rel, text, page, signal);
  }

  async recordNames(objectDir: string, ids: ReadonlyArray<string>, signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are named in an object folder (e.g. Account), not ${rel || '/'}`);
    return this.#records.names(await this.#records.object(where.config.object, signal), ids, signal);
  }

  /**
   * Several folders at once: the records among them are read with one query per file object instead of
   * one each, which keeps a batch copy into many records within a few API calls. Absent folders are left out.
   */
  async listMany(dirs: ReadonlyArray<string>, opts: ListOptions = {}): Promise<Map<string, ReadonlyArray<RemoteEntry>>> {
    const out = new Map<string, ReadonlyArray<RemoteEntry>>();
    const inRecords: Array<{ rel: string; where: RecordLocation; fileObject: FileObjectInfo; recordId: string }> = [];
    for (const dir of dirs) {
      const rel = normalizeRelative(dir);
      try {
        const where = this.#locate(rel);
        if (where.level !== 'record') out.set(rel, await this.list(rel, opts));
        else inRecords.push({ rel, where, fileObject: await this.#fileObject(where.config, opts.signal), recordId: await this.#recordId(where, opts.signal) });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    const byFileObject = new Map<FileObjectInfo, string[]>();
    for (const r of inRecords) byFileObject.set(r.fileObject, [...(byFileObject.get(r.fileObject) ?? []), r.recordId]);
    for (const [fileObject, ids] of byFileObject) await this.#loadTrees(fileObject, ids, opts.signal);
    for (const r of inRecords) {
      const [root] = await this.#loadTrees(r.fileObject, [r.recordId], opts.signal);
      const node = root === undefined ? undefined : nodeAt(root, r.where.parts);
      if (node?.kind === 'dir') out.set(r.rel, this.#entries(r.rel, node, opts));
    }
    return out;
  }

  async stat(path: string, signal?: AbortSignal): Promise<RemoteEntry | undefined> {
    const rel = normalizeRelative(path);
    try {
      const where = this.#locate(rel);
      if (where.level !== 'record') return { name: baseName(rel), path: rel, kind: 'dir', size: -1 };
      if (where.parts.length === 0) {
        await this.#recordId(where, signal);
        return { name: baseName(rel), path: rel, kind: 'dir', size: -1 };
      }
      const node = nodeAt((await this.#drive(where, signal)).root, where.parts);
      return node === undefined ? undefined : { ...entryOf(rel, node), name: baseName(rel) };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The org and the S-Drive file record: one file, whichever record name or folder path led to it. */
  async fileKey(path: string, signal?: AbortSignal): Promise<string | undefined> {
    const rel = normalizeRelative(path);
    try {
      const where = this.#locate(rel);
      if (where.level !== 'record' || where.parts.length === 0) return (await this.stat(rel, signal)) === undefined ? undefined : `${this.#session.instanceUrl}/${rel}`;
      const node = nodeAt((await this.#drive(where, signal)).root, where.parts);
      return node === undefined ? undefined : `${this.#session.instanceUrl}/${node.id}`;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The record, folder and node a path inside a record names. */
  async #inside(rel: string, signal?: AbortSignal): Promise<{ drive: Drive; parent: SDriveNode | undefined; node: SDriveNode | undefined; name: string }> {
    const where = this.#locate(rel);
    if (where.level !== 'record' || where.parts.length === 0) {
      throw new TransferError('unsupported', `${rel || '/'} is not inside a record's S-Drive (<Object>/<record>/…)`, { path: rel });
    }
    const drive = await this.#drive(where, signal);
    const parent = nodeAt(drive.root, where.parts.slice(0, -1));
    const name = where.parts[where.parts.length - 1] ?? '';
    return { drive, parent, node: parent?.kind === 'dir' ? childNamed(parent, name) : undefined, name };
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const rel = normalizeRelative(path);
    const { drive, node } = await this.#inside(rel, opts.signal);
    if (node === undefined) throw new TransferError('notFound', `No S-Drive file ${rel}`, { path: rel });
    if (node.kind !== 'file') throw new TransferError('notFound', `${rel} is a folder, not a file`, { path: rel });
    const url = await downloadLink(this.#session, node.id, drive.recordId, rel, opts.signal);
    const offset = opts.offset ?? 0;
    const response = await s3Request(
      url,
      { method: 'GET', headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, ...(opts.signal === undefined ? {} : { signal: opts.signal }) },
      `the download of ${rel}`,
    );
    if (offset > 0 && response.statusCode !== 206) {
      response.destroy();
      throw new TransferError('protocol', `S3 ignored the range asked for ${rel} (from byte ${offset})`, { path: rel });
    }
    return downloadStream(response, rel);
  }

  /**
   * Uploads through S-Drive's three steps. A file that already exists is replaced without a moment in which
   * the path is empty or the old bytes are lost: S-Drive refuses a second file of the same name, so the new
   * one is uploaded under a staging name, the two records trade names in one all-or-none update, and only
   * then is the old one deleted.
   */
  async write(path: string, data: Readable, opts: WriteOptions = {}): Promise<void> {
    const rel = normalizeRelative(path);
    if (opts.append === true) throw new TransferError('unsupported', 'S-Drive files cannot be appended to', { path: rel });
    const { drive, parent, node: existing, name } = await this.#inside(rel, opts.signal);
    const unsafe = unsafeNameReason(name);
    if (unsafe !== undefined) throw new TransferError('unsafeName', `Refused ${JSON.stringify(name)}: ${unsafe}`, { path: rel });
    if (parent?.kind !== 'dir') throw new TransferError('notFound', `The S-Drive folder ${parentOf(rel)} does not exist`, { path: rel });
    if (existing?.kind === 'dir') throw new TransferError('exists', `${rel} is a folder`, { path: rel });
    const uploadName = existing === undefined ? name : stagingName('new', name);
    const body = await spoolUpload(data, { inlineMaxBytes: INLINE_MAX_BYTES, ...(opts.size === undefined ? {} : { size: opts.size }) });
    try {
      const id = await uploadFile(
        {
          session: this.#session,
          fileObject: drive.fileObject,
          uploadUrl: this.#uploadUrl,
          recordId: drive.recordId,
          folderId: parent.id,
          fileName: uploadName,
          shownName: name,
          subject: rel,
        },
        body,
        opts.signal,
      );
      if (existing !== undefined) {
        await this.#replace(drive, existing, { id, name: uploadName }, name, rel);
        parent.children.delete(existing.name);
      }
      parent.children.set(name, nodeOf({ id, name, folderId: parent.id, isFolder: false, size: body.size, modifiedAt: Date.now() }));
    } catch (e) {
      this.#forget(drive);
      throw e;
    } finally {
      await body.dispose();
    }
  }

  async #replace(drive: Drive, old: SDriveNode, staged: { id: string; name: string }, name: string, rel: string): Promise<void> {
    const aside = stagingName('old', name);
    try {
      await renameAll(this.#session, drive.fileObject, [{ id: old.id, name: aside }, { id: staged.id, name }], `the replacement of ${rel}`);
    } catch (e) {
      const error = asTransferError(e);
      try {
        await deleteFiles(this.#session, drive.recordId, [staged.id], `the unused replacement of ${rel}`);
      } catch (cleanup) {
        throw new TransferError(error.kind, `${error.message}; the uploaded replacement could not be removed either and remains as "${staged.name}": ${asTransferError(cleanup).message}`, {
          path: rel,
          retryable: false,
          cause: e,
        });
      }
      throw error;
    }
    try {
      await deleteFiles(this.#session, drive.recordId, [old.id], `the previous version of ${rel}`);
    } catch (e) {
      const error = asTransferError(e);
      // The new file is in place: sending it again would not help, and the message says what is left.
      throw new TransferError(error.kind, `${rel} was replaced, but its previous version could not be deleted and remains as "${aside}": ${error.message}`, {
        path: rel,
        retryable: false,
        cause: e,
      });
    }
  }

  async mkdir(path: string): Promise<void> {
    const rel = normalizeRelative(path);
    const where = this.#locate(rel);
    if (where.level !== 'record') return;
    if (where.parts.length === 0) {
      await this.#recordId(where);
      return;
    }
    const run = this.#folderWork.then(() => this.#makeFolders(where, rel));
    this.#folderWork = run.catch(() => undefined);
    await run;
  }

  async #makeFolders(where: RecordLocation, rel: string): Promise<void> {
    const drive = await this.#drive(where);
    let dir = drive.root;
    for (const part of where.parts) {
      const child = childNamed(dir, part);
      if (child?.kind === 'file') throw new TransferError('exists', `A file stands where the folder ${rel} should be`, { path: rel });
      if (child !== undefined) {
        dir = child;
        continue;
      }
      const unsafe = unsafeNameReason(part);
      if (unsafe !== undefined) throw new TransferError('unsafeName', `Refused ${JSON.stringify(part)}: ${unsafe}`, { path: rel });
      const id = await createFolder(this.#session, drive.fileObject, drive.recordId, dir.id, part, rel);
      const created = nodeOf({ id, name: part, folderId: dir.id, isFolder: true, size: -1, modifiedAt: Date.now() });
      dir.children.set(part, created);
      dir = created;
    }
  }

  async remove(path: string): Promise<void> {
    const rel = normalizeRelative(path);
    const { drive, parent, node } = await this.#inside(rel);
    if (parent === undefined || node === undefined) throw new TransferError('notFound', `No S-Drive file ${rel}`, { path: rel });
    if (node.kind !== 'file') throw new TransferError('unsupported', `${rel} is a folder: only files are removed one by one`, { path: rel });
    await deleteFiles(this.#session, drive.recordId, [node.id], rel);
    parent.children.delete(node.name);
  }

  async rmdir(path: string): Promise<void> {
    const rel = normalizeRelative(path);
    const where = this.#locate(rel);
    if (where.level !== 'record' || where.parts.length === 0) {
      throw new TransferError('unsupported', `Ferry does not delete Salesforce records or objects (${rel || '/'})`, { path: rel });
    }
    const { drive, parent, node } = await this.#inside(rel);
    if (parent === undefined || node === undefined) throw new TransferError('notFound', `No S-Drive folder ${rel}`, { path: rel });
    if (node.kind !== 'dir') throw new TransferError('notFound', `${rel} is a file, not a folder`, { path: rel });
    // S-Drive deletes a folder with everything in it, uploads in progress included: only an empty one may go.
    if (node.children.size > 0 || (await hasChildren(this.#session, drive.fileObject, drive.recordId, node.id, rel))) {
      throw new TransferError('exists', `The S-Drive folder ${rel} is not empty`, { path: rel });
    }
    await deleteFiles(this.#session, drive.recordId, [node.id], rel);
    parent.children.delete(node.name);
  }

  async close(): Promise<void> {
    this.#trees.clear();
    this.#fileObjects.clear();
    this.#records.clear();
  }
}

function entryOf(path: string, node: SDriveNode): RemoteEntry {
  return {
    name: node.name,
    path,
    kind: node.kind,
    size: node.size,
    ...(node.modifiedAt === undefined || Number.isNaN(node.modifiedAt) ? {} : { modifiedAt: node.modifiedAt }),
  };
}
