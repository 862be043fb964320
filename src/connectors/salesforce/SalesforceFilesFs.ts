import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { TransferError } from '../errors.js';
import { joinRelative, normalizeRelative, parentOf, unsafeNameReason } from '../paths.js';
import type { Capabilities, FoundRecords, ListOptions, ReadOptions, RecordSearch, RecordStore, RecordValues, RemoteEntry, RemoteFs, SearchPage, SelectedRecord, ServerReport, WriteOptions } from '../types.js';
import { updateRecords } from './recordUpdates.js';
import { fileNameOf, titleOf } from './fileNames.js';
import { mapSalesforceError } from './mapSalesforceError.js';
import { buildMultipartBody } from './multipartBody.js';
import { FILE_BEARING_OBJECTS, fileBearingObject, type FileBearingObject } from './objects.js';
import { readJsonBody, type SalesforceSession } from './SalesforceSession.js';
import type { NamingRule } from './namingRule.js';
import { RecordFolders, type RecordPage } from './RecordFolders.js';
import { matchRecords, resolveRecords, type RecordMatching, type ResolvedRecord } from './RecordResolver.js';
import { chunkForInClause, soqlString } from './soqlText.js';
import { spoolUpload, type UploadBody } from './uploadBody.js';

export interface SalesforceFilesOptions {
  readonly session: SalesforceSession;
  /** Human-readable location, e.g. `salesforce://ops@example.com@acme.my.salesforce.com`. */
  readonly description: string;
  /** Paths below this one only, e.g. `Account/001…` for a connector scoped to one record. */
  readonly root?: string;
  /**
   * Uploads running at once. Large uploads are long-running requests, of which an org allows only a
   * few at a time (5 in Developer Edition), so the default stays low.
   */
  readonly maxParallelUploads?: number;
  /** Files up to this size go as one Composite call that also reads back the checksum; larger ones stream. */
  readonly inlineUploadMaxBytes?: number;
  /** Written on each new version, as Salesforce's "Reason for change". */
  readonly reasonForChange?: string;
}

/** One file on a record, as the listing found it. */
interface FileInfo {
  readonly name: string;
  readonly documentId: string;
  readonly versionId: string;
  readonly size: number;
  readonly modifiedAt: number | undefined;
  readonly checksum: string | undefined;
  readonly versionNumber: string | undefined;
}

interface LinkRow {
  readonly ContentDocumentId: string;
  readonly LinkedEntityId: string;
  readonly ContentDocument: {
    readonly Title: string;
    readonly FileExtension: string | null;
    readonly ContentSize: number;
    readonly ContentModifiedDate: string | null;
    readonly LatestPublishedVersionId: string;
    readonly LatestPublishedVersion: { readonly Checksum: string | null; readonly VersionNumber: string | null } | null;
  } | null;
}

interface VersionRow {
  readonly Id: string;
  readonly ContentDocumentId: string;
  readonly Checksum: string | null;
  readonly ContentSize: number;
  readonly VersionNumber: string | null;
  readonly ContentModifiedDate: string | null;
}

const VERSION_FIELDS = 'Id,ContentDocumentId,Checksum,ContentSize,VersionNumber,ContentModifiedDate';
const LINK_FIELDS =
  'ContentDocumentId, LinkedEntityId, ContentDocument.Title, ContentDocument.FileExtension, ContentDocument.ContentSize, ' +
  'ContentDocument.ContentModifiedDate, ContentDocument.LatestPublishedVersionId, ' +
  'ContentDocument.LatestPublishedVersion.Checksum, ContentDocument.LatestPublishedVersion.VersionNumber';

/** An upload whose answer was lost: it may have landed, so the next attempt looks before sending again. */
interface UnconfirmedUpload {
  readonly md5: string;
  readonly since: string;
}

type Location =
  | { readonly level: 'root' }
  | { readonly level: 'object'; readonly object: FileBearingObject }
  | { readonly level: 'record'; readonly object: FileBearingObject; readonly segment: string }
  | { readonly level: 'file'; readonly object: FileBearingObject; readonly segment: string; readonly name: string };

