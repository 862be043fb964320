import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { CsvConfig } from '../config.js';
import { plural, ProblemList, quote } from '../problems.js';
import { compileFullMatch } from '../regex.js';
import type { FileToValidate, RuleResult } from '../types.js';
import { compileColumn } from './csvColumns.js';
import type { CompiledColumn } from './csvColumns.js';

/** A binary file read as CSV can be one endless "line"; this keeps such a file from filling memory. */
const MAX_RECORD_CHARS = 10 * 1024 * 1024;

export interface CsvPlan {
  readonly delimiter: string;
  readonly quote: string;
  readonly encoding: string;
  readonly header: boolean;
  readonly columns: readonly CompiledColumn[];
  readonly extraColumns: 'allow' | 'reject';
  readonly minRows?: number;
  readonly maxRows?: number;
  readonly trailer?: { readonly regex: RegExp; readonly source: string; readonly count?: string };
  readonly skipLines: number;
}

export function compileCsv(config: CsvConfig): CsvPlan {
  return {
    delimiter: config.delimiter ?? ',',
    quote: config.quote ?? '"',
    encoding: config.encoding ?? 'utf-8',
    header: config.header ?? true,
    columns: (config.columns ?? []).map(compileColumn),
    extraColumns: config.extraColumns ?? 'reject',
    minRows: config.minRows,
    maxRows: config.maxRows,
    trailer: config.trailer && { regex: compileFullMatch(config.trailer.pattern), source: config.trailer.pattern, count: config.trailer.count },
    skipLines: config.skipLines ?? 0,
  };
}

interface Row {
  readonly fields: readonly string[];
  /** The line the record starts on, counted from the top of the file (quoted fields can span lines). */
  readonly line: number;
  readonly raw: string;
}

const LINE_BREAK = /\r\n|\r|\n/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The text of a record without the blank lines before it and the line break after it. */
function recordText(raw: string): string {
  return raw.replace(/^(?:\r\n|\r|\n)+/, '').replace(/(?:\r\n|\r|\n)$/, '');
}

function toRow(chunk: unknown): Row {
  if (!isRecord(chunk) || !Array.isArray(chunk.record) || !isRecord(chunk.info) || typeof chunk.info.lines !== 'number' || typeof chunk.raw !== 'string') {
    throw new Error('csv-parse produced a record without line information');
  }
  // info.lines is the line the record ends on; the line breaks inside it lead back to where it began.
  const breaks = recordText(chunk.raw).match(LINE_BREAK)?.length ?? 0;
  return { fields: chunk.record.map(String), line: chunk.info.lines - breaks, raw: chunk.raw };
}

class CsvCheck {
  readonly problems = new ProblemList();
  rows = 0;
  #headerDone = false;
  #labels: string[] = [];
  #mapping: Array<CompiledColumn | undefined> = [];
  #expectedFields: number | undefined;
  #pending: Row | undefined;

  constructor(
    private readonly rel: string,
    private readonly plan: CsvPlan,
  ) {
    if (!plan.header) {
      this.#labels = plan.columns.map((column) => column.name);
      this.#mapping = [...plan.columns];
    }
  }

  accept(row: Row): void {
    if (this.plan.header && !this.#headerDone) {
      this.#header(row);
      return;
    }
    if (this.plan.trailer === undefined) {
      this.#data(row);
      return;
    }
    // Which line is the last is known only at the end, so each row waits for the next before it counts as data.
    const previous = this.#pending;
    this.#pending = row;
    if (previous !== undefined) this.#data(previous);
  }

  finish(): void {
    const { rel, plan } = this;
    if (plan.header && !this.#headerDone) {
      this.problems.add(`${rel}: the file is empty; a header line was expected`);
      return;
    }
    if (plan.trailer !== undefined) this.#trailer(plan.trailer);
    if (plan.minRows !== undefined && this.rows < plan.minRows) {
      this.problems.add(`${rel}: ${plural(this.rows, 'data row')}, fewer than the minimum of ${plan.minRows}`);
    }
    if (plan.maxRows !== undefined && this.rows > plan.maxRows) {
      this.problems.add(`${rel}: ${plural(this.rows, 'data row')}, more than the maximum of ${plan.maxRows}`);
    }
  }

