/** Patterns in the config describe whole values: a partial match would let "ORD-1.csv.exe" pass for "ORD-\d+\.csv". */
export function compileFullMatch(source: string): RegExp {
  return new RegExp(`^(?:${source})$`);
}

/** The reason a pattern does not compile, or undefined when it does. */
export function regexProblem(source: string): string | undefined {
  try {
    compileFullMatch(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Names of the named capture groups a pattern declares, in order of appearance. */
export function namedGroups(source: string): string[] {
  return [...source.matchAll(/(?<!\\)\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] ?? '');
}
