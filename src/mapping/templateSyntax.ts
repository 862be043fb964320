import { TemplateError } from './errors.js';

/**
 * The brace syntax shared by name templates, header/trailer lines and mapped values. Each use decides which
 * variables exist (a scope); parsing, modifiers and error wording stay identical across them.
 */
export type Modifier = 'upper' | 'lower' | 'trim' | 'slug';

export interface Placeholder {
  /** The text between the braces, for error messages. */
  readonly text: string;
  readonly key: string;
  /** What follows the first ':' (a date format or counter width). */
  readonly arg: string | undefined;
  readonly modifiers: ReadonlyArray<Modifier>;
}

export type Part = string | Placeholder;

export interface TemplateScope {
  /** Why the placeholder cannot be used here, or undefined. */
  check(placeholder: Placeholder): string | undefined;
  /** The raw value, or undefined when the run has none. */
  resolve(placeholder: Placeholder): string | undefined;
}

const MODIFIERS: ReadonlySet<string> = new Set<Modifier>(['upper', 'lower', 'trim', 'slug']);

function fail(template: string, problem: string): never {
  throw new TemplateError(`Template "${template}": ${problem}`);
}

function parsePlaceholder(template: string, text: string): Placeholder {
  const [head = '', ...mods] = text.split('|');
  const colon = head.indexOf(':');
  const key = colon < 0 ? head : head.slice(0, colon);
  const arg = colon < 0 ? undefined : head.slice(colon + 1);
  if (key === '') fail(template, `empty placeholder {${text}}`);
  if (arg === '') fail(template, `empty format in {${text}}`);
  for (const mod of mods) {
    if (!MODIFIERS.has(mod)) fail(template, `unknown modifier "|${mod}" in {${text}} (use upper, lower, trim or slug)`);
  }
  return { text, key, arg, modifiers: mods as Modifier[] };
}

/** Splits a template into literal text and placeholders; `{{` and `}}` are literal braces. */
export function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const c = template.charAt(i);
    const next = template.charAt(i + 1);
    if ((c === '{' || c === '}') && next === c) {
      literal += c;
      i += 2;
    } else if (c === '}') {
      fail(template, `unbalanced braces: "}" at position ${i + 1} has no opening "{" (write }} for a literal brace)`);
    } else if (c === '{') {
      const close = template.indexOf('}', i + 1);
      const reopen = template.indexOf('{', i + 1);
      if (close < 0 || (reopen >= 0 && reopen < close)) {
        fail(template, `unbalanced braces: "{" at position ${i + 1} is not closed (write {{ for a literal brace)`);
      }
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push(parsePlaceholder(template, template.slice(i + 1, close)));
      i = close + 1;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/**
 * A safe file name fragment: accents folded to ASCII, anything outside [A-Za-z0-9._-] dropped, and runs of
 * whitespace and dashes made one '-' ("Fabrikam - Fleet" → "Fabrikam-Fleet").
 */
export function slug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    // Dropping first keeps "A & B" from becoming "A--B".
    .replace(/[^A-Za-z0-9._\s-]/g, '')
    .trim()
    .replace(/[\s-]*\s[\s-]*|-{2,}/g, '-');
}

export function applyModifiers(value: string, modifiers: ReadonlyArray<Modifier>): string {
  return modifiers.reduce((current, mod) => {
    switch (mod) {
      case 'upper': return current.toUpperCase();
      case 'lower': return current.toLowerCase();
      case 'trim': return current.trim();
      case 'slug': return slug(current);
    }
  }, value);
}

/** Throws the first scope error in a parsed template. */
export function checkParts(template: string, parts: ReadonlyArray<Part>, scope: TemplateScope): void {
  for (const part of parts) {
    if (typeof part === 'string') continue;
    const problem = scope.check(part);
    if (problem !== undefined) fail(template, `${problem} in {${part.text}}`);
  }
}

/** The value of one placeholder with its modifiers applied; a missing value is an error, never ''. */
export function renderPlaceholder(template: string, placeholder: Placeholder, scope: TemplateScope): string {
  const value = scope.resolve(placeholder);
  if (value === undefined) throw new TemplateError(`Template "${template}" has no value for {${placeholder.text}}`);
  return applyModifiers(value, placeholder.modifiers);
}

/** Renders every part; a scope error or missing value throws TemplateError naming the template. */
export function renderWithScope(template: string, scope: TemplateScope): string {
  const parts = parseTemplate(template);
  checkParts(template, parts, scope);
  return parts.map((part) => (typeof part === 'string' ? part : renderPlaceholder(template, part, scope))).join('');
}

/** Undefined when the template parses and every placeholder is valid in the scope, else the error text. */
export function checkWithScope(template: string, scope: TemplateScope): string | undefined {
  try {
    checkParts(template, parseTemplate(template), scope);
    return undefined;
  } catch (error) {
    if (error instanceof TemplateError) return error.message;
    throw error;
  }
}
