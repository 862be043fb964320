import type { OrgStore, StoredBlob } from '../OrgStore.js';
import { randomToken } from '../ids.js';

/** What the fake bucket knows of one object; the bytes themselves are an OrgStore blob. */
export interface S3Object {
  readonly blobKey: string;
  readonly size: number;
  readonly md5: string;
  readonly versionId: string;
  readonly contentType: string;
  readonly contentDisposition: string | null;
  /** `x-amz-meta-*` fields given at upload, answered as headers on download. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly lastModified: string;
}

export interface ObjectDetails {
  readonly contentType: string;
  readonly contentDisposition?: string | null;
  readonly metadata?: Readonly<Record<string, string>>;
}

const OBJECTS_ENTRY = 'sdriveS3Objects';

/** Key → object, kept in the org's persisted bag so the bucket survives a restart with the records. */
function objects(store: OrgStore): Record<string, S3Object> {
  const saved = store.extra[OBJECTS_ENTRY];
  if (typeof saved === 'object' && saved !== null) return saved as Record<string, S3Object>;
  const created: Record<string, S3Object> = {};
  store.extra[OBJECTS_ENTRY] = created;
  return created;
}

export function getS3Object(store: OrgStore, key: string): S3Object | undefined {
  const table = objects(store);
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Makes `blob` the object at `key` with a new version id; the body it replaces is removed. */
export async function putS3Object(store: OrgStore, key: string, blob: StoredBlob, details: ObjectDetails): Promise<S3Object> {
  const previous = getS3Object(store, key);
  const stored: S3Object = {
    blobKey: blob.key,
    size: blob.size,
    md5: blob.md5,
    versionId: randomToken(24),
    contentType: details.contentType,
    contentDisposition: details.contentDisposition ?? null,
    metadata: details.metadata ?? {},
    lastModified: new Date().toUTCString(),
  };
  objects(store)[key] = stored;
  store.touch();
  if (previous !== undefined) await store.removeBlob(previous.blobKey);
  return stored;
}

export async function deleteS3Object(store: OrgStore, key: string): Promise<void> {
  const previous = getS3Object(store, key);
  if (previous === undefined) return;
  delete objects(store)[key];
  store.touch();
  await store.removeBlob(previous.blobKey);
}
