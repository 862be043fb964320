import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { compileMapping, type FieldMapping, type MappingClock } from './fieldMapping.js';
import type { FormatSpec } from './format.js';
import { readRecords, writeRecords, type Row, type WriteVars } from './records.js';

export interface Conversion {
  readonly input: FormatSpec;
  readonly mapping?: FieldMapping;
  readonly output: FormatSpec;
}

/**
 * What a conversion does to one input row: its mapping, or nothing when it has none. Jobs and every preview
 * of a profile map rows with this, so a preview shows exactly what a run would deliver.
 */
export function rowMapper(conversion: Conversion, clock: MappingClock): (row: Row, rowNumber: number) => Row {
  const { mapping } = conversion;
  return mapping === undefined ? (row) => row : compileMapping(mapping, clock);
}

/** Input rows, mapped; row numbers count data rows from 1. */
async function* convertedRows(inPath: string, conversion: Conversion, vars: WriteVars, signal?: AbortSignal): AsyncGenerator<Row> {
  const map = rowMapper(conversion, vars);
  let rowNumber = 0;
  for await (const row of readRecords(inPath, conversion.input, signal)) {
    signal?.throwIfAborted();
    rowNumber++;
    yield map(row, rowNumber);
  }
}

/**
 * Reads inPath, maps and writes outPath in the output format. outPath is written in place (the caller picks a
 * temporary name); on any failure it is removed, so a half-converted file can never be delivered.
 */
export async function convertFile(
  inPath: string,
  outPath: string,
  conversion: Conversion,
  vars: WriteVars,
  signal?: AbortSignal,
): Promise<{ rows: number }> {
  signal?.throwIfAborted();
  const out = createWriteStream(outPath);
  try {
    const result = await writeRecords(convertedRows(inPath, conversion, vars, signal), conversion.output, out, vars);
    out.end();
    await finished(out);
    return result;
  } catch (error) {
    out.destroy();
    // Wait for the descriptor to close, or the removal can race a pending open on some platforms.
    await finished(out).catch(() => undefined);
    await rm(outPath, { force: true });
    throw error;
  }
}
