import iconv from 'iconv-lite';
import { z } from 'zod';
import { compileDateFormat } from './dateFormat.js';
import { namedGroups, regexProblem } from './regex.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Bytes from a number or from text such as "10MB", "512 KiB" or "2GB" (KB/MB/GB = 1000^n, KiB/MiB/GiB = 1024^n). */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Invalid size ${value}: expected a whole, non-negative number of bytes`);
    return value;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  const factor = m === null ? undefined : UNITS[(m[2] ?? '').toLowerCase() || 'b'];
  const bytes = m === null || factor === undefined ? Number.NaN : Math.round(Number(m[1]) * factor);
  if (!Number.isSafeInteger(bytes)) {
    throw new Error(`Invalid size "${value}": expected a number of bytes or a number with a unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. "10MB" or "512 KiB"`);
  }
  return bytes;
}

function issue(ctx: z.RefinementCtx, message: string, path: ReadonlyArray<string | number> = []): void {
  ctx.addIssue({ code: 'custom', message, path: [...path] });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const size = (what: string) =>
  z
    .union([z.number(), z.string()])
    .superRefine((value, ctx) => {
      try {
        parseSize(value);
      } catch (error) {
        issue(ctx, errorText(error));
      }
    })
    .optional()
    .describe(`${what}: a number of bytes, or text with a unit such as "10MB", "512 KiB" or "2GB" (KB, MB, GB = 1000^n; KiB, MiB, GiB = 1024^n).`);

const regexString = (what: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = regexProblem(value);
    if (problem !== undefined) issue(ctx, `${what} is not a valid regular expression: ${problem}`);
  });

const columnSchema = z
  .strictObject({
    name: z.string().min(1).describe('The column: its header name, or with header: false a label for the column at this position.'),
    type: z
      .enum(['string', 'integer', 'decimal', 'date', 'boolean'])
      .optional()
      .describe('What every non-empty value must be: string (default), integer, decimal (see decimalSeparator), date (see format) or boolean (true/false, yes/no, 1/0).'),
    decimalSeparator: z.enum(['.', ',']).optional().describe('For type decimal: the decimal separator partners use, "." (default) or "," (as in "1234,50").'),
    required: z.boolean().optional().describe('When true the column must be present and its value non-empty on every row. Columns without it may be absent from the header.'),
    pattern: regexString('The column pattern').optional().describe('A regular expression every non-empty value must match in full.'),
    enum: z.array(z.string()).min(1).optional().describe('The only values allowed (compared exactly); empty values are governed by required.'),
    format: z.string().optional().describe("For type date: the pattern of the dates, e.g. 'yyyy-MM-dd' (default), 'dd.MM.yyyy', 'yyyyMMdd' or \"yyyy-MM-dd'T'HH:mm:ss\"."),
    min: z.number().optional().describe('For integer and decimal columns: the smallest value allowed.'),
    max: z.number().optional().describe('For integer and decimal columns: the largest value allowed.'),
  })
  .superRefine((column, ctx) => {
    const type = column.type ?? 'string';
    if (column.decimalSeparator !== undefined && type !== 'decimal') issue(ctx, `column "${column.name}": decimalSeparator applies only to type decimal`, ['decimalSeparator']);
    if (column.format !== undefined) {
      if (type !== 'date') issue(ctx, `column "${column.name}": format applies only to type date`, ['format']);
      else {
        try {
          compileDateFormat(column.format);
        } catch (error) {
          issue(ctx, `column "${column.name}": ${errorText(error)}`, ['format']);
        }
      }
    }
    if ((column.min !== undefined || column.max !== undefined) && type !== 'integer' && type !== 'decimal') {
      issue(ctx, `column "${column.name}": min and max apply only to integer and decimal columns`, [column.min === undefined ? 'max' : 'min']);
    }
    if (column.min !== undefined && column.max !== undefined && column.min > column.max) {
      issue(ctx, `column "${column.name}": min ${column.min} is greater than max ${column.max}`, ['min']);
    }
  });

const trailerSchema = z
  .strictObject({
    pattern: regexString('The trailer pattern').describe("A regular expression the last line of the file must match in full, e.g. '^TRL\\|(?<count>\\d+)$'. That line is not a data row."),
    count: z.string().min(1).optional().describe('The name of the capture group in pattern that holds the number of data rows; the file must have exactly that many.'),
  })
  .superRefine((trailer, ctx) => {
    if (trailer.count !== undefined && !namedGroups(trailer.pattern).includes(trailer.count)) {
      issue(ctx, `the trailer pattern has no capture group named "${trailer.count}" (write it as (?<${trailer.count}>\\d+))`, ['count']);
    }
  });

