import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { TransferError } from '../connectors/errors.js';
import { normalizeRelative } from '../connectors/paths.js';
import type { RemoteFs } from '../connectors/types.js';
import { readHead } from '../jobs/quarantinePreview.js';
import type { SampleInput } from '../shared/contract/mappingCommands.js';

/** A preview shows a few dozen rows: this much of a file holds them, whatever its size. */
const SAMPLE_BYTES = 1024 * 1024;

/** A sample copied where the converter reads files, named as a person knows it. */
export interface LocalSample {
  readonly path: string;
  readonly label: string;
  /** Only the file's beginning was copied. */
  readonly partial: boolean;
}

/** Formats read line by line can be previewed from a file's beginning; JSON and XML must be whole. */
type Reading = 'lines' | 'whole';

async function head(fs: RemoteFs, path: string): Promise<{ bytes: Buffer; partial: boolean }> {
  // One byte more than a sample holds tells whether the file goes on past it.
  const bytes = await readHead(await fs.read(path), SAMPLE_BYTES + 1);
  return { bytes: bytes.subarray(0, SAMPLE_BYTES), partial: bytes.length > SAMPLE_BYTES };
}

async function fileBytes(fs: RemoteFs, connection: string, path: string, reading: Reading): Promise<{ bytes: Buffer; partial: boolean; label: string }> {
  const relative = normalizeRelative(path);
  const label = `${connection}:${relative}`;
  const entry = await fs.stat(relative);
  if (entry === undefined) throw new TransferError('notFound', `The sample ${label} does not exist`);
  if (entry.kind !== 'file') throw new TransferError('config', `The sample ${label} is a folder: pick a file`);
  const { bytes, partial } = await head(fs, relative);
  if (!partial) return { bytes, partial, label };
  if (reading === 'whole') throw new TransferError('config', `The sample ${label} is larger than 1 MiB: a JSON or XML sample is read whole, so pick a smaller one`);
  // The last line of the beginning is cut short: it ends at the last line break, and the rows before it are whole.
  const end = bytes.lastIndexOf(0x0a);
  return { bytes: end < 0 ? bytes : bytes.subarray(0, end + 1), partial, label };
}

/**
 * Puts the sample into a folder of its own, runs `use` on it and removes the folder. Pasted text is
 * written in the input format's encoding, so it reads back as it was typed.
 */
export async function withLocalSample<T>(
  sample: SampleInput,
  input: Readonly<Record<string, unknown>>,
  open: (connection: string) => Promise<RemoteFs>,
  use: (local: LocalSample) => Promise<T>,
): Promise<T> {
  const reading: Reading = input['type'] === 'json' || input['type'] === 'xml' ? 'whole' : 'lines';
  const encoding = typeof input['encoding'] === 'string' && iconv.encodingExists(input['encoding']) ? input['encoding'] : 'utf-8';
  const copy =
    sample.kind === 'text'
      ? { bytes: iconv.encode(sample.text, encoding), partial: false, label: 'the pasted sample' }
      : await fileBytes(await open(sample.connection), sample.connection, sample.path, reading);
  const folder = await mkdtemp(join(tmpdir(), 'ferry-sample-'));
  try {
    const path = join(folder, 'sample');
    await writeFile(path, copy.bytes);
    return await use({ path, label: copy.label, partial: copy.partial });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
