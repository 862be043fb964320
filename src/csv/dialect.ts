import type { Options } from 'csv-parse';

/** How a CSV file is written: what separates its fields and what quotes them. */
export interface CsvDialect {
  readonly delimiter: string;
  /** The quote character; '' when values are never quoted. */
  readonly quote: string;
  /** What escapes a quote inside a quoted value; by default the quote itself, doubled (RFC 4180). */
  readonly escape?: string;
}

/** A binary file read as CSV can be one endless "line"; this keeps such a file from filling memory. */
export const MAX_RECORD_CHARS = 10 * 1024 * 1024;

/** The options that say how the text is read, whatever the reader makes of the records. */
type ReadOptions = Pick<Options, 'delimiter' | 'quote' | 'escape' | 'relax_quotes' | 'record_delimiter' | 'skip_empty_lines' | 'max_record_size'>;

/**
 * The csv-parse options for a dialect. Every reader of CSV in Ferry (validation, conversion, manifests)
 * takes them from here, so that a file that passed validation is read the same way when it is converted.
 */
export function csvReadOptions(dialect: CsvDialect): ReadOptions {
  const { delimiter, quote } = dialect;
  return {
    delimiter,
    ...(quote === '' ? { quote: false } : { quote, escape: dialect.escape ?? quote }),
    // A quote inside an unquoted value is part of it (37°36'37.8"N, 12" pipe), as spreadsheets read it.
    // Quoted values still follow RFC 4180, and one whose closing quote is missing is still an error.
    relax_quotes: true,
    // Files from Windows, Unix and old Macs, and files that several tools appended to.
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  };
}
