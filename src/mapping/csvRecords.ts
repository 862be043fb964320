import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type InfoRecord, type Options } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { decodedInto, encodingOf, unencodable, type TextSink } from './encoding.js';
import { FormatError } from './errors.js';
import type { CsvSpec } from './format.js';
import { renderLine, type LineVars } from './lineTemplate.js';
import type { Row } from './records.js';
import { eolOf, isTrailer } from './recordLines.js';

interface ParsedLine {
  readonly fields: string[];
  readonly raw: string;
  readonly line: number;
}

/** csv-parse types on_record as returning a record; with `raw: true` it receives {record, raw}, and here returns a ParsedLine. */
function withLine(fn: (record: { record: string[]; raw: string }, context: InfoRecord) => ParsedLine): Options['on_record'] {
  return fn as unknown as Options['on_record'];
}

const quoteOf = (spec: CsvSpec): string => spec.quote ?? '"';

function toRow(columns: ReadonlyArray<string>, item: ParsedLine, path: string): Row {
  if (item.fields.length !== columns.length) {
    throw new FormatError(
      `${path}: line ${item.line} has ${item.fields.length} fields, expected ${columns.length} (${columns.join(', ')})`,
      item.line,
    );
  }
  return Object.fromEntries(columns.map((column, i) => [column, item.fields[i] ?? '']));
}

function headerColumns(item: ParsedLine, path: string): string[] {
  const seen = new Set<string>();
  for (const name of item.fields) {
    if (seen.has(name)) throw new FormatError(`${path}: line ${item.line}: column "${name}" appears twice in the header`, item.line);
    seen.add(name);
  }
  return item.fields;
}

export async function* readCsv(path: string, spec: CsvSpec, signal?: AbortSignal): AsyncGenerator<Row> {
  const skip = spec.skipLines ?? spec.headerLines?.length ?? 0;
  const quote = quoteOf(spec);
  // Where the last complete record ended: an unclosed quote is reported where its record starts, not at EOF.
  let lastLine = skip;
  let lastEmpty = 0;
  const parser = parse({
    delimiter: spec.delimiter ?? ',',
    quote: quote === '' ? false : quote,
    escape: spec.escape ?? (quote === '' ? '"' : quote),
    record_delimiter: ['\r\n', '\n'],
    from_line: skip + 1,
    relax_column_count: true,
    skip_empty_lines: true,
    raw: true,
    on_record: withLine((record, context) => {
      lastLine = context.lines;
      lastEmpty = context.empty_lines;
      return { fields: record.record, raw: record.raw, line: context.lines };
    }),
  });
  const records = decodedInto(path, encodingOf(spec.encoding), parser, signal);
  const trailer = spec.trailerPattern === undefined ? undefined : new RegExp(spec.trailerPattern, 'u');
  let columns: string[] | undefined = spec.header === false ? spec.columns : undefined;
  let pending: ParsedLine | undefined;
  try {
    for await (const value of records) {
      signal?.throwIfAborted();
      const item = value as ParsedLine;
      if (columns === undefined && spec.header !== false) {
        columns = headerColumns(item, path);
        continue;
      }
      columns ??= item.fields.map((_, i) => String(i + 1));
      if (pending) yield toRow(columns, pending, path);
      pending = item;
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      const emptyBefore = typeof error.empty_lines === 'number' ? error.empty_lines - lastEmpty : 0;
      const line = lastLine + 1 + emptyBefore;
      throw new FormatError(`${path}: line ${line}: a quoted value is never closed`, line);
    }
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    throw new FormatError(`${path}: ${line === undefined ? '' : `line ${line}: `}${error.message}`, line);
  }
  if (pending && columns && !isTrailer(pending.raw, trailer)) yield toRow(columns, pending, path);
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