/**
 * Salesforce Files as a file system: `<Object>/<record>/<file>`. Objects that carry files are the
 * top folders, their records the next level (by name, or `Name (Id)` where a name is not unique),
 * and the files linked to a record its contents. One ContentVersion insert per upload, with
 * FirstPublishLocationId linking it to the record, or a new version when the record already holds a
 * file of that name.
 */
export class SalesforceFilesFs implements RemoteFs, RecordStore, RecordSearch {
  readonly kind = 'salesforce';
  readonly capabilities: Capabilities;
  readonly description: string;
  readonly storageKey = 'salesforce-files';
  readonly #session: SalesforceSession;
  readonly #root: string;
  readonly #inlineMax: number;
  readonly #reason: string;
  readonly #records: RecordFolders;
  readonly #files = new Map<string, Map<string, FileInfo>>();
  readonly #unconfirmed = new Map<string, UnconfirmedUpload>();

  constructor(options: SalesforceFilesOptions) {
    this.#session = options.session;
    this.#records = new RecordFolders(options.session);
    this.description = options.description;
    this.#root = normalizeRelative(options.root ?? '');
    this.#inlineMax = options.inlineUploadMaxBytes ?? 8 * 1024 * 1024;
    this.#reason = options.reasonForChange ?? 'Updated by Ferry';
    this.capabilities = {
      rename: false,
      resume: false,
      hashes: ['md5'],
      mtimePrecisionMs: 0,
      caseInsensitive: false,
      maxConcurrency: options.maxParallelUploads ?? 3,
    };
  }

  #locate(path: string): Location {
    const full = [this.#root, normalizeRelative(path)].filter((p) => p !== '').join('/');
    const parts = full === '' ? [] : full.split('/');
    if (parts.length === 0) return { level: 'root' };
    const object = fileBearingObject(parts[0] ?? '');
    if (object === undefined) {
      throw new TransferError('notFound', `Salesforce has no file-bearing object "${parts[0] ?? ''}" (try ${FILE_BEARING_OBJECTS.map((o) => o.name).join(', ')})`, { path });
    }
    if (parts.length === 1) return { level: 'object', object };
    const segment = parts[1] ?? '';
    if (parts.length === 2) return { level: 'record', object, segment };
    if (parts.length === 3) return { level: 'file', object, segment, name: parts[2] ?? '' };
    throw new TransferError('notFound', `Salesforce Files have no folders inside a record: ${path}`, { path });
  }


