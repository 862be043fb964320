/** A name template that is malformed, lacks a value, or would render an unsafe path. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** A row that cannot be mapped; carries enough context to find the offending value in the partner file. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    readonly rowNumber: number,
    readonly field: string,
    readonly value: string,
    problem: string,
  ) {
    super(`Row ${rowNumber}, field "${field}": ${JSON.stringify(value)} ${problem}`);
  }
}

/** A record file that does not match its format spec, or a row that the output format cannot represent. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
