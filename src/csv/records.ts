import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { csvReadOptions, MAX_RECORD_CHARS, type CsvDialect } from './dialect.js';

export interface CsvRecord {
  readonly fields: ReadonlyArray<string>;
  /** The line the record starts on, counted from 1 at the top of the file (quoted values can span lines). */
  readonly line: number;
  /** The record as written, without the blank lines before it and its line break: what trailer patterns read. */
  readonly text: string;
}

/** CSV text that cannot be read as records, with where the broken record starts and why, worded for people. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    /** The field the problem is in, counted from 0; undefined when it concerns the whole record. */
    readonly columnIndex: number | undefined,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^(?:\r\n|\r|\n)+/;
const TRAILING_BREAK = /(?:\r\n|\r|\n)$/;

const breaksIn = (text: string): number => text.match(LINE_BREAK)?.length ?? 0;
const leadingBreaksOf = (raw: string): number => breaksIn(LEADING_BREAKS.exec(raw)?.[0] ?? '');

function isParsed(chunk: unknown): chunk is { record: string[]; raw: string } {
  return typeof chunk === 'object' && chunk !== null && 'record' in chunk && Array.isArray(chunk.record) && 'raw' in chunk && typeof chunk.raw === 'string';
}

function reasonFor(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value starts here and is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `the record is longer than ${MAX_RECORD_CHARS / (1024 * 1024)} MB of text (is this a CSV file?)`;
    default:
      return error.message;
  }
}

/**
 * The records of decoded CSV text, each with the line it starts on. Lines are counted from the text of
 * each record, because csv-parse's own count takes a CRLF inside a quoted value for two lines. Fields
 * come as they are, however many: callers say what a wrong count means. A record that cannot be read
 * ends the records with a CsvSyntaxError.
 */
export async function* csvRecords(text: NodeJS.ReadableStream, dialect: CsvDialect, skipLines = 0): AsyncGenerator<CsvRecord> {
  const parser = parse({ ...csvReadOptions(dialect), from_line: skipLines + 1, relax_column_count: true, raw: true });
  // Errors of the source (a missing file, an abort) reach the parser, and so the loop below.
  pipeline(text, parser, () => undefined);
  let linesBefore = skipLines;
  try {
    for await (const chunk of parser as AsyncIterable<unknown>) {
      if (!isParsed(chunk)) throw new Error('csv-parse produced a record without its raw text');
      const line = linesBefore + leadingBreaksOf(chunk.raw) + 1;
      linesBefore += breaksIn(chunk.raw);
      yield { fields: chunk.record, line, text: chunk.raw.replace(LEADING_BREAKS, '').replace(TRAILING_BREAK, '') };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const raw = typeof error.raw === 'string' ? error.raw : '';
    const column = typeof error.column === 'number' ? error.column : undefined;
    throw new CsvSyntaxError(linesBefore + leadingBreaksOf(raw) + 1, column, reasonFor(error));
  }
}
