export type CsvField = string | number | undefined;

/**
 * One RFC 4180 record with its CRLF: fields holding a comma, a quote or a line break are quoted,
 * their quotes doubled; an absent value is an empty field.
 */
export function csvRecord(fields: ReadonlyArray<CsvField>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: CsvField): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
