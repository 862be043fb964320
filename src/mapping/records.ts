import { readCsv, writeCsv, csvOutputProblem } from './csvRecords.js';
import { isUnicode, TextSink, encodingOf } from './encoding.js';
import { fixedOutputProblem, readFixed, writeFixed } from './fixedRecords.js';
import type { FormatSpec } from './format.js';
import { jsonOutputProblem, readJson, writeJson } from './jsonRecords.js';
import { readXml, writeXml, xmlOutputProblem } from './xmlRecords.js';

export { FormatError } from './errors.js';

export type Row = Readonly<Record<string, string>>;

/** Values for header and trailer lines; the time zone (default UTC) applies to their {date:...} tokens. */
export interface WriteVars {
  readonly now: Date;
  readonly timeZone?: string;
}

/** Rows of a record file; CSV and fixed-width are streamed, JSON and XML are read whole. */
export function readRecords(path: string, spec: FormatSpec, signal?: AbortSignal): AsyncIterable<Row> {
  switch (spec.type) {
    case 'csv': return readCsv(path, spec, signal);
    case 'fixed': return readFixed(path, spec, signal);
    case 'json': return readJson(path, spec, signal);
    case 'xml': return readXml(path, spec, signal);
  }
}

/**
 * Writes rows as the format requires. `out` belongs to the caller and is not ended, so the data can be
 * followed by more output (or go to stdout); a row the format cannot represent is a FormatError.
 */
export async function writeRecords(
  rows: AsyncIterable<Row> | Iterable<Row>,
  spec: FormatSpec,
  out: NodeJS.WritableStream,
  vars: WriteVars,
): Promise<{ rows: number }> {
  const encoding = encodingOf(spec.encoding);
  const sink = new TextSink(out, encoding, spec.type === 'csv' && spec.bom === true && isUnicode(encoding));
  let written = false;
  try {
    const count = await writeAll(rows, spec, sink, vars);
    written = true;
    return { rows: count };
  } finally {
    if (written) await sink.close();
    else sink.detach();
  }
}

function writeAll(rows: AsyncIterable<Row> | Iterable<Row>, spec: FormatSpec, sink: TextSink, vars: WriteVars): Promise<number> {
  switch (spec.type) {
    case 'csv': return writeCsv(rows, spec, sink, vars);
    case 'fixed': return writeFixed(rows, spec, sink, vars);
    case 'json': return writeJson(rows, spec, sink);
    case 'xml': return writeXml(rows, spec, sink);
  }
}

/** Why a row could not be written in the format (too wide, unencodable, ...), or undefined; for previews. */
export function outputProblem(row: Row, spec: FormatSpec): string | undefined {
  switch (spec.type) {
    case 'csv': {
      const columns = spec.columns ?? Object.keys(row);
      return csvOutputProblem(columns.map((column) => row[column] ?? ''), columns, spec);
    }
    case 'fixed': return fixedOutputProblem(row, spec);
    case 'json': return jsonOutputProblem(row, spec);
    case 'xml': return xmlOutputProblem(row, spec);
  }
}
