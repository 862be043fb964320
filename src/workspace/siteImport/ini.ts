import { fileError } from './site.js';

export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Reads an INI file as Windows' profile API writes it: `[section]` headers, `key=value` lines split at
 * the first `=`, `;` comments, blank lines. Keys compare without case, as Windows does. A line that is
 * neither is an error naming its line rather than a guess.
 */
export function readIni(fileName: string, text: string): IniSection[] {
  const sections: IniSection[] = [];
  let current: { name: string; line: number; values: Map<string, string> } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const number = index + 1;
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      if (!line.endsWith(']') || line.length < 3) throw fileError(fileName, number, `a section header must look like [name], not ${shown(line)}`);
      current = { name: line.slice(1, -1), line: number, values: new Map() };
      sections.push(current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw fileError(fileName, number, `expected key=value, found ${shown(line)}`);
    if (current === undefined) throw fileError(fileName, number, 'a value before any [section]');
    current.values.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  });
  return sections;
}

function shown(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}