  #where(line: number, index: number): string {
    const label = this.#labels[index];
    return `${this.rel} line ${line}, column ${label === undefined ? index + 1 : `"${label}"`}`;
  }

  #undecodable(row: Row, index: number, value: string): boolean {
    if (!value.includes('\uFFFD')) return false;
    this.problems.add(`${this.#where(row.line, index)}: contains bytes that are not valid ${this.plan.encoding}`);
    return true;
  }

  #header(row: Row): void {
    const { rel, plan } = this;
    const at = `${rel} line ${row.line}`;
    this.#headerDone = true;
    const names = row.fields.map((field) => field.trim());
    this.#labels = names;
    this.#expectedFields = names.length;
    names.forEach((name, index) => this.#undecodable(row, index, name));
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) this.problems.add(`${at}: the column "${name}" appears more than once in the header`);
      seen.add(name);
    }
    this.#mapping = names.map(() => undefined);
    for (const column of plan.columns) {
      const index = names.indexOf(column.name);
      if (index >= 0) this.#mapping[index] = column;
      else if (column.required) this.problems.add(`${at}: the required column "${column.name}" is missing from the header`);
    }
    if (plan.columns.length > 0 && plan.extraColumns === 'reject') {
      const known = new Set(plan.columns.map((column) => column.name));
      for (const name of names) {
        if (!known.has(name)) this.problems.add(`${at}: the column "${name}" is not expected (expected columns: ${[...known].join(', ')})`);
      }
    }
  }

  #data(row: Row): void {
    const { rel, plan } = this;
    this.rows += 1;
    const count = row.fields.length;
    const at = `${rel} line ${row.line}`;
    if (this.#expectedFields !== undefined && plan.header && count !== this.#expectedFields) {
      this.problems.add(`${at}: ${plural(count, 'field')}, but the header has ${this.#expectedFields}`);
    } else if (!plan.header && plan.columns.length > 0) {
      if (count < plan.columns.length) this.problems.add(`${at}: ${plural(count, 'field')}, expected ${plan.columns.length}`);
      else if (count > plan.columns.length && plan.extraColumns === 'reject') {
        this.problems.add(`${at}: ${plural(count, 'field')}, but only ${plural(plan.columns.length, 'column is', 'columns are')} defined`);
      }
    }
    row.fields.forEach((value, index) => {
      if (this.#undecodable(row, index, value)) return;
      const problem = this.#mapping[index]?.check(value);
      if (problem !== undefined) this.problems.add(`${this.#where(row.line, index)}: ${problem}`);
    });
  }

  #trailer(trailer: NonNullable<CsvPlan['trailer']>): void {
    const row = this.#pending;
    if (row === undefined) {
      this.problems.add(`${this.rel}: the trailer line is missing; the file has no line after ${this.plan.header ? 'the header' : 'the skipped lines'}`);
      return;
    }
    const text = recordText(row.raw);
    const match = trailer.regex.exec(text);
    if (match === null) {
      // Without a trailer the last line is just another row, and is checked as one.
      this.#data(row);
      this.problems.add(`${this.rel} line ${row.line}: the last line ${quote(text)} does not match the trailer pattern ${trailer.source}`);
      return;
    }
    if (trailer.count === undefined) return;
    const declared = match.groups?.[trailer.count];
    if (declared === undefined || !/^\s*\d+\s*$/.test(declared)) {
      this.problems.add(`${this.rel} line ${row.line}: the trailer's ${trailer.count} ${quote(declared ?? '')} is not a row count`);
    } else if (Number(declared) !== this.rows) {
      this.problems.add(`${this.rel} line ${row.line}: the trailer declares ${plural(Number(declared), 'data row')}, but the file has ${this.rows}`);
    }
  }
}

/** Streams the file through the decoder and the parser, so a 1 GB file costs one record of memory at a time. */
export async function checkCsv(file: FileToValidate, plan: CsvPlan, signal?: AbortSignal): Promise<{ readonly result: RuleResult; readonly rows: number }> {
  const check = new CsvCheck(file.relativePath, plan);
  const parser = parse({
    delimiter: plan.delimiter,
    quote: plan.quote === '' ? false : plan.quote,
    from_line: plan.skipLines + 1,
    // Rows with the wrong number of fields are reported with their line, not allowed to stop the whole check.
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  pipeline(createReadStream(file.localPath, { signal }), iconv.decodeStream(plan.encoding), parser, () => undefined);
  let broken = false;
  try {
    for await (const chunk of parser as AsyncIterable<unknown>) check.accept(toRow(chunk));
  } catch (error) {
    if (!(error instanceof CsvError) || signal?.aborted === true) throw error;
    broken = true;
    const line = typeof error.lines === 'number' ? ` line ${error.lines}` : '';
    check.problems.add(`${file.relativePath}${line}: ${error.message}; the rest of the file was not checked`);
  }
  if (!broken) check.finish();
  const rows = check.rows;
  return { rows, result: check.problems.result('csv', `${file.relativePath}: ${plural(rows, 'data row')}, all valid`, { rows, encoding: plan.encoding }) };
}
