import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { csvPlace } from '../csv/place.js';
import { csvRecords, CsvSyntaxError, type CsvRecord } from '../csv/records.js';
import { decodedFile, encodingOf, unencodable, type TextSink } from './encoding.js';
import { FormatError } from './errors.js';
import type { CsvSpec } from './format.js';
import { renderLine, type LineVars } from './lineTemplate.js';
import type { Row } from './records.js';
import { eolOf, isTrailer } from './recordLines.js';

const quoteOf = (spec: CsvSpec): string => spec.quote ?? '"';

function toRow(columns: ReadonlyArray<string>, record: CsvRecord, path: string): Row {
  if (record.fields.length !== columns.length) {
    throw new FormatError(`${csvPlace(path, record.line)}: ${record.fields.length} fields, expected ${columns.length} (${columns.join(', ')})`, record.line);
  }
  return Object.fromEntries(columns.map((column, i) => [column, record.fields[i] ?? '']));
}

function headerColumns(record: CsvRecord, path: string): string[] {
  const seen = new Set<string>();
  record.fields.forEach((name, index) => {
    if (seen.has(name)) throw new FormatError(`${csvPlace(path, record.line, index)}: the column "${name}" appears more than once in the header`, record.line);
    seen.add(name);
  });
  return [...record.fields];
}

export async function* readCsv(path: string, spec: CsvSpec, signal?: AbortSignal): AsyncGenerator<Row> {
  const skip = spec.skipLines ?? spec.headerLines?.length ?? 0;
  const dialect = { delimiter: spec.delimiter ?? ',', quote: quoteOf(spec), ...(spec.escape === undefined ? {} : { escape: spec.escape }) };
  const trailer = spec.trailerPattern === undefined ? undefined : new RegExp(spec.trailerPattern, 'u');
  let columns: string[] | undefined = spec.header === false ? spec.columns : undefined;
  let pending: CsvRecord | undefined;
  try {
    for await (const record of csvRecords(decodedFile(path, encodingOf(spec.encoding), signal), dialect, skip)) {
      signal?.throwIfAborted();
      if (columns === undefined && spec.header !== false) {
        columns = headerColumns(record, path);
        continue;
      }
      columns ??= record.fields.map((_, i) => String(i + 1));
      if (pending) yield toRow(columns, pending, path);
      pending = record;
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    // Columns numbered for a file without a header have no names to show.
    const names = spec.header === false ? spec.columns : columns;
    throw new FormatError(`${csvPlace(path, error.line, error.columnIndex, names)}: ${error.reason}`, error.line);
  }
  if (pending && columns && !isTrailer(pending.text, trailer)) yield toRow(columns, pending, path);
}

/** Why a row cannot be written in this CSV format, or undefined. */
export function csvOutputProblem(values: ReadonlyArray<string>, columns: ReadonlyArray<string>, spec: CsvSpec): string | undefined {
  const encoding = encodingOf(spec.encoding);
  const delimiter = spec.delimiter ?? ',';
  for (const [i, value] of values.entries()) {
    const column = columns[i] ?? String(i + 1);
    if (quoteOf(spec) === '' && (value.includes(delimiter) || /[\r\n]/.test(value))) {
      return `field "${column}" contains the delimiter or a line break, and quoting is off`;
    }
    const bad = unencodable(value, encoding);
    if (bad !== undefined) return `field "${column}" has "${bad}", which ${encoding} cannot represent`;
  }
  return undefined;
}

function columnsOf(spec: CsvSpec, first: Row | undefined): string[] | undefined {
  if (spec.columns) return spec.columns;
  return first === undefined ? undefined : Object.keys(first);
}

export async function writeCsv(rows: AsyncIterable<Row> | Iterable<Row>, spec: CsvSpec, sink: TextSink, vars: LineVars): Promise<number> {
  const eol = eolOf(spec.lineEnding);
  for (const line of spec.headerLines ?? []) await sink.write(renderLine(line, vars) + eol);
  const quote = quoteOf(spec);
  const stringifier = stringify({
    delimiter: spec.delimiter ?? ',',
    quote: quote === '' ? false : quote,
    escape: spec.escape ?? (quote === '' ? '"' : quote),
    quoted: spec.quoteAll === true,
    quoted_empty: spec.quoteAll === true,
    record_delimiter: eol,
    eof: true,
  });
  let count = 0;
  const checked = (values: string[], columns: ReadonlyArray<string>, where: string): string[] => {
    const problem = csvOutputProblem(values, columns, spec);
    if (problem !== undefined) throw new FormatError(`${where}: ${problem}`);
    return values;
  };
  async function* records(): AsyncGenerator<string[]> {
    let columns: string[] | undefined;
    for await (const row of rows) {
      if (columns === undefined) {
        columns = columnsOf(spec, row) ?? [];
        if (spec.header !== false) yield checked(columns, columns, 'the header');
      }
      count++;
      const known = columns;
      if (!spec.columns) {
        const extra = Object.keys(row).find((key) => !known.includes(key));
        if (extra !== undefined) throw new FormatError(`Row ${count}: column "${extra}" is not in the header (${known.join(', ')})`);
      }
      yield checked(columns.map((column) => row[column] ?? ''), columns, `Row ${count}`);
    }
    if (columns === undefined && spec.header !== false && spec.columns) yield checked(spec.columns, spec.columns, 'the header');
  }
  await pipeline(Readable.from(records()), stringifier, async (source: AsyncIterable<Buffer | string>) => {
    for await (const chunk of source) await sink.write(String(chunk));
  });
  if (spec.trailer !== undefined) await sink.write(renderLine(spec.trailer, { ...vars, rows: count }) + eol);
  return count;
}
