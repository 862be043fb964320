import { joinRelative } from '../connectors/paths.js';
import type { QuarantinedFile, QuarantineReason } from '../history/JobJournal.js';
import type { JobServices } from './JobServices.js';

/** Enough of a file to recognise it and see its header and first rows, whatever its size. */
const PREVIEW_BYTES = 8192;
const PREVIEW_LINES = 20;

export interface PlacedReason extends QuarantineReason {
  readonly line?: number;
  readonly column?: number;
}

export interface QuarantinePreview {
  readonly firstLines: ReadonlyArray<string>;
  /** The file holds bytes that are not text (a PDF, an image): no lines are shown. */
  readonly binary: boolean;
}

/**
 * Where a reason points in the file. Rules write places as "<file> line L, column C" (CSV and XML)
 * or "<file> line L"; the message is the one place they are kept.
 */
export function placeOf(reason: QuarantineReason): PlacedReason {
  const match = /\bline (\d+)(?:, column (\d+))?/.exec(reason.message);
  if (match === null) return reason;
  const line = Number(match[1]);
  const column = match[2] === undefined ? undefined : Number(match[2]);
  return { ...reason, line, ...(column === undefined ? {} : { column }) };
}

/** The first lines of the copy Ferry keeps of a refused file, read from its quarantine folder. */
export async function previewQuarantined(services: JobServices, file: QuarantinedFile, baseDir: string): Promise<QuarantinePreview> {
  const name = file.file.split('/').pop() ?? file.file;
  const folder = await services.open(file.location, baseDir);
  try {
    const head = await readHead(await folder.fs.read(joinRelative(folder.path, name)));
    if (head.includes(0)) return { firstLines: [], binary: true };
    const text = head.toString('utf8');
    // The last line of the head may be cut short; it is shown only when the whole file was read.
    const lines = text.split(/\r?\n/);
    const whole = head.length < PREVIEW_BYTES;
    const complete = whole ? lines : lines.slice(0, -1);
    return { firstLines: (complete.at(-1) === '' ? complete.slice(0, -1) : complete).slice(0, PREVIEW_LINES), binary: false };
  } finally {
    await folder.fs.close();
  }
}

/** The first `limit` bytes of `stream` (all of it when shorter), which is destroyed once they are read. */
export async function readHead(stream: NodeJS.ReadableStream & { destroy(): void }, limit = PREVIEW_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      chunks.push(buffer);
      size += buffer.length;
      if (size >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
