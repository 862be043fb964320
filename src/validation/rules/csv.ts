import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import iconv from 'iconv-lite';
import { csvPlace } from '../../csv/place.js';
import { csvRecords, CsvSyntaxError, type CsvRecord } from '../../csv/records.js';
import type { CsvConfig } from '../config.js';
import { plural, ProblemList, quote } from '../problems.js';
import { compileFullMatch } from '../regex.js';
import type { FileToValidate, RuleResult } from '../types.js';
import { compileColumn } from './csvColumns.js';
import type { CompiledColumn } from './csvColumns.js';

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

class CsvCheck {
  readonly problems = new ProblemList();
  rows = 0;
  #headerDone = false;
  #labels: string[] = [];
  #mapping: Array<CompiledColumn | undefined> = [];
  #expectedFields: number | undefined;
  #pending: CsvRecord | undefined;

  constructor(
    private readonly rel: string,
    private readonly plan: CsvPlan,
  ) {
    if (!plan.header) {
      this.#labels = plan.columns.map((column) => column.name);
      this.#mapping = [...plan.columns];
    }
  }

  accept(row: CsvRecord): void {
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

  /** A record the parser could not read ends the check: what follows it cannot be told apart reliably. */
  brokenRecord(error: CsvSyntaxError): void {
    const place = error.columnIndex === undefined ? csvPlace(this.rel, error.line) : this.#where(error.line, error.columnIndex);
    this.problems.add(`${place}: ${error.reason}; the rest of the file was not checked`);
  }

  #where(line: number, index: number): string {
    return csvPlace(this.rel, line, index, this.#labels);
  }

  #undecodable(row: CsvRecord, index: number, value: string): boolean {
    if (!value.includes('\uFFFD')) return false;
    this.problems.add(`${this.#where(row.line, index)}: contains bytes that are not valid ${this.plan.encoding}`);
    return true;
  }

  #header(row: CsvRecord): void {
    const { rel, plan } = this;
    const at = csvPlace(rel, row.line);
    this.#headerDone = true;
    const names = row.fields.map((field) => field.trim());
    this.#labels = names;
    this.#expectedFields = names.length;
    names.forEach((name, index) => this.#undecodable(row, index, name));
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (seen.has(name)) this.problems.add(`${csvPlace(rel, row.line, index)}: the column "${name}" appears more than once in the header`);
      seen.add(name);
    });
    this.#mapping = names.map(() => undefined);
    for (const column of plan.columns) {
      const index = names.indexOf(column.name);
      if (index >= 0) this.#mapping[index] = column;
      else if (column.required) this.problems.add(`${at}: the required column "${column.name}" is missing from the header`);
    }
    if (plan.columns.length > 0 && plan.extraColumns === 'reject') {
      const known = new Set(plan.columns.map((column) => column.name));
      names.forEach((name, index) => {
        if (!known.has(name)) this.problems.add(`${csvPlace(rel, row.line, index)}: the column "${name}" is not expected (expected columns: ${[...known].join(', ')})`);
      });
    }
  }

  #data(row: CsvRecord): void {
    const { rel, plan } = this;
    this.rows += 1;
    const count = row.fields.length;
    const at = csvPlace(rel, row.line);
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
    const match = trailer.regex.exec(row.text);
    if (match === null) {
      // Without a trailer the last line is just another row, and is checked as one.
      this.#data(row);
      this.problems.add(`${this.rel} line ${row.line}: the last line ${quote(row.text)} does not match the trailer pattern ${trailer.source}`);
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
  const text = pipeline(createReadStream(file.localPath, { signal }), iconv.decodeStream(plan.encoding), () => undefined);
  let broken = false;
  try {
    for await (const record of csvRecords(text, plan, plan.skipLines)) check.accept(record);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError) || signal?.aborted === true) throw error;
    broken = true;
    check.brokenRecord(error);
  }
  if (!broken) check.finish();
  const rows = check.rows;
  return { rows, result: check.problems.result('csv', `${file.relativePath}: ${plural(rows, 'data row')}, all valid`, { rows, encoding: plan.encoding }) };
}
