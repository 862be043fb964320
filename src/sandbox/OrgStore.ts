import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdFactory, normalizeId } from './ids.js';
import type { Schema, SObjectDef } from './schema.js';

/** One record: canonical field names to JSON values. `Id` is always the 18-character form. */
export type SRecord = Record<string, unknown> & { readonly Id: string };

export interface StoredBlob {
  readonly key: string;
  readonly size: number;
  readonly md5: string;
}

interface Snapshot {
  readonly version: 1;
  readonly idCounter: number;
  readonly autoNumbers: Record<string, number>;
  readonly records: ReadonlyArray<{ readonly type: string; readonly fields: SRecord }>;
  readonly blobs: ReadonlyArray<StoredBlob>;
  readonly extra: Record<string, unknown>;
}

/**
 * The org's data: records by type, and file bodies on disk. With a data folder everything survives a
 * restart (`org.json` written by rename, bodies under `blobs/`); without one, bodies go to a temporary
 * folder that `close` removes.
 */
export class OrgStore {
  readonly schema: Schema;
  readonly ids: IdFactory;
  readonly #byType = new Map<string, Map<string, SRecord>>();
  readonly #typeOfId = new Map<string, string>();
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #autoNumbers: Record<string, number>;
  readonly #dir: string;
  readonly #ephemeral: boolean;
  /** Other modules' persistent state (tokens, S-Drive keys...), saved with the records. */
  readonly extra: Record<string, unknown>;
  #saving: Promise<void> = Promise.resolve();
  #dirty = false;

  private constructor(schema: Schema, dir: string, ephemeral: boolean, snapshot: Snapshot | undefined) {
    this.schema = schema;
    this.#dir = dir;
    this.#ephemeral = ephemeral;
    this.ids = new IdFactory(snapshot?.idCounter ?? 0);
    this.#autoNumbers = { ...(snapshot?.autoNumbers ?? {}) };
    this.extra = { ...(snapshot?.extra ?? {}) };
    for (const r of snapshot?.records ?? []) this.#put(r.type, r.fields);
    for (const b of snapshot?.blobs ?? []) this.#blobs.set(b.key, b);
  }

  /** Opens the org kept in `dir`, or a fresh one when `dir` holds none yet. */
  static async open(schema: Schema, dir: string, ephemeral: boolean): Promise<OrgStore> {
    await mkdir(join(dir, 'blobs'), { recursive: true });
    let snapshot: Snapshot | undefined;
    try {
      snapshot = JSON.parse(await readFile(join(dir, 'org.json'), 'utf8')) as Snapshot;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return new OrgStore(schema, dir, ephemeral, snapshot);
  }

  get isEmpty(): boolean {
    return this.#typeOfId.size === 0;
  }

  #put(type: string, fields: SRecord): void {
    let table = this.#byType.get(type);
    if (table === undefined) {
      table = new Map();
      this.#byType.set(type, table);
    }
    table.set(fields.Id, fields);
    this.#typeOfId.set(fields.Id, type);
  }

