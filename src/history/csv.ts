export type CsvField = string | number | undefined;

/**
 * One RFC 4180 record with its CRLF: fields holding a comma, a quote or a line break are quoted,
 * their quotes doubled; an absent value is an empty field; text that a spreadsheet would run as a
 * formula is prefixed with a quote.
 */
export function csvRecord(fields: ReadonlyArray<CsvField>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: CsvField): string {
  if (value === undefined) return '';
  // A remote file name such as "=HYPERLINK(...)" must stay text when the export is opened in a
  // spreadsheet (OWASP's CSV injection advice): a leading quote keeps it from being a formula.
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
