/**
 * The parts of JSON Schema the job format uses (`ferry schema job`), as the form reads them: the form is
 * built from the schema, so a field added to the format shows up in it without a change here.
 */
export interface JsonSchema {
  readonly type?: string | ReadonlyArray<string>;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: ReadonlyArray<string>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: ReadonlyArray<JsonSchema>;
  readonly oneOf?: ReadonlyArray<JsonSchema>;
  readonly enum?: ReadonlyArray<unknown>;
  readonly const?: unknown;
  readonly description?: string;
  readonly default?: unknown;
}

/** How a part of the schema is edited. */
export type FieldKind =
  | { readonly kind: 'fixed'; readonly value: unknown }
  | { readonly kind: 'choice'; readonly options: ReadonlyArray<string> }
  | { readonly kind: 'flag' }
  | { readonly kind: 'text'; readonly numeric: 'never' | 'integer' | 'number' | 'when-digits' }
  | { readonly kind: 'list'; readonly item: JsonSchema }
  | { readonly kind: 'choices'; readonly options: ReadonlyArray<string> }
  | { readonly kind: 'lines' }
  | { readonly kind: 'group' }
  | { readonly kind: 'pairs' }
  | { readonly kind: 'variants'; readonly variants: ReadonlyArray<JsonSchema> }
  | { readonly kind: 'yamlOnly' };

function types(schema: JsonSchema): ReadonlyArray<string> {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

const SCALARS = new Set(['string', 'number', 'integer']);

/** A union of scalars with no fixed values: "10MB" or 1000, "10%" or 25. */
function isScalarUnion(variants: ReadonlyArray<JsonSchema>): boolean {
  return variants.every((v) => v.enum === undefined && v.const === undefined && types(v).length > 0 && types(v).every((t) => SCALARS.has(t)));
}

export function fieldKind(schema: JsonSchema): FieldKind {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return isScalarUnion(variants) ? { kind: 'text', numeric: 'when-digits' } : { kind: 'variants', variants };
  if (schema.const !== undefined) return { kind: 'fixed', value: schema.const };
  if (schema.enum !== undefined) return { kind: 'choice', options: schema.enum.map(String) };
  const t = types(schema);
  if (t.length > 1) return t.every((x) => SCALARS.has(x)) ? { kind: 'text', numeric: 'when-digits' } : { kind: 'yamlOnly' };
  switch (t[0]) {
    case 'boolean':
      return { kind: 'flag' };
    case 'string':
      return { kind: 'text', numeric: 'never' };
    case 'integer':
      return { kind: 'text', numeric: 'integer' };
    case 'number':
      return { kind: 'text', numeric: 'number' };
    case 'array': {
      const item = schema.items ?? {};
      if (item.enum !== undefined) return { kind: 'choices', options: item.enum.map(String) };
      const itemKind = fieldKind(item);
      return itemKind.kind === 'text' ? { kind: 'lines' } : { kind: 'list', item };
    }
    case 'object':
      if (schema.properties !== undefined) return { kind: 'group' };
      return typeof schema.additionalProperties === 'object' && types(schema.additionalProperties).includes('string') ? { kind: 'pairs' } : { kind: 'yamlOnly' };
    default:
      return { kind: 'yamlOnly' };
  }
}

/** Which variant of a union the value is written as, by its shape. */
export function variantOf(variants: ReadonlyArray<JsonSchema>, value: unknown): number {
  const shape = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  const fits = (v: JsonSchema): boolean => {
    if (value === undefined) return false;
    if (v.enum !== undefined) return v.enum.includes(value);
    const t = types(v);
    if (t.includes(shape) || (shape === 'number' && t.includes('integer'))) {
      if (shape !== 'object' || v.properties === undefined || typeof value !== 'object' || value === null) return true;
      // Two object variants tell apart by the fields each allows.
      return Object.keys(value).every((key) => v.properties?.[key] !== undefined);
    }
    return false;
  };
  const found = variants.findIndex(fits);
  return found < 0 ? 0 : found;
}

/** What a new value of a variant starts as, so choosing it writes something the form can show. */
export function emptyOf(schema: JsonSchema): unknown {
  if (schema.enum !== undefined) return schema.default ?? schema.enum[0];
  const t = types(schema)[0];
  if (t === 'array') return [];
  if (t === 'object') return startingObject(schema);
  if (t === 'boolean') return true;
  return schema.default ?? '';
}

/** A new item of a list: its required text fields, empty, for the user to fill in. */
export function startingObject(schema: JsonSchema): Record<string, unknown> {
  const start: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    const property = schema.properties?.[key];
    if (property === undefined) continue;
    const kind = fieldKind(property);
    start[key] = kind.kind === 'lines' || kind.kind === 'choices' || kind.kind === 'list' ? [] : kind.kind === 'group' ? startingObject(property) : '';
  }
  return start;
}

/** A variant in a few words: its description, or what it holds. */
export function variantLabel(schema: JsonSchema): string {
  if (schema.enum !== undefined) return schema.enum.map(String).join(' or ');
  const t = types(schema)[0];
  if (t === 'object' && schema.properties !== undefined) return `settings: ${Object.keys(schema.properties).join(', ')}`;
  if (t === 'array') return schema.items?.properties !== undefined ? `a list of: ${Object.keys(schema.items.properties).join(', ')}` : 'a list';
  if (t === 'boolean') return 'yes or no';
  return t ?? 'a value';
}

/** `stableFor` → "Stable for", `attachBy` → "Attach by", `$schema` → "Schema". */
export function labelOf(key: string): string {
  const words = key.replace(/^\$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The sections of the form, by the job's top-level fields; fields not named here go under "More". */
export const SECTIONS: ReadonlyArray<{ readonly title: string; readonly fields: ReadonlyArray<string> }> = [
  { title: 'General', fields: ['name', 'description', 'version', 'concurrency', 'bandwidth'] },
  { title: 'Source', fields: ['source'] },
  { title: 'Arrival', fields: ['arrival'] },
  { title: 'Validation', fields: ['validate'] },
  { title: 'Routes', fields: ['routing', 'routes', 'rename'] },
  { title: 'Quarantine', fields: ['quarantine'] },
  { title: 'Notifications', fields: ['notify'] },
  { title: 'Schedule', fields: ['schedule'] },
  { title: 'Post-actions', fields: ['after'] },
  { title: 'Mirror', fields: ['sync'] },
];

/** Fields the form leaves to the YAML: they tell editors where the schema is, not what the job does. */
const NOT_IN_FORM = new Set(['$schema']);

export function sectionsOf(schema: JsonSchema): ReadonlyArray<{ readonly title: string; readonly fields: ReadonlyArray<string> }> {
  const known = new Set(SECTIONS.flatMap((s) => s.fields));
  const properties = Object.keys(schema.properties ?? {});
  const more = properties.filter((key) => !known.has(key) && !NOT_IN_FORM.has(key));
  const sections = SECTIONS.map((s) => ({ title: s.title, fields: s.fields.filter((f) => properties.includes(f)) })).filter((s) => s.fields.length > 0);
  return more.length === 0 ? sections : [...sections, { title: 'More', fields: more }];
}