  /**
   * Stores a new record with its id, audit fields, defaults and auto-number filled in. Values must
   * already be checked: this is storage, not validation.
   */
  insert(def: SObjectDef, values: Record<string, unknown>, userId: string, now = new Date()): SRecord {
    const id = this.ids.next(def.keyPrefix);
    const stamp = now.toISOString().replace('Z', '+0000');
    const record: Record<string, unknown> = {};
    for (const f of def.fields) {
      if (f.defaultValue !== undefined) record[f.name] = f.defaultValue;
      else if (f.name !== 'Id') record[f.name] = null;
    }
    Object.assign(record, values, {
      Id: id,
      IsDeleted: false,
      CreatedDate: stamp,
      CreatedById: userId,
      LastModifiedDate: stamp,
      LastModifiedById: userId,
      SystemModstamp: stamp,
    });
    if (def.fields.some((f) => f.name === 'OwnerId') && (values['OwnerId'] ?? null) === null) record['OwnerId'] = userId;
    if (def.autoNumber !== undefined) {
      const n = (this.#autoNumbers[def.name] ?? 0) + 1;
      this.#autoNumbers[def.name] = n;
      record[def.autoNumber.field] = def.autoNumber.format(n);
    }
    const stored = record as SRecord;
    this.#put(def.name, stored);
    this.touch();
    return stored;
  }

  update(id: string, values: Record<string, unknown>, userId: string, now = new Date()): SRecord | undefined {
    const record = this.get(id);
    if (record === undefined) return undefined;
    const stamp = now.toISOString().replace('Z', '+0000');
    Object.assign(record, values, { LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp });
    this.touch();
    return record;
  }

  /** Puts a deleted record back under its old id (an all-or-none batch rolling back). */
  restore(type: string, record: SRecord): void {
    this.#put(type, record);
    this.touch();
  }

  delete(id: string): boolean {
    const canonical = normalizeId(id);
    if (canonical === undefined) return false;
    const type = this.#typeOfId.get(canonical);
    if (type === undefined) return false;
    this.#byType.get(type)?.delete(canonical);
    this.#typeOfId.delete(canonical);
    this.touch();
    return true;
  }

  get(id: string): SRecord | undefined {
    const canonical = normalizeId(id);
    if (canonical === undefined) return undefined;
    const type = this.#typeOfId.get(canonical);
    return type === undefined ? undefined : this.#byType.get(type)?.get(canonical);
  }

  typeOf(id: string): string | undefined {
    const canonical = normalizeId(id);
    return canonical === undefined ? undefined : this.#typeOfId.get(canonical);
  }

  all(type: string): Iterable<SRecord> {
    return this.#byType.get(type)?.values() ?? [];
  }

  /** Streams a body to disk while hashing it; `limit` bytes at most (the stream is failed beyond). */
  async putBlob(data: Readable): Promise<StoredBlob> {
    const key = randomUUID();
    const path = join(this.#dir, 'blobs', key);
    const md5 = createHash('md5');
    let size = 0;
    data.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      size += chunk.length;
    });
    try {
      await pipeline(data, createWriteStream(path));
    } catch (e) {
      await rm(path, { force: true });
      throw e;
    }
    const blob: StoredBlob = { key, size, md5: md5.digest('hex') };
    this.#blobs.set(key, blob);
    this.touch();
    return blob;
  }

  async putBlobBytes(bytes: Buffer): Promise<StoredBlob> {
    const key = randomUUID();
    await writeFile(join(this.#dir, 'blobs', key), bytes);
    const blob: StoredBlob = { key, size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') };
    this.#blobs.set(key, blob);
    this.touch();
    return blob;
  }

  blob(key: string): StoredBlob | undefined {
    return this.#blobs.get(key);
  }

  openBlob(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(join(this.#dir, 'blobs', key), range === undefined ? {} : range);
  }

  async removeBlob(key: string): Promise<void> {
    if (!this.#blobs.delete(key)) return;
    await rm(join(this.#dir, 'blobs', key), { force: true });
    this.touch();
  }

  /** Bytes of every body on disk, Files and S3 objects alike. */
  get blobBytes(): number {
    let total = 0;
    for (const b of this.#blobs.values()) total += b.size;
    return total;
  }

  /** Marks the org changed; the snapshot is written shortly after, once for a burst of changes. */
  touch(): void {
    if (this.#ephemeral || this.#dirty) return;
    this.#dirty = true;
    this.#saving = this.#saving.then(
      () =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            this.#dirty = false;
            this.#writeSnapshot().then(resolve, resolve);
          }, 20);
        }),
    );
  }

  async #writeSnapshot(): Promise<void> {
    const records: Array<{ type: string; fields: SRecord }> = [];
    for (const [type, table] of this.#byType) for (const fields of table.values()) records.push({ type, fields });
    const snapshot: Snapshot = {
      version: 1,
      idCounter: this.ids.counter,
      autoNumbers: this.#autoNumbers,
      records,
      blobs: [...this.#blobs.values()],
      extra: this.extra,
    };
    const file = join(this.#dir, 'org.json');
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(snapshot));
    await rename(tmp, file);
  }

  /** Waits for pending writes; removes a temporary org's folder. */
  async close(): Promise<void> {
    await this.#saving;
    if (this.#dirty) await this.#writeSnapshot();
    if (this.#ephemeral) await rm(this.#dir, { recursive: true, force: true });
  }
}
