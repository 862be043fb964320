import { TransferError } from '../errors.js';

/**
 * A template that finds the Salesforce record a file belongs to from the file's path, e.g.
 * `INV-{AccountNumber}-{date}.pdf` or `{AccountNumber}/{**}`.
 */
export interface NamingRule {
  readonly template: string;
  /** Fields of the target object the template captures, in template order, each once. */
  readonly fields: string[];
  /**
   * Every distinct set of captured field values with which `relativePath` (POSIX, relative to the copied
   * folder) matches the whole template, shortest captures first; or why the path cannot be looked up: it
   * matches no way, or more ways than are worth a query.
   */
  readings(relativePath: string): NamingRuleReading[] | TransferError;
  describe(): string;
}

/** The value each field of a rule captures in one reading of a path. */
export type NamingRuleReading = Readonly<Record<string, string>>;

/**
 * More readings than this and a path is refused: every reading is a value sent in the batch's query, and
 * a partner's name like `a-a-a-…` against several fields can be read in millions of ways.
 */
const MAX_READINGS = 32;

type BuiltIn = 'date' | 'number' | 'segmentText' | 'pathText';
type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field' | BuiltIn; readonly name: string };

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const BUILT_INS: ReadonlyMap<string, BuiltIn> = new Map([
  ['date', 'date'],
  ['number', 'number'],
  ['*', 'segmentText'],
  ['**', 'pathText'],
]);

/**
 * Parses a naming rule. Placeholders:
 * - `{FieldName}`: a field of the target object; one or more characters within one path segment.
 * - `{date}`: YYYY-MM-DD, YYYYMMDD or YYYY_MM_DD.
 * - `{number}`: one or more digits.
 * - `{*}`: any text within one path segment, possibly empty.
 * - `{**}`: any text across segments; as a whole segment (`a/{**}/b`), zero or more folders.
 *
 * A field's value may hold the text that follows it in the template (account numbers like `ACC-10001`
 * against `INV-{AccountNumber}-{*}`), so a path can be read several ways; each is offered, and the
 * records that exist decide which one is meant. A field used twice must capture the same value both times.
 *
 * Literal text, extensions included, matches regardless of case: partners on Windows, where `a.PDF` and
 * `a.pdf` are one file, send either, and SOQL compares the captured values regardless of case too. Template
 * and path are compared in Unicode NFC, as macOS writes decomposed names.
 */
export function parseNamingRule(template: string): NamingRule {
  const { steps, fields } = compile(tokenize(template));
  const describe = (): string => `the naming rule "${template}"`;
  return {
    template,
    fields,
    readings(relativePath) {
      const found = matchAll(steps, fields.length, relativePath.normalize('NFC'), MAX_READINGS + 1);
      if (found.length === 0) return new TransferError('validation', `${relativePath} does not match ${describe()}`, { path: relativePath });
      if (found.length > MAX_READINGS) {
        return new TransferError(
          'validation',
          `${relativePath} fits ${describe()} in more than ${MAX_READINGS} ways, too many to look up; put fixed text, {date} or {number} between its fields`,
          { path: relativePath },
        );
      }
      return found.map((captures) => Object.fromEntries(fields.map((field, i) => [field, captures[i] ?? ''])));
    },
    describe,
  };
}

/** A rule that cannot be parsed, with where in it (1-based, in characters) and why, for an editor to point at. */
export class NamingRuleSyntaxError extends TransferError {
  constructor(
    template: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super('config', `The naming rule "${template}" is invalid at character ${position}: ${reason}`);
  }
}

function tokenize(template: string): Token[] {
  const fail = (position: number, reason: string): never => {
    throw new NamingRuleSyntaxError(template, position, reason);
  };
  if (template.trim() === '') fail(1, 'it is empty');
  if (template.startsWith('/')) fail(1, 'it must be relative to the copied folder, without a leading /');
  if (template.includes('\\')) fail(template.indexOf('\\') + 1, 'separate folders with /, not \\');

  const tokens: Token[] = [];
  for (const match of template.normalize('NFC').matchAll(/\{([^{}]*)\}|([{}])|([^{}]+)/g)) {
    const [, inner, stray, text] = match;
    const position = match.index + 1;
    if (stray !== undefined) fail(position, `"${stray}" does not open or close a placeholder`);
    if (text !== undefined) {
      tokens.push({ kind: 'literal', text });
      continue;
    }
    const name = inner ?? '';
    const token = placeholder(name, (reason) => fail(position, reason));
    const previous = tokens.at(-1);
    if (previous !== undefined && previous.kind !== 'literal') {
      fail(position, `{${previous.name}} and {${name}} need text between them`);
    }
    tokens.push(token);
  }
  if (!tokens.some((t) => t.kind === 'field')) fail(1, 'it names no field of the target object, such as {AccountNumber}');
  return tokens;
}

function placeholder(name: string, fail: (reason: string) => never): Token {
  const builtIn = BUILT_INS.get(name);
  if (builtIn !== undefined) return { kind: builtIn, name };
  if (BUILT_INS.has(name.toLowerCase())) fail(`write {${name.toLowerCase()}} in lower case`);
  if (!FIELD_NAME.test(name)) {
    fail(`{${name}} is neither a field name (letters, digits and underscores) nor date, number, * or **`);
  }
  return { kind: 'field', name };
}

/**
 * One step of a match. A template compiles to steps rather than to one regular expression because a
 * backtracking engine takes exponential time on names like `a-a-a-…` against several placeholders, and
 * partners choose the names.
 */
