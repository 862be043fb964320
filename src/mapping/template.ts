import { MAX_NAME_BYTES, overlongName, shortened } from '../shared/util/names.js';
import { checkDateFormat, formatDate } from './dates.js';
import { TemplateError } from './errors.js';
import { checkParts, parseTemplate, renderPlaceholder, type Placeholder, type TemplateScope } from './templateSyntax.js';

export { TemplateError } from './errors.js';

export interface TemplateVars {
  readonly name: string;
  readonly relativePath?: string;
  readonly captures?: Readonly<Record<string, string>>;
  readonly record?: Readonly<Record<string, string>>;
  readonly fields?: Readonly<Record<string, string>>;
  readonly now: Date;
  readonly modifiedAt?: Date;
  readonly counter?: number;
  readonly run?: number;
  readonly timeZone?: string;
}

const PLAIN = new Set(['name', 'stem', 'ext', 'dir', 'run']);
const NAMESPACES = ['capture', 'record', 'field'] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';

type Namespace = (typeof NAMESPACES)[number];

/** The canonical variable a placeholder refers to: `{id}` is `capture.id`. */
function variableOf(placeholder: Placeholder): string | undefined {
  const { key } = placeholder;
  if (PLAIN.has(key) || key === 'date' || key === 'mtime' || key === 'counter') return key;
  const dot = key.indexOf('.');
  if (dot > 0 && (NAMESPACES as ReadonlyArray<string>).includes(key.slice(0, dot)) && dot < key.length - 1) return key;
  if (IDENTIFIER.test(key)) return `capture.${key}`;
  return undefined;
}

function checkPlaceholder(placeholder: Placeholder): string | undefined {
  const variable = variableOf(placeholder);
  if (variable === undefined) return `unknown variable "${placeholder.key}"`;
  const { arg } = placeholder;
  if (variable === 'date' || variable === 'mtime') return arg === undefined ? undefined : checkDateFormat(arg);
  if (variable === 'counter') {
    return arg === undefined || /^[1-9][0-9]?$/.test(arg) ? undefined : `bad counter width "${arg}" (use 1 to 99)`;
  }
  return arg === undefined ? undefined : `"${variable}" takes no format`;
}

/** Remote-controlled values may not create folders; only literal '/' in the template does. */
const flatten = (value: string): string => value.replace(/[/\\]/g, '_');

function lastDot(name: string): number {
  const dot = name.lastIndexOf('.');
  // A leading dot marks a hidden file, not an extension.
  return dot > 0 ? dot : -1;
}

function namespaced(vars: TemplateVars, ns: Namespace, key: string): string | undefined {
  const source = ns === 'capture' ? vars.captures : ns === 'record' ? vars.record : vars.fields;
  if (source === undefined || !Object.hasOwn(source, key)) return undefined;
  const value = source[key];
  return value === undefined ? undefined : flatten(value);
}

function resolve(vars: TemplateVars, placeholder: Placeholder): string | undefined {
  const variable = variableOf(placeholder) ?? '';
  const name = vars.name;
  switch (variable) {
    case 'name': return flatten(name);
    case 'stem': return flatten(lastDot(name) < 0 ? name : name.slice(0, lastDot(name)));
    case 'ext': return flatten(lastDot(name) < 0 ? '' : name.slice(lastDot(name)));
    case 'dir': {
      const path = vars.relativePath ?? '';
      const slash = path.lastIndexOf('/');
      return slash < 0 ? '' : path.slice(0, slash);
    }
    case 'run': return vars.run === undefined ? undefined : String(vars.run);
    case 'counter': {
      if (vars.counter === undefined) return undefined;
      return String(vars.counter).padStart(Number(placeholder.arg ?? '1'), '0');
    }
    case 'date': return formatDate(vars.now, placeholder.arg ?? DEFAULT_DATE_FORMAT, vars.timeZone);
    case 'mtime': {
      if (vars.modifiedAt === undefined) return undefined;
      return formatDate(vars.modifiedAt, placeholder.arg ?? DEFAULT_DATE_FORMAT, vars.timeZone);
    }
  }
  const dot = variable.indexOf('.');
  return namespaced(vars, variable.slice(0, dot) as Namespace, variable.slice(dot + 1));
}

const validationScope: TemplateScope = { check: checkPlaceholder, resolve: () => undefined };

