/** Line handling shared by the line-oriented formats (CSV and fixed-width). */
export function eolOf(lineEnding: 'lf' | 'crlf' | undefined): string {
  return lineEnding === 'lf' ? '\n' : '\r\n';
}

/** Whether a raw last line is the partner's trailer; without a pattern nothing is, so no row is ever dropped unasked. */
export function isTrailer(raw: string, pattern: RegExp | undefined): boolean {
  return pattern !== undefined && pattern.test(raw.replace(/^[\r\n]+|[\r\n]+$/g, ''));
}

/** Lines of decoded text, without their CRLF or LF; a last line without an ending still counts. */
export async function* linesOf(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const lines = (rest + String(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
