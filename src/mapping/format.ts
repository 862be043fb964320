import iconv from 'iconv-lite';
import { z } from 'zod';
import { isUnicode } from './encoding.js';
import { checkLineTemplate } from './lineTemplate.js';

const encoding = z
  .string()
  .refine((name) => iconv.encodingExists(name), 'an encoding such as "utf-8", "windows-1252", "latin1" or "utf-16le"')
  .describe('Character encoding of the file, e.g. "utf-8" (default), "windows-1252", "latin1", "utf-16le".');

const lineEnding = z
  .enum(['lf', 'crlf'])
  .describe('Line ending written after every line: "crlf" (default, as RFC 4180 and most partner systems expect) or "lf".');

function lineTemplate(allowRows: boolean): z.ZodString {
  return z.string().superRefine((text, ctx) => {
    const problem = checkLineTemplate(text, allowRows);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const trailer = lineTemplate(true).describe(
  'A line written after the rows, e.g. "TRL{rows:6}{date:yyyyMMdd}": {rows} is the number of data rows, {date:FORMAT} the run time.',
);

const trailerPattern = z
  .string()
  .refine((source) => {
    try {
      new RegExp(source, 'u');
      return true;
    } catch {
      return false;
    }
  }, 'a valid regular expression')
  .describe('When reading: a last line matching this regular expression (e.g. "^TRL|^TRAILER") is a trailer, not a row.');

const character = (what: string): z.ZodString => z.string().length(1, `${what} must be one character`);

const csvSpecSchema = z
  .strictObject({
    type: z.literal('csv').describe('Delimited text.'),
    delimiter: z.string().min(1).optional().describe('Field separator, e.g. ";" or "\\t" (default ",").'),
    quote: z.string().max(1).optional().describe('Quote character (default "). "" turns quoting off: a value containing the delimiter is then an error.'),
    quoteAll: z.boolean().optional().describe('When writing: quote every value, not only those that need it (default false).'),
    escape: character('escape').optional().describe('Character that escapes a quote inside a quoted value (default: the quote itself, doubled).'),
    encoding: encoding.optional(),
    bom: z.boolean().optional().describe('When writing: start with a byte order mark (Unicode encodings only). A BOM on input is always dropped.'),
    lineEnding: lineEnding.optional(),
    header: z.boolean().optional().describe('The first line (after skipped lines) holds the column names (default true).'),
    columns: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('When writing: the columns and their order (default: those of the first row). When reading without a header: the column names (default "1", "2", ...).'),
    skipLines: z.int().nonnegative().optional().describe('When reading: lines to skip before the header (default: as many as headerLines).'),
    trailer: trailer.optional(),
    trailerPattern: trailerPattern.optional(),
    headerLines: z
      .array(lineTemplate(false))
      .optional()
      .describe('When writing: lines before the header, e.g. "HDR{date:yyyyMMdd}"; {date:FORMAT} is the run time.'),
  })
  .refine((spec) => spec.quote === undefined || spec.quote === '' || !(spec.delimiter ?? ',').includes(spec.quote), {
    message: 'the quote character may not be part of the delimiter',
    path: ['quote'],
  })
  .describe('CSV or other delimited text.');

const fixedFieldSchema = z
  .strictObject({
    name: z.string().min(1).describe('Column name.'),
    width: z.int().positive().describe('Width in characters.'),
    align: z.enum(['left', 'right']).optional().describe('Where the value sits in its width (default "left"); numbers are usually "right".'),
    pad: character('pad').optional().describe('Fill character (default " "); "0" for zero-padded numbers.'),
  })
  .describe('One fixed-width column.');

const fixedSpecSchema = z
  .strictObject({
    type: z.literal('fixed').describe('Fixed-width text: each line is the fields side by side.'),
    encoding: encoding.optional(),
    lineEnding: lineEnding.optional(),
    fields: z
      .array(fixedFieldSchema)
      .min(1)
      .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'field names must be unique')
      .describe('The columns, left to right.'),
    header: z
      .array(lineTemplate(false))
      .optional()
      .describe('Lines before the rows: written as given ({date:FORMAT} allowed), skipped when reading.'),
    trailer: trailer.optional(),
    trailerPattern: trailerPattern.optional(),
  })
  .describe('Fixed-width records.');

const jsonSpecSchema = z
  .strictObject({
    type: z.literal('json').describe('JSON.'),
    records: z
      .string()
      .regex(/^[^.]+(\.[^.]+)*$/, 'a dot path such as "data.items"')
      .optional()
      .describe('Dot path to the array of records, e.g. "data.items" (default: the document is the array).'),
    pretty: z.boolean().optional().describe('When writing: indent with two spaces (default false).'),
    encoding: encoding.optional(),
  })
  .describe('A JSON array of flat objects; nested objects read as dotted names ("customer.name").');

const xmlName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'an XML element name')
  .describe('An XML element name.');

const xmlSpecSchema = z
  .strictObject({
    type: z.literal('xml').describe('XML.'),
    root: xmlName.describe('The document element, e.g. "Invoices".'),
    record: xmlName.describe('The element of one record, directly under the root, e.g. "Invoice"; its child elements are the fields.'),
    declaration: z.boolean().optional().describe('When writing: start with <?xml version="1.0" encoding="..."?> (default true).'),
    encoding: encoding.optional(),
  })
  .describe('XML with one element per record; attributes read as "@name" fields.');

export const formatSpecSchema = z
  .discriminatedUnion('type', [csvSpecSchema, fixedSpecSchema, jsonSpecSchema, xmlSpecSchema])
  .superRefine((spec, ctx) => {
    if (spec.type === 'csv' && spec.bom === true && !isUnicode(spec.encoding ?? 'utf-8')) {
      ctx.addIssue({ code: 'custom', message: 'a byte order mark needs a Unicode encoding', path: ['bom'] });
    }
  })
  .describe('A record file format: csv, fixed, json or xml.');

export type FormatSpec = z.infer<typeof formatSpecSchema>;
export type CsvSpec = Extract<FormatSpec, { type: 'csv' }>;
export type FixedSpec = Extract<FormatSpec, { type: 'fixed' }>;
export type JsonSpec = Extract<FormatSpec, { type: 'json' }>;
export type XmlSpec = Extract<FormatSpec, { type: 'xml' }>;