type Unsafe = 'control' | 'backslash' | 'absolute' | 'parent' | 'current' | 'empty';

const UNSAFE: Record<Unsafe, string> = {
  control: 'contains a control character (NUL, CR, LF, ...)',
  backslash: 'contains a backslash',
  absolute: 'is absolute',
  parent: 'has a ".." segment',
  current: 'has a "." segment',
  empty: 'has an empty path segment',
};

function unsafeKind(path: string): Unsafe | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being refused
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control';
  if (path.includes('\\')) return 'backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute';
  const segments = path.split('/');
  if (segments.includes('..')) return 'parent';
  if (segments.includes('.')) return 'current';
  if (segments.includes('')) return 'empty';
  return undefined;
}

const STAY_INSIDE = 'a rendered path must stay inside the target folder';

function assertSafePath(template: string, path: string): string {
  const kind = unsafeKind(path);
  if (kind !== undefined) {
    throw new TemplateError(`Template "${template}" renders ${JSON.stringify(path)}, which ${UNSAFE[kind]}: ${STAY_INSIDE}`);
  }
  return path;
}

function renderParsed(template: string, scope: TemplateScope): string {
  const parts = parseTemplate(template);
  checkParts(template, parts, scope);
  let out = '';
  let skipSlash = false;
  for (const part of parts) {
    if (typeof part === 'string') {
      out += skipSlash && part.startsWith('/') ? part.slice(1) : part;
      skipSlash = false;
      continue;
    }
    const value = renderPlaceholder(template, part, scope);
    // `{dir}/{name}` for a file at the top of the source folder means just `{name}`, and
    // `processed/{dir}` means `processed`.
    skipSlash = part.key === 'dir' && value === '';
    if (skipSlash && out.endsWith('/')) {
      // One of the two slashes around an empty `{dir}` goes: this one, so the next is kept.
      out = out.slice(0, -1);
      skipSlash = false;
    }
    out += value;
  }
  return out;
}

/** Renders a file or folder name; throws TemplateError for a bad template, a missing value or an unsafe result. */
export function renderTemplate(template: string, vars: TemplateVars): string {
  const scope: TemplateScope = {
    check: checkPlaceholder,
    resolve: (placeholder) => {
      try {
        return resolve(vars, placeholder);
      } catch (error) {
        if (error instanceof RangeError) {
          throw new TemplateError(`Template "${template}": cannot format {${placeholder.text}}: ${error.message}`);
        }
        throw error;
      }
    },
  };
  return assertSafePath(template, renderParsed(template, scope));
}

/**
 * Renders the name a file is written under (folders included). Beyond renderTemplate's checks, every name
 * must fit the 255 bytes file systems and servers allow, so that an over-long result is refused while the
 * file is planned, naming the template and the result, instead of failing where it is written.
 */
export function renderName(template: string, vars: TemplateVars): string {
  const path = renderTemplate(template, vars);
  const over = overlongName(path);
  if (over !== undefined) {
    throw new TemplateError(
      `Template "${template}" renders the name ${JSON.stringify(shortened(over.name))} of ${over.bytes} bytes; a name may have at most ${MAX_NAME_BYTES} bytes`,
    );
  }
  return path;
}

/** Canonical variables a template uses (`capture.id` for `{id}`), first use first; throws TemplateError if malformed. */
export function templateVariables(template: string): ReadonlyArray<string> {
  const parts = parseTemplate(template);
  checkParts(template, parts, validationScope);
  const seen = new Set<string>();
  for (const part of parts) if (typeof part !== 'string') seen.add(variableOf(part) ?? part.key);
  return [...seen];
}

/**
 * Undefined when the template is usable, else why not: syntax, unknown variables, formats, or literal text that
 * no value can make safe (`../x`, a backslash). Leading and trailing '/' pass, so folder locations can be checked.
 */
export function checkTemplate(template: string): string | undefined {
  try {
    const sample = renderParsed(template, { check: checkPlaceholder, resolve: () => 'x' });
    const kind = unsafeKind(sample.replace(/^\/+|\/+$/g, ''));
    if (kind === 'control' || kind === 'backslash' || kind === 'parent') {
      return `Template "${template}" ${UNSAFE[kind]}: ${STAY_INSIDE}`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}
