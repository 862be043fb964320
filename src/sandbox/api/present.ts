import type { SRecord } from '../OrgStore.js';
import type { SObjectDef } from '../schema.js';

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

/** A record as the REST API returns it: `attributes` first, a blob field as the URL of its bytes. */
export function presentRecord(def: SObjectDef, record: SRecord, version: string, only?: ReadonlyArray<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: def.name, url: recordUrl(version, def.name, record.Id) } };
  const fields = only === undefined ? def.fields : def.fields.filter((f) => only.some((o) => o.toLowerCase() === f.name.toLowerCase()));
  for (const f of fields) {
    if (f.name === def.blobField) out[f.name] = `${recordUrl(version, def.name, record.Id)}/${f.name}`;
    else out[f.name] = record[f.name] ?? null;
  }
  return out;
}