type Step =
  /** Text of one possible length at a position: a literal or a date. */
  | { readonly kind: 'fixed'; readonly pattern: RegExp }
  /** A run of characters from a class, `min` or more long; `group` receives it. */
  | { readonly kind: 'span'; readonly run: RegExp; readonly min: number; readonly group?: number }
  /** Zero or more whole folders, each with its trailing slash. */
  | { readonly kind: 'folders' }
  /** The same text as an earlier group, regardless of case. */
  | { readonly kind: 'same'; readonly group: number };

function compile(tokens: ReadonlyArray<Token>): { steps: Step[]; fields: string[] } {
  const fields: string[] = [];
  const groupOf = new Map<string, number>();
  const steps: Step[] = [];
  let skipSlash = false;
  tokens.forEach((token, i) => {
    switch (token.kind) {
      case 'literal': {
        const text = skipSlash ? token.text.slice(1) : token.text;
        skipSlash = false;
        if (text !== '') steps.push({ kind: 'fixed', pattern: sticky(escapeRegExp(text)) });
        return;
      }
      case 'field': {
        const key = token.name.toLowerCase();
        const existing = groupOf.get(key);
        if (existing !== undefined) return void steps.push({ kind: 'same', group: existing });
        groupOf.set(key, fields.length);
        steps.push({ kind: 'span', run: sticky('[^/]*'), min: 1, group: fields.length });
        fields.push(token.name);
        return;
      }
      case 'date':
        return void steps.push({ kind: 'fixed', pattern: sticky(DATE) });
      case 'number':
        return void steps.push({ kind: 'span', run: sticky('\\d*'), min: 1 });
      case 'segmentText':
        return void steps.push({ kind: 'span', run: sticky('[^/]*'), min: 0 });
      case 'pathText':
        if (!isWholeSegment(tokens, i)) return void steps.push({ kind: 'span', run: sticky('[^]*'), min: 0 });
        skipSlash = true;
        return void steps.push({ kind: 'folders' });
    }
  });
  return { steps, fields };
}

/** One separator style throughout, and only months and days that exist. */
const DATE = '\\d{4}(?<sep>[-_]?)(?:0[1-9]|1[0-2])\\k<sep>(?:0[1-9]|[12]\\d|3[01])';

function sticky(source: string): RegExp {
  return new RegExp(source, 'iuy');
}

/**
 * Every distinct set of captures with which `text` matches the whole of `steps`, at most `limit` of them,
 * in the order a lazy regular expression would find them: each step tries its shortest candidate first.
 * A state (step, position, captures so far) is explored once, and once the last capture is made one way
 * to finish is enough. A step that failed at a position fails there again unless a repeated field it
 * depends on differs, so failures are remembered and the work stays polynomial.
 */
function matchAll(steps: ReadonlyArray<Step>, groups: number, text: string, limit: number): string[][] {
  const captures: string[] = new Array<string>(groups).fill('');
  const repeated = [...new Set(steps.flatMap((s) => (s.kind === 'same' ? [s.group] : [])))];
  const capturedBefore = steps.map((_, i) => steps.slice(0, i).flatMap((s) => (s.kind === 'span' && s.group !== undefined ? [s.group] : [])));
  const lastCapture = steps.findLastIndex((s) => s.kind === 'same' || (s.kind === 'span' && s.group !== undefined));
  const found = new Map<string, string[]>();
  const failed = new Set<string>();
  const explored = new Set<string>();
  const enough = (): boolean => found.size >= limit;

  const solve = (i: number, pos: number): boolean => {
    const step = steps[i];
    if (step === undefined) {
      if (pos !== text.length) return false;
      found.set(JSON.stringify(captures), [...captures]);
      return true;
    }
    const failKey = `${i}:${pos}:${repeated.map((g) => captures[g]).join('/')}`;
    if (failed.has(failKey)) return false;
    const stateKey = `${i}:${pos}:${JSON.stringify(capturedBefore[i]?.map((g) => captures[g]))}`;
    if (explored.has(stateKey)) return true;
    let fits = false;
    for (const end of candidates(step, text, pos, captures)) {
      if (step.kind === 'span' && step.group !== undefined) captures[step.group] = text.slice(pos, end);
      if (solve(i + 1, end)) fits = true;
      if (enough() || (fits && i > lastCapture)) break;
    }
    if (fits) explored.add(stateKey);
    else failed.add(failKey);
    return fits;
  };
  solve(0, 0);
  return [...found.values()];
}

/** Where `step` can end when it starts at `pos`, shortest first. */
function* candidates(step: Step, text: string, pos: number, captures: ReadonlyArray<string>): Generator<number> {
  switch (step.kind) {
    case 'fixed': {
      const end = stickyEnd(step.pattern, text, pos);
      if (end !== undefined) yield end;
      return;
    }
    case 'same': {
      const end = stickyEnd(sticky(escapeRegExp(captures[step.group] ?? '')), text, pos);
      if (end !== undefined) yield end;
      return;
    }
    case 'span': {
      const longest = stickyEnd(step.run, text, pos) ?? pos;
      for (let end = pos + step.min; end <= longest; end++) yield end;
      return;
    }
    case 'folders': {
      yield pos;
      for (let slash = text.indexOf('/', pos); slash !== -1; slash = text.indexOf('/', slash + 1)) yield slash + 1;
      return;
    }
  }
}

function stickyEnd(pattern: RegExp, text: string, pos: number): number | undefined {
  pattern.lastIndex = pos;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}

/** True when `{**}` at `i` fills a whole segment and is followed by more, as in `{**}/x` or `a/{**}/x`. */
function isWholeSegment(tokens: ReadonlyArray<Token>, i: number): boolean {
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  const startsSegment = before === undefined || (before.kind === 'literal' && before.text.endsWith('/'));
  return startsSegment && after?.kind === 'literal' && after.text.startsWith('/');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
