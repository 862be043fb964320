/**
 * Where in a CSV file something is, as people look for it: the file, the line counted from 1 and, for a
 * value, the column counted from 1 with its name from the header (`orders.csv line 4, column 3 "Amount"`).
 * `names` is left out where the message names the column itself.
 */
export function csvPlace(file: string, line: number, columnIndex?: number, names: ReadonlyArray<string> = []): string {
  if (columnIndex === undefined) return `${file} line ${line}`;
  const name = names[columnIndex];
  return `${file} line ${line}, column ${columnIndex + 1}${name === undefined || name === '' ? '' : ` "${name}"`}`;
}
