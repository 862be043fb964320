import { TransferError } from '../errors.js';
import { joinRelative } from '../paths.js';
import type { FoundRecords, RemoteEntry, SearchPage, SelectedRecord } from '../types.js';
import { idInFolderName, recordFolderName } from './fileNames.js';
import { fileBearingObject, searchFieldsOf, type FileBearingObject } from './objects.js';
import type { SalesforceSession } from './SalesforceSession.js';
import { chunkForInClause, soqlLike, soqlString } from './soqlText.js';
import { textOf } from '../../shared/util/textOf.js';

/** A field of a query row by its path: `Account.Name` is nested as `{Account: {Name}}`. */
function fieldAt(row: RecordRow, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

interface RecordRow {
  readonly Id: string;
  readonly [field: string]: unknown;
}

export interface RecordPage {
  readonly search?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

const ID = /^[a-zA-Z0-9]{15}$|^[a-zA-Z0-9]{18}$/;

/**
 * Records shown as folders, by the same rules as Salesforce Files: a record's folder is its name, or
 * `Name (Id)` where the name is not unique or not a safe file name, and a path may also name a record by
 * its id. Objects Ferry does not know (an admin's custom object with an S-Drive file object) are described
 * once for their key prefix and name field.
 */
export class RecordFolders {
  readonly #session: SalesforceSession;
  readonly #objects = new Map<string, Promise<FileBearingObject>>();
  readonly #ids = new Map<string, string>();

  constructor(session: SalesforceSession) {
    this.#session = session;
  }

  async object(name: string, signal?: AbortSignal): Promise<FileBearingObject> {
    const known = fileBearingObject(name);
    if (known !== undefined) return known;
    let described = this.#objects.get(name);
    if (described === undefined) {
      described = this.#describe(name, signal);
      this.#objects.set(name, described);
      void described.catch(() => this.#objects.delete(name));
    }
    return described;
  }

  async #describe(name: string, signal?: AbortSignal): Promise<FileBearingObject> {
    const described = await this.#session.json<{ name: string; keyPrefix: string | null; fields: ReadonlyArray<{ name: string; nameField?: boolean }> }>(
      'GET',
      `/sobjects/${encodeURIComponent(name)}/describe`,
      `the object ${name}`,
      undefined,
      signal,
    );
    const nameField = described.fields.find((f) => f.nameField === true)?.name ?? 'Id';
    return { name: described.name, keyPrefix: described.keyPrefix ?? '', nameField };
  }

  /**
   * The object's records as folders under `dir`, every one or one page (`limit`, `offset`), optionally
   * those whose name contains `search`.
   */
  async list(object: FileBearingObject, dir: string, opts: RecordPage = {}): Promise<{ entries: RemoteEntry[]; more: boolean }> {
    const filter = opts.search === undefined || opts.search === '' ? '' : ` WHERE ${object.nameField} LIKE ${soqlLike(opts.search)}`;
    const page = opts.limit === undefined ? '' : ` LIMIT ${opts.limit + 1}${opts.offset === undefined ? '' : ` OFFSET ${opts.offset}`}`;
    const rows = await this.#session.query<RecordRow>(
      `SELECT Id, ${object.nameField}, LastModifiedDate FROM ${object.name}${filter} ORDER BY ${object.nameField}, Id${page}`,
      `the ${object.name} records`,
      opts.signal,
    );
    const more = opts.limit !== undefined && rows.length > opts.limit;
    const shown = more ? rows.slice(0, opts.limit) : rows;
    const counts = new Map<string, number>();
    for (const r of shown) {
      const n = textOf(r[object.nameField]);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const entries = shown.map((r): RemoteEntry => {
      const recordName = textOf(r[object.nameField]);
      const name = recordFolderName(recordName, r.Id, counts.get(recordName) === 1);
      this.#ids.set(`${object.name}/${name}`, r.Id);
      const modified = typeof r['LastModifiedDate'] === 'string' ? Date.parse(r['LastModifiedDate']) : undefined;
      return { name, path: joinRelative(dir, name), kind: 'dir', size: -1, ...(modified === undefined ? {} : { modifiedAt: modified }) };
    });
    return { entries, more };
  }

  /**
   * The records meeting a SOQL condition written by the user (a job's own filter, so it is passed on
   * as written), with the fields asked for, as folders named like `list` names them.
   */
  async select(
    object: FileBearingObject,
    dir: string,
    where: string | undefined,
    fields: ReadonlyArray<string>,
    signal?: AbortSignal,
  ): Promise<SelectedRecord[]> {
    const selected = [...new Set(['Id', object.nameField, ...fields])].join(', ');
    const rows = await this.#session.query<RecordRow>(
      `SELECT ${selected} FROM ${object.name}${where === undefined ? '' : ` WHERE ${where}`} ORDER BY ${object.nameField}, Id`,
      `the ${object.name} records${where === undefined ? '' : ` where ${where}`}`,
      signal,
    );
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(textOf(r[object.nameField]), (counts.get(textOf(r[object.nameField])) ?? 0) + 1);
    return rows.map((r) => {
      const recordName = textOf(r[object.nameField]);
      const name = recordFolderName(recordName, r.Id, counts.get(recordName) === 1);
      this.#ids.set(`${object.name}/${name}`, r.Id);
      const values = Object.fromEntries(fields.map((f) => [f, textOf(fieldAt(r, f))]));
      return { id: r.Id, path: joinRelative(dir, name), fields: { Id: r.Id, [object.nameField]: recordName, ...values } };
    });
  }

  /**
   * A page of the records whose name, or one of the object's number fields, contains `text`, in name
   * order. Each folder carries the id, so that it names exactly this record. One record more than the
   * page is asked for: its presence is how the page knows that more follow.
   */
  async search(object: FileBearingObject, dir: string, text: string, page: SearchPage, signal?: AbortSignal): Promise<FoundRecords> {
    const extra = searchFieldsOf(object);
    const fields = [object.nameField, ...extra];
    const where = fields.map((f) => `${f} LIKE ${soqlLike(text)}`).join(' OR ');
    const rows = await this.#session.query<RecordRow>(
      `SELECT Id, ${fields.join(', ')} FROM ${object.name} WHERE ${where} ORDER BY ${object.nameField}, Id LIMIT ${page.limit + 1} OFFSET ${page.offset}`,
      `the ${object.name} records matching "${text}"`,
      signal,
    );
    const records = rows.slice(0, page.limit).map((r) => {
      const name = textOf(r[object.nameField]);
      const folder = recordFolderName(name, r.Id, false);
      this.#ids.set(`${object.name}/${folder}`, r.Id);
      const values = extra.flatMap((f): Array<[string, string]> => (textOf(r[f]) === '' ? [] : [[f, textOf(r[f])]]));
      return { id: r.Id, name, path: joinRelative(dir, folder), fields: Object.fromEntries(values) };
    });
    return { records, more: rows.length > page.limit };
  }

  /** The names of the records with these ids, one query per few hundred ids. */
  async names(object: FileBearingObject, ids: ReadonlyArray<string>, signal?: AbortSignal): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const chunk of chunkForInClause(ids.filter((id) => ID.test(id)))) {
      const rows = await this.#session.query<RecordRow>(
        `SELECT Id, ${object.nameField} FROM ${object.name} WHERE Id IN (${chunk.map(soqlString).join(', ')})`,
        `the names of ${chunk.length} ${object.name} records`,
        signal,
      );
      for (const r of rows) {
        const name = textOf(r[object.nameField]);
        // Asked by a 15- or an 18-character id, answered with the 18: both spellings are named.
        for (const asked of chunk) if (asked.slice(0, 15) === r.Id.slice(0, 15)) names.set(asked, name);
      }
    }
    return names;
  }

  /** Remembers a record found another way (a naming rule), so that its folder needs no lookup. */
  remember(object: FileBearingObject, segment: string, id: string): void {
    this.#ids.set(`${object.name}/${segment}`, id);
  }

  /** The id of the record a folder segment names: an id, `Name (Id)`, or a unique name (one query, cached). */
  async idOf(object: FileBearingObject, segment: string, signal?: AbortSignal): Promise<string> {
    const cacheKey = `${object.name}/${segment}`;
    const cached = this.#ids.get(cacheKey);
    if (cached !== undefined) return cached;
    const direct = ID.test(segment) && object.keyPrefix !== '' && segment.startsWith(object.keyPrefix) ? segment : idInFolderName(segment);
    if (direct !== undefined) {
      this.#ids.set(cacheKey, direct);
      return direct;
    }
    const rows = await this.#session.query<RecordRow>(
      `SELECT Id FROM ${object.name} WHERE ${object.nameField} = ${soqlString(segment)} LIMIT 2`,
      `${object.name} "${segment}"`,
      signal,
    );
    const [first, second] = rows;
    if (first === undefined) throw new TransferError('notFound', `No ${object.name} named "${segment}"`, { path: cacheKey });
    if (second !== undefined) {
      throw new TransferError('validation', `More than one ${object.name} is named "${segment}" (${first.Id}, ${second.Id}): use "${segment} (${first.Id})" or the record id`, {
        path: cacheKey,
      });
    }
    this.#ids.set(cacheKey, first.Id);
    return first.Id;
  }

  clear(): void {
    this.#ids.clear();
  }
}
