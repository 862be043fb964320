import { parse as parseCsv } from 'csv-parse/sync';
import { TransferError } from '../connectors/errors.js';
import { csvReadOptions } from '../csv/dialect.js';
import type { RemoteFs } from '../connectors/types.js';
import type { ManifestRule } from './definition/jobSchema.js';

export interface ManifestEntry {
  readonly checksum?: string;
  readonly size?: number;
}

/** The expected set a partner listed, by file name (relative to the manifest's folder). */
export interface Manifest {
  /** The manifest's path on the source. */
  readonly path: string;
  readonly entries: ReadonlyMap<string, ManifestEntry>;
}

/** Manifests are lists of names: anything bigger is not one. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export async function readManifest(fs: RemoteFs, path: string, rule: ManifestRule, signal: AbortSignal): Promise<Manifest> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of await fs.read(path, { signal })) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_MANIFEST_BYTES) throw new TransferError('validation', `The manifest ${path} is larger than 16 MB`, { path });
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  try {
    return { path, entries: parseManifest(text, rule.format) };
  } catch (e) {
    throw new TransferError('validation', `The manifest ${path} cannot be read: ${(e as Error).message}`, { path, cause: e });
  }
}

export function parseManifest(text: string, format: ManifestRule['format']): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  const add = (name: unknown, size: unknown, checksum: unknown): void => {
    if (typeof name !== 'string' || name.trim() === '') throw new Error('an entry has no file name');
    const n = size === undefined || size === '' || size === null ? undefined : Number(size);
    if (n !== undefined && !Number.isSafeInteger(n)) throw new Error(`the size of ${name} is not a whole number`);
    entries.set(name.trim(), {
      ...(typeof checksum === 'string' && checksum !== '' ? { checksum: checksum.toLowerCase() } : {}),
      ...(n === undefined ? {} : { size: n }),
    });
  };
  switch (format) {
    case 'sums':
      for (const line of text.split(/\r?\n/)) {
        if (line.trim() === '' || line.startsWith('#')) continue;
        const sum = /^([0-9a-fA-F]{32,128})\s+\*?(.+)$/.exec(line);
        if (sum === null) add(line, undefined, undefined);
        else add(sum[2], undefined, sum[1]);
      }
      return entries;
    case 'csv': {
      const rows = parseCsv<Record<string, string>>(text, {
        ...csvReadOptions({ delimiter: ',', quote: '"' }),
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        trim: true,
      });
      for (const row of rows) add(row['name'], row['size'], row['checksum']);
      return entries;
    }
    case 'json': {
      const value: unknown = JSON.parse(text);
      if (!Array.isArray(value)) throw new Error('a JSON manifest is an array of {name, size?, checksum?}');
      for (const item of value as unknown[]) {
        if (typeof item !== 'object' || item === null) throw new Error('a JSON manifest entry is an object');
        const e = item as Record<string, unknown>;
        add(e['name'], e['size'], e['checksum']);
      }
      return entries;
    }
  }
}
