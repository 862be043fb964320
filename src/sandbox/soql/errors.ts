export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE';

/** A query Salesforce would refuse, with the error code and message its REST API answers. */
export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;

  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

/** Tokens roughly as Salesforce counts them when it cuts the excerpt of a long query. */
const EXCERPT_TOKEN = /[^\s,()]+|[,()]/g;
/** Rows up to this length are quoted whole. */
const WHOLE_ROW = 60;

/**
 * Salesforce's positioned message: the query text around the error, a caret under the offending
 * token, `ERROR at Row:r:Column:c` (both 1-based) and the reason, each on its own line after a
 * leading line break. Long rows are cut to two tokens before the error (commas aside) and two after it.
 */
export function positionedError(code: SoqlErrorCode, text: string, offset: number, reason: string): SoqlError {
  const before = text.slice(0, offset);
  const rowStart = before.lastIndexOf('\n') + 1;
  const rowEndAt = text.indexOf('\n', offset);
  const row = text.slice(rowStart, rowEndAt < 0 ? text.length : rowEndAt);
  const rowNumber = before.split('\n').length;
  const column = offset - rowStart;
  const [from, to] = row.length <= WHOLE_ROW ? [0, row.length] : excerptBounds(row, column);
  const excerpt = row.slice(from, to);
  const caret = `${' '.repeat(column - from)}^`;
  return new SoqlError(code, `\n${excerpt}\n${caret}\nERROR at Row:${rowNumber}:Column:${column + 1}\n${reason}`);
}

function excerptBounds(row: string, column: number): [number, number] {
  const spans = [...row.matchAll(EXCERPT_TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length, comma: m[0] === ',' }));
  let at = spans.findIndex((s) => s.end > column);
  if (at < 0) at = spans.length;
  let start = at;
  for (let names = 0; start > 0 && names < 2; ) {
    start--;
    if (spans[start]?.comma === false) names++;
  }
  const first = spans[start];
  const last = spans[Math.min(at + 2, spans.length - 1)];
  return [Math.min(first?.start ?? column, column), Math.max(last?.end ?? column, column)];
}

export function unexpectedToken(text: string, offset: number, token: string): SoqlError {
  return positionedError('MALFORMED_QUERY', text, offset, `unexpected token: '${token}'`);
}

export function unsupported(text: string, offset: number, what: string): SoqlError {
  return positionedError('MALFORMED_QUERY', text, offset, `${what} is not supported by the sandbox's SOQL`);
}