const csvSchema = z
  .strictObject({
    delimiter: z.string().min(1).optional().describe('The field separator. Default ",".'),
    quote: z.string().max(1).optional().describe('The quote character around fields; "" turns quoting off. Default \'"\'.'),
    encoding: z
      .string()
      .refine((name) => iconv.encodingExists(name), { message: 'is not a known character encoding (examples: utf-8, latin1, windows-1252, utf-16le)' })
      .optional()
      .describe('The character encoding of the file, e.g. "utf-8" (default), "latin1", "windows-1252", "utf-16le".'),
    header: z.boolean().optional().describe('Whether the first line (after skipLines) holds column names. Default true; with false, columns are matched by position.'),
    columns: z.array(columnSchema).optional().describe('The columns to check, matched by header name in any order (or by position when header is false).'),
    extraColumns: z
      .enum(['allow', 'reject'])
      .optional()
      .describe('What to do with columns that are not listed in columns: reject (default) or allow. Applies only when columns is given.'),
    minRows: z.number().int().nonnegative().optional().describe('The fewest data rows (not counting header and trailer) the file may have.'),
    maxRows: z.number().int().nonnegative().optional().describe('The most data rows (not counting header and trailer) the file may have.'),
    trailer: trailerSchema.optional().describe('A trailer line that must end the file, optionally declaring the row count.'),
    skipLines: z.number().int().nonnegative().optional().describe('Lines to skip at the start of the file, before the header.'),
  })
  .superRefine((csv, ctx) => {
    const seen = new Set<string>();
    for (const [index, column] of (csv.columns ?? []).entries()) {
      if (seen.has(column.name)) issue(ctx, `column "${column.name}" is defined twice`, ['columns', index, 'name']);
      seen.add(column.name);
    }
    if (csv.minRows !== undefined && csv.maxRows !== undefined && csv.minRows > csv.maxRows) {
      issue(ctx, `minRows ${csv.minRows} is greater than maxRows ${csv.maxRows}`, ['minRows']);
    }
    if (csv.quote !== undefined && csv.quote !== '' && csv.delimiter !== undefined && csv.delimiter.includes(csv.quote)) {
      issue(ctx, 'the quote character may not be part of the delimiter', ['quote']);
    }
  });

const jsonSchema = z
  .strictObject({
    schema: z.record(z.string(), z.unknown()).optional().describe('An inline JSON Schema (draft 2020-12 unless its $schema names draft-07) the document must satisfy.'),
    schemaFile: z.string().min(1).optional().describe('The path of a JSON Schema file, relative to the folder of the configuration.'),
  })
  .refine((json) => (json.schema === undefined) !== (json.schemaFile === undefined), { message: 'give exactly one of schema and schemaFile' });

const xmlSchema = z.strictObject({
  requiredElements: z
    .array(
      z
        .string()
        .min(1)
        .refine((path) => path.replace(/^\//, '').split('/').every((part) => part.trim() !== ''), { message: 'must be element names separated by single slashes, e.g. Order/Header/OrderNumber' }),
    )
    .optional()
    .describe('Element paths from the root element, e.g. "Order/Header/OrderNumber" (a leading slash is allowed), each of which must occur at least once.'),
});

const PLACEHOLDER = /\{([^{}]*)\}/g;

export const validationConfigSchema = z
  .strictObject({
    minSize: size('The smallest size a file may have'),
    maxSize: size('The largest size a file may have; larger files are not parsed'),
    name: regexString('name')
      .optional()
      .describe('A regular expression the whole file name must match. Named groups, e.g. (?<date>\\d{8}), are returned as captures for later steps and may be used in companions as {date}.'),
    extensions: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('The allowed file extensions, case-insensitive, with or without the dot, e.g. ["csv", ".txt", "tar.gz"].'),
    contentType: z
      .union([z.boolean(), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('true: the content (magic bytes) must agree with the extension; a list such as ["pdf", "png", "jpg", "text"]: the detected type must be one of them. Text formats (csv, json, xml, txt) are checked for being text in the declared encoding.'),
    csv: csvSchema.optional().describe('Checks a delimited text file, streaming, row by row.'),
    json: jsonSchema.optional().describe('Checks that the file is JSON satisfying a JSON Schema. Files over 200 MB are refused.'),
    xml: xmlSchema.optional().describe('Checks that the file is well-formed XML with the required elements. Files over 200 MB are refused.'),
    companions: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Names of files that must arrive next to this one, e.g. "{stem}.xml" or "{name}.sha256": {name} is the file name, {stem} the name without its last extension, {ext} the last extension with its dot, and {group} a named group of name.'),
    checksum: z
      .strictObject({
        algorithm: z.enum(['md5', 'sha1', 'sha256']).describe('The digest algorithm the manifest uses.'),
      })
      .optional()
      .describe('Computes the digest of the file; when a manifest comes with the files, the file must be listed in it with the same digest.'),
  })
  .superRefine((config, ctx) => {
    const min = tryParseSize(config.minSize);
    const max = tryParseSize(config.maxSize);
    if (min !== undefined && max !== undefined && min > max) issue(ctx, `minSize ${String(config.minSize)} is larger than maxSize ${String(config.maxSize)}`, ['minSize']);
    const groups = new Set(config.name === undefined ? [] : namedGroups(config.name));
    for (const [index, template] of (config.companions ?? []).entries()) {
      for (const [, key = ''] of template.matchAll(PLACEHOLDER)) {
        if (key === 'name' || key === 'stem' || key === 'ext' || groups.has(key)) continue;
        issue(ctx, `companion "${template}": {${key}} is neither {name}, {stem}, {ext} nor a named group of name`, ['companions', index]);
      }
    }
  });

function tryParseSize(value: string | number | undefined): number | undefined {
  try {
    return value === undefined ? undefined : parseSize(value);
  } catch {
    return undefined;
  }
}

export type ValidationConfig = z.infer<typeof validationConfigSchema>;
export type CsvConfig = NonNullable<ValidationConfig['csv']>;
export type CsvColumnConfig = NonNullable<CsvConfig['columns']>[number];
export type JsonConfig = NonNullable<ValidationConfig['json']>;