  /** The files of many records with one query per few hundred records. */
  async #loadFiles(recordIds: ReadonlyArray<string>, signal?: AbortSignal): Promise<void> {
    const missing = [...new Set(recordIds)].filter((id) => !this.#files.has(id));
    for (const chunk of chunkForInClause(missing, { maxItems: 200 })) {
      const rows = await this.#session.query<LinkRow>(
        `SELECT ${LINK_FIELDS} FROM ContentDocumentLink WHERE LinkedEntityId IN (${chunk.map(soqlString).join(',')})`,
        `the files of ${chunk.length} record(s)`,
        signal,
      );
      for (const id of chunk) this.#files.set(id, new Map());
      for (const row of rows) {
        const doc = row.ContentDocument;
        if (doc === null) continue;
        const entityKey = chunk.find((id) => id.slice(0, 15) === row.LinkedEntityId.slice(0, 15)) ?? row.LinkedEntityId;
        const files = this.#files.get(entityKey) ?? new Map<string, FileInfo>();
        let name = fileNameOf(doc.Title, doc.FileExtension);
        if (files.has(name)) name = fileNameOf(`${titleOf(name)} (${row.ContentDocumentId})`, doc.FileExtension);
        files.set(name, {
          name,
          documentId: row.ContentDocumentId,
          versionId: doc.LatestPublishedVersionId,
          size: doc.ContentSize,
          modifiedAt: doc.ContentModifiedDate === null ? undefined : Date.parse(doc.ContentModifiedDate),
          checksum: doc.LatestPublishedVersion?.Checksum ?? undefined,
          versionNumber: doc.LatestPublishedVersion?.VersionNumber ?? undefined,
        });
        this.#files.set(entityKey, files);
      }
    }
  }

  async #filesOf(recordId: string, signal?: AbortSignal): Promise<Map<string, FileInfo>> {
    await this.#loadFiles([recordId], signal);
    return this.#files.get(recordId) ?? new Map<string, FileInfo>();
  }

  #fileEntry(dir: string, info: FileInfo): RemoteEntry {
    return {
      name: info.name,
      path: joinRelative(dir, info.name),
      kind: 'file',
      size: info.size,
      ...(info.modifiedAt === undefined ? {} : { modifiedAt: info.modifiedAt }),
      details: {
        version: info.versionNumber ?? '?',
        md5: info.checksum ?? '?',
        contentDocumentId: info.documentId,
      },
      ...(info.checksum === undefined ? {} : { hashes: { md5: info.checksum.toLowerCase() } }),
    };
  }

  async list(dir: string, opts: ListOptions = {}): Promise<ReadonlyArray<RemoteEntry>> {
    const rel = normalizeRelative(dir);
    const where = this.#locate(rel);
    switch (where.level) {
      case 'root':
        return FILE_BEARING_OBJECTS.map((o) => ({ name: o.name, path: joinRelative(rel, o.name), kind: 'dir', size: -1 }));
      case 'object':
        return (await this.listRecords(rel, { signal: opts.signal })).entries;
      case 'record': {
        const id = await this.#records.idOf(where.object, where.segment, opts.signal);
        return this.#safeEntries(rel, (await this.#filesOf(id, opts.signal)).values(), opts);
      }
      case 'file':
        throw new TransferError('notFound', `${rel} is a file, not a folder`, { path: rel });
    }
  }

  /**
   * Several folders at once: every record folder among them costs a share of one query instead of one
   * query each, which is what keeps a batch of hundreds of files within a few API calls.
   */
  async listMany(dirs: ReadonlyArray<string>, opts: ListOptions = {}): Promise<Map<string, ReadonlyArray<RemoteEntry>>> {
    const out = new Map<string, ReadonlyArray<RemoteEntry>>();
    const records: Array<{ dir: string; id: string }> = [];
    for (const dir of dirs) {
      const rel = normalizeRelative(dir);
      const where = this.#locate(rel);
      if (where.level !== 'record') {
        out.set(rel, await this.list(rel, opts));
        continue;
      }
      try {
        records.push({ dir: rel, id: await this.#records.idOf(where.object, where.segment, opts.signal) });
      } catch (e) {
        if (!(e instanceof TransferError) || e.kind !== 'notFound') throw e;
      }
    }
    await this.#loadFiles(records.map((r) => r.id), opts.signal);
    for (const { dir, id } of records) out.set(dir, this.#safeEntries(dir, this.#files.get(id)?.values() ?? [], opts));
    return out;
  }

  /** A record's files as entries, leaving out (and reporting) names that are not one safe path segment. */
  #safeEntries(dir: string, files: Iterable<FileInfo>, opts: ListOptions): RemoteEntry[] {
    const entries: RemoteEntry[] = [];
    for (const info of files) {
      const unsafe = unsafeNameReason(info.name);
      if (unsafe !== undefined) opts.onUnsafeName?.(info.name, unsafe);
      else entries.push(this.#fileEntry(dir, info));
    }
    return entries;
  }

  /** A page of an object's records, optionally those whose name contains `search`. */
  async listRecords(dir: string, opts: RecordPage = {}): Promise<{ entries: RemoteEntry[]; more: boolean }> {
    const rel = normalizeRelative(dir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('notFound', `${rel} is not an object folder`, { path: rel });
    return this.#records.list(where.object, rel, opts);
  }

  async searchRecords(objectDir: string, text: string, page: SearchPage, signal?: AbortSignal): Promise<FoundRecords> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are searched in an object folder (e.g. Account), not ${rel || '/'}`);
    return this.#records.search(where.object, rel, text, page, signal);
  }

  async recordNames(objectDir: string, ids: ReadonlyArray<string>, signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are named in an object folder (e.g. Account), not ${rel || '/'}`);
    return this.#records.names(where.object, ids, signal);
  }

  async selectRecords(
    objectDir: string,
    query: { readonly where?: string | undefined; readonly fields: ReadonlyArray<string> },
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<SelectedRecord>> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are selected in an object folder (e.g. Opportunity), not ${rel || '/'}`);
    return this.#records.select(where.object, rel, query.where, query.fields, signal);
  }

  async updateRecords(
    objectDir: string,
    updates: ReadonlyArray<{ readonly id: string; readonly values: RecordValues }>,
    signal?: AbortSignal,
  ): Promise<ReadonlyArray<{ readonly id: string; readonly error?: string }>> {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') throw new TransferError('config', `Records are updated in an object folder (e.g. Opportunity), not ${rel || '/'}`);
    return updateRecords(this.#session, where.object.name, updates, signal);
  }

  /**
   * The record folder each file goes to under `objectDir` (e.g. `Account`), found by a naming rule
   * from the file's relative path, or the reason it has none.
   */
  async resolveRecordFolders(
    objectDir: string,
    rule: NamingRule,
    relativePaths: ReadonlyArray<string>,
    signal?: AbortSignal,
  ): Promise<Array<{ readonly folder: string; readonly record: ResolvedRecord } | TransferError>> {
    const { rel, object } = this.#ruleTarget(objectDir);
    const resolved = await resolveRecords(this.#session, object, rule, relativePaths, signal);
    return resolved.map((r) => {
      if (r instanceof TransferError) return r;
      this.#records.remember(object, r.recordId, r.recordId);
      return { folder: joinRelative(rel, r.recordId), record: r };
    });
  }

  /** The object folder a naming rule resolves in. */
  #ruleTarget(objectDir: string): { readonly rel: string; readonly object: FileBearingObject } {
    const rel = normalizeRelative(objectDir);
    const where = this.#locate(rel);
    if (where.level !== 'object') {
      throw new TransferError('config', `A naming rule needs an object folder as the target (e.g. Account/), not ${rel || '/'}`);
    }
    return { rel, object: where.object };
  }

  /**
   * What a naming rule makes of each path under `objectDir`, as `resolveRecordFolders` finds it, with
   * the candidates of ambiguous ones, the SOQL it cost and the org's daily API usage after it (when the
   * org has reported it), for trying a rule before a transfer or a job uses it.
   */
  async matchRecords(
    objectDir: string,
    rule: NamingRule,
    relativePaths: ReadonlyArray<string>,
    signal?: AbortSignal,
  ): Promise<RecordMatching & { readonly apiUsage: { readonly used: number; readonly limit: number } | undefined }> {
    const matching = await matchRecords(this.#session, this.#ruleTarget(objectDir).object, rule, relativePaths, signal);
    const { used, limit } = this.#session.budget;
    return { ...matching, apiUsage: Number.isFinite(limit) ? { used, limit } : undefined };
  }

  /** The org and the ContentDocument: one file, whichever record name or Id led to it. */
  async fileKey(path: string, signal?: AbortSignal): Promise<string | undefined> {
    const entry = await this.stat(path, signal);
    if (entry === undefined) return undefined;
    return `${this.#session.instanceUrl}/${entry.details?.['contentDocumentId'] ?? normalizeRelative(path)}`;
  }

  async stat(path: string, signal?: AbortSignal): Promise<RemoteEntry | undefined> {
    const rel = normalizeRelative(path);
    let where: Location;
    try {
      where = this.#locate(rel);
    } catch (e) {
      if (e instanceof TransferError && e.kind === 'notFound') return undefined;
      throw e;
    }
    const name = rel.split('/').pop() ?? '';
    switch (where.level) {
      case 'root':
      case 'object':
        return { name, path: rel, kind: 'dir', size: -1 };
      case 'record':
        try {
          await this.#records.idOf(where.object, where.segment, signal);
          return { name, path: rel, kind: 'dir', size: -1 };
        } catch (e) {
          if (e instanceof TransferError && e.kind === 'notFound') return undefined;
          throw e;
        }
      case 'file': {
        const info = await this.#fileInfo(where, signal).catch((e: unknown) => {
          if (e instanceof TransferError && e.kind === 'notFound') return undefined;
          throw e;
        });
        return info === undefined ? undefined : this.#fileEntry(parentOf(rel), info);
      }
    }
  }

  async #fileInfo(where: Extract<Location, { level: 'file' }>, signal?: AbortSignal): Promise<FileInfo | undefined> {
    const id = await this.#records.idOf(where.object, where.segment, signal);
    return (await this.#filesOf(id, signal)).get(where.name);
  }

  async #requireFile(path: string, signal?: AbortSignal): Promise<FileInfo> {
    const where = this.#locate(normalizeRelative(path));
    if (where.level !== 'file') throw new TransferError('notFound', `${path} is a folder, not a file`, { path });
    const info = await this.#fileInfo(where, signal);
    if (info === undefined) throw new TransferError('notFound', `No file ${path}`, { path });
    return info;
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Readable> {
    const info = await this.#requireFile(path, opts.signal);
    const offset = opts.offset ?? 0;
    const body = await this.#session.stream('GET', `/sobjects/ContentVersion/${info.versionId}/VersionData`, path, {
      ...(offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : {}),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    if (offset > 0 || info.checksum === undefined) return body;
    // The bytes are checked against Salesforce's own MD5 as they pass: a damaged download fails.
    const checked = body.pipe(new Md5Check(info.checksum, path));
    body.once('error', (e) => checked.destroy(mapSalesforceError(e, path)));
    return checked;
  }

  async write(path: string, data: Readable, opts: WriteOptions = {}): Promise<void> {
    const rel = normalizeRelative(path);
    const where = this.#locate(rel);
    if (where.level !== 'file') throw new TransferError('unsupported', `Files go into a record folder (<Object>/<record>/<file>), not ${rel}`, { path: rel });
    if (opts.append === true) throw new TransferError('unsupported', 'Salesforce Files cannot be appended to', { path: rel });
    const unsafe = unsafeNameReason(where.name);
    if (unsafe !== undefined) throw new TransferError('unsafeName', `Refused ${JSON.stringify(where.name)}: ${unsafe}`, { path: rel });
    const recordId = await this.#records.idOf(where.object, where.segment, opts.signal);
    const files = await this.#filesOf(recordId, opts.signal);
    const existing = files.get(where.name);
    const key = `${recordId}/${where.name}`;
    const body = await spoolUpload(data, { inlineMaxBytes: this.#inlineMax, ...(opts.size === undefined ? {} : { size: opts.size }) });
    try {
      const landed = await this.#alreadyLanded(key, body, recordId, existing, opts.signal);
      const version = landed ?? (await this.#upload(rel, key, where.name, recordId, existing, body, opts.signal));
      files.set(where.name, {
        name: where.name,
        documentId: version.ContentDocumentId,
        versionId: version.Id,
        size: version.ContentSize,
        modifiedAt: version.ContentModifiedDate === null ? Date.now() : Date.parse(version.ContentModifiedDate),
        checksum: version.Checksum ?? undefined,
        versionNumber: version.VersionNumber ?? undefined,
      });
    } finally {
      await body.dispose();
    }
  }

  /**
   * After an upload whose answer was lost, the version may exist: look for it by its MD5 before
   * sending the bytes again, so a retry never leaves two copies.
   */
  async #alreadyLanded(key: string, body: UploadBody, recordId: string, existing: FileInfo | undefined, signal?: AbortSignal): Promise<VersionRow | undefined> {
    const unconfirmed = this.#unconfirmed.get(key);
    if (unconfirmed === undefined) return undefined;
    this.#unconfirmed.delete(key);
    // A streamed file is read to the end first: its MD5 says whether it is the one that may have landed.
    const md5 = body.md5 ?? (await md5Of(body.open()));
    const owner = existing === undefined ? `FirstPublishLocationId = ${soqlString(recordId)}` : `ContentDocumentId = ${soqlString(existing.documentId)}`;
    const rows =
      md5 !== unconfirmed.md5
        ? []
        : await this.#session.query<VersionRow>(
            `SELECT ${VERSION_FIELDS} FROM ContentVersion WHERE ${owner} AND Checksum = ${soqlString(md5)} AND CreatedDate >= ${unconfirmed.since} ORDER BY CreatedDate DESC LIMIT 1`,
            `the earlier upload of ${key}`,
            signal,
          );
    if (rows[0] === undefined && body.md5 === undefined) {
      throw new TransferError('network', `The earlier upload of ${key} did not land; sending it again`, { path: key });
    }
    return rows[0];
  }

  async #upload(
    path: string,
    key: string,
    name: string,
    recordId: string,
    existing: FileInfo | undefined,
    body: UploadBody,
    signal?: AbortSignal,
  ): Promise<VersionRow> {
    const entity: Record<string, unknown> = { Title: titleOf(name), PathOnClient: name };
    if (existing === undefined) entity['FirstPublishLocationId'] = recordId;
    else {
      entity['ContentDocumentId'] = existing.documentId;
      entity['ReasonForChange'] = this.#reason;
    }
    const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let sentAll = false;
    let md5: string | undefined = body.md5;
    try {
      let version: VersionRow;
      if (body.inline !== undefined) {
        sentAll = true;
        version = await this.#uploadInline(path, entity, body.inline, signal);
      } else {
        const multipart = buildMultipartBody({ entity, blobField: 'VersionData', fileName: name, data: body.open(), size: body.size });
        try {
          const response = await this.#session.stream('POST', '/sobjects/ContentVersion', path, {
            headers: { 'Content-Type': multipart.contentType },
            body: multipart.body,
            length: multipart.contentLength,
            ...(signal === undefined ? {} : { signal }),
          });
          const created = await readJsonBody<{ id: string }>(response);
          version = await this.#session.json<VersionRow>('GET', `/sobjects/ContentVersion/${created.id}?fields=${VERSION_FIELDS}`, path, undefined, signal);
        } finally {
          if (multipart.bytesSent() === body.size) {
            sentAll = true;
            md5 ??= safeMd5(multipart);
          }
        }
      }
      await this.#verify(path, version, md5, body.size, existing === undefined, signal);
      return version;
    } catch (e) {
      const error = mapSalesforceError(e, path);
      // A lost connection after every byte left is ambiguous: Salesforce may have saved the file.
      if (sentAll && md5 !== undefined && error.retryable) this.#unconfirmed.set(key, { md5, since });
      throw error;
    }
  }

  /** Small files: one Composite call inserts the version and reads back what Salesforce stored. */
  async #uploadInline(path: string, entity: Record<string, unknown>, bytes: Buffer, signal?: AbortSignal): Promise<VersionRow> {
    const base = `/services/data/v${this.#session.apiVersion}/sobjects/ContentVersion`;
    const result = await this.#session.json<{ compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }> }>(
      'POST',
      '/composite',
      path,
      {
        allOrNone: false,
        compositeRequest: [
          { method: 'POST', url: base, referenceId: 'upload', body: { ...entity, VersionData: bytes.toString('base64') } },
          { method: 'GET', url: `${base}/@{upload.id}?fields=${VERSION_FIELDS}`, referenceId: 'stored' },
        ],
      },
      signal,
    );
    const [upload, stored] = result.compositeResponse;
    if (upload === undefined || upload.httpStatusCode >= 400) throw mapSalesforceError({ data: upload?.body }, path);
    if (stored === undefined || stored.httpStatusCode >= 400) throw mapSalesforceError({ data: stored?.body }, path);
    return stored.body as VersionRow;
  }

  /** Compares what Salesforce stored with what was sent; a bad new document is removed again. */
  async #verify(path: string, version: VersionRow, md5: string | undefined, size: number, newDocument: boolean, signal?: AbortSignal): Promise<void> {
    const sizeOk = version.ContentSize === size;
    const md5Ok = md5 === undefined || version.Checksum === null || version.Checksum.toLowerCase() === md5;
    if (sizeOk && md5Ok) return;
    if (newDocument) await this.#session.json('DELETE', `/sobjects/ContentDocument/${version.ContentDocumentId}`, path, undefined, signal);
    throw new TransferError(
      'integrity',
      `Salesforce stored ${path} differently from what was sent (${version.ContentSize} bytes, MD5 ${version.Checksum ?? '?'}; sent ${size} bytes, MD5 ${md5 ?? '?'})`,
      { path, retryable: newDocument },
    );
  }

  async mkdir(path: string): Promise<void> {
    const rel = normalizeRelative(path);
    const where = this.#locate(rel);
    if (where.level === 'file') throw new TransferError('unsupported', `Salesforce Files have no folders inside a record: ${rel}`, { path: rel });
    if (where.level === 'record') await this.#records.idOf(where.object, where.segment);
  }

  async remove(path: string): Promise<void> {
    const rel = normalizeRelative(path);
    const where = this.#locate(rel);
    if (where.level !== 'file') throw new TransferError('unsupported', `Only files can be removed, not ${rel}`, { path: rel });
    const recordId = await this.#records.idOf(where.object, where.segment);
    const info = (await this.#filesOf(recordId)).get(where.name);
    if (info === undefined) throw new TransferError('notFound', `No file ${rel}`, { path: rel });
    const links = await this.#session.query<{ Id: string; LinkedEntityId: string }>(
      `SELECT Id, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = ${soqlString(info.documentId)}`,
      rel,
    );
    const here = links.find((l) => l.LinkedEntityId.slice(0, 15) === recordId.slice(0, 15));
    // Users' own links (005…) come with every file; links to other records mean the file is shared.
    const sharedElsewhere = links.some((l) => l !== here && !l.LinkedEntityId.startsWith('005'));
    if (sharedElsewhere && here !== undefined) await this.#session.json('DELETE', `/sobjects/ContentDocumentLink/${here.Id}`, rel);
    else await this.#session.json('DELETE', `/sobjects/ContentDocument/${info.documentId}`, rel);
    this.#files.get(recordId)?.delete(where.name);
  }

  async rmdir(path: string): Promise<void> {
    throw new TransferError('unsupported', `Ferry does not delete Salesforce records (${normalizeRelative(path)})`, { path });
  }

  async hash(path: string): Promise<string> {
    const info = await this.#requireFile(path);
    if (info.checksum === undefined) throw new TransferError('unsupported', `Salesforce gives no checksum for ${path}`, { path });
    return info.checksum.toLowerCase();
  }

  async report(): Promise<ServerReport> {
    await this.#session.checkLimits();
    const budget = this.#session.budget;
    return {
      connector: 'salesforce',
      description: this.description,
      banner: `Salesforce REST API v${this.#session.apiVersion} at ${this.#session.instanceUrl}`,
      features: [`daily API calls: ${budget.used.toLocaleString('en-US')} of ${budget.limit.toLocaleString('en-US')} used`, 'Files (ContentVersion)', 'MD5 checksums'],
      capabilities: this.capabilities,
      security: this.#session.instanceUrl.startsWith('https:') ? 'TLS' : 'plain HTTP (local sandbox)',
    };
  }

  async close(): Promise<void> {
    this.#files.clear();
  }
}

async function md5Of(stream: Readable): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function safeMd5(body: { md5(): string }): string | undefined {
  try {
    return body.md5();
  } catch {
    return undefined;
  }
}

/** Passes bytes through and fails at the end unless their MD5 is the expected one. */
class Md5Check extends Transform {
  readonly #hash = createHash('md5');
  readonly #expected: string;
  readonly #path: string;

  constructor(expected: string, path: string) {
    super();
    this.#expected = expected.toLowerCase();
    this.#path = path;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const actual = this.#hash.digest('hex');
    if (actual === this.#expected) done();
    else done(new TransferError('integrity', `The download of ${this.#path} does not match Salesforce's checksum (${actual} ≠ ${this.#expected})`, { path: this.#path, retryable: true }));
  }
}
