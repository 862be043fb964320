import { Plus, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { jobFieldName, type JobFieldPath, type JobFieldValue } from '../../../../src/shared/jobs/editJobText.js';
import styles from './JobEditor.module.css';
import { fieldId, useJobForm } from './JobFormContext.js';
import { emptyOf, fieldKind, labelOf, startingObject, variantLabel, variantOf, type JsonSchema } from './jobSchema.js';

interface FieldProps {
  readonly schema: JsonSchema;
  readonly path: JobFieldPath;
  readonly value: unknown;
  readonly label: string;
}

/** What one item of a list is called, by the list's field. */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  routes: 'Route',
  validate: 'Rule set',
  notify: 'Notification',
  expect: 'Expected file',
  columns: 'Column',
  companions: 'Companion file',
  holidays: 'Holiday',
};

/** A value as a field shows it. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ids and messages of a field's hint and problems, for `aria-describedby`. */
function useDescription(field: string, hint: string | undefined) {
  const { problemsAt } = useJobForm();
  const problems = problemsAt(field);
  const id = fieldId(field);
  const ids = [hint === undefined ? undefined : `${id}-hint`, problems.length > 0 ? `${id}-error` : undefined].filter((x) => x !== undefined);
  const nodes = (
    <>
      {hint === undefined ? null : (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {problems.length === 0 ? null : (
        <span id={`${id}-error`} className={styles.fieldError}>
          {problems.map((p) => p.message).join('; ')}
        </span>
      )}
    </>
  );
  return { id, invalid: problems.length > 0, describedBy: ids.length === 0 ? undefined : ids.join(' '), nodes };
}

/**
 * Text the user is typing, kept as typed while it means the value the job has ("1." on the way to
 * "1.5"), and replaced when the value changes from elsewhere (the YAML beside).
 */
function useTyped(external: string, canonical: (typed: string) => string): [string, (typed: string) => void] {
  const [typed, setTyped] = useState(external);
  const [seen, setSeen] = useState(external);
  if (seen !== external) {
    setSeen(external);
    if (canonical(typed) !== external) setTyped(external);
  }
  return [typed, setTyped];
}

function TextField({ path, value, label, schema, numeric }: FieldProps & { readonly numeric: 'never' | 'integer' | 'number' | 'when-digits' }) {
  const { setField } = useJobForm();
  const field = jobFieldName(path);
  const { id, invalid, describedBy, nodes } = useDescription(field, schema.description);
  const parse = (typed: string): JobFieldValue => {
    if (typed === '') return undefined;
    const digits = numeric === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    return numeric !== 'never' && digits.test(typed.trim()) ? Number(typed.trim()) : typed;
  };
  const external = shown(value);
  const [typed, setTyped] = useTyped(external, (t) => shown(parse(t)));
  const long = field === 'description';
  const common = {
    id,
    value: typed,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy,
    placeholder: schema.default === undefined ? undefined : `default: ${shown(schema.default)}`,
    onChange: (e: { target: { value: string } }) => {
      setTyped(e.target.value);
      // Emptied while typing, a field keeps its place in the YAML for what comes next; leaving it empty removes it.
      const next = parse(e.target.value);
      if (next !== undefined) setField(path, next);
      else if (value !== undefined) setField(path, '');
    },
    onBlur: () => {
      if (typed === '' && value !== undefined) setField(path, undefined);
    },
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {long ? <textarea rows={3} {...common} /> : <input type="text" inputMode={numeric === 'never' ? undefined : 'decimal'} {...common} />}
      {nodes}
    </div>
  );
}

function LinesField({ path, value, label, schema, pairs }: FieldProps & { readonly pairs: boolean }) {
  const { setField } = useJobForm();
  const { id, invalid, describedBy, nodes } = useDescription(jobFieldName(path), `${schema.description ?? ''} ${pairs ? 'One "name: value" a line.' : 'One a line.'}`.trim());
  const format = (v: unknown): string =>
    pairs ? (isRecord(v) ? Object.entries(v).map(([k, x]) => `${k}: ${shown(x)}`).join('\n') : '') : Array.isArray(v) ? v.map(String).join('\n') : '';
  const parse = (typed: string): JobFieldValue => {
    const lines = typed.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0) return undefined;
    if (!pairs) return lines;
    return Object.fromEntries(lines.map((l) => (l.includes(':') ? [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()] : [l, ''])));
  };
  const [typed, setTyped] = useTyped(format(value), (t) => format(parse(t)));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={Math.min(8, Math.max(2, typed.split('\n').length + 1))}
        value={typed}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setTyped(e.target.value);
          setField(path, parse(e.target.value));
        }}
      />
      {nodes}
    </div>
  );
}

function ChoiceField({ path, value, label, schema, options }: FieldProps & { readonly options: ReadonlyArray<string> }) {
  const { setField } = useJobForm();
  const { id, invalid, describedBy, nodes } = useDescription(jobFieldName(path), schema.description);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={shown(value)} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => setField(path, e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{schema.default === undefined ? '(not set)' : `(default: ${shown(schema.default)})`}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      {nodes}
    </div>
  );
}

function FlagField({ path, value, label, schema }: FieldProps) {
  const { setField } = useJobForm();
  const { id, invalid, describedBy, nodes } = useDescription(jobFieldName(path), schema.description);
  return (
    <div className={styles.flag}>
      <label className="check" htmlFor={id}>
        <input id={id} type="checkbox" checked={value === undefined ? schema.default === true : value === true} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => setField(path, e.target.checked)} />
        {label}
      </label>
      {nodes}
    </div>
  );
}

function ChoicesField({ path, value, label, schema, options }: FieldProps & { readonly options: ReadonlyArray<string> }) {
  const { setField } = useJobForm();
  const { id, describedBy, nodes } = useDescription(jobFieldName(path), schema.description);
  const chosen = Array.isArray(value) ? value.map(String) : [];
  return (
    <fieldset className={styles.group} aria-describedby={describedBy} id={id}>
      <legend>{label}</legend>
      <div className={styles.choices}>
        {options.map((o) => (
          <label key={o} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(o)}
              onChange={(e) => {
                const next = e.target.checked ? options.filter((x) => x === o || chosen.includes(x)) : chosen.filter((x) => x !== o);
                setField(path, next.length === 0 ? undefined : next);
              }}
            />
            {o}
          </label>
        ))}
      </div>
      {nodes}
    </fieldset>
  );
}

/** A part of the job with fields of its own; closed while it is not set, so the form shows what the job uses. */
function GroupField({ path, value, label, schema, top }: FieldProps & { readonly top: boolean }) {
  const { id, describedBy, nodes } = useDescription(jobFieldName(path), top ? schema.description : undefined);
  const present = isRecord(value);
  const fields = Object.entries(schema.properties ?? {}).map(([key, property]) => (
    <SchemaField key={key} schema={property} path={[...path, key]} value={present ? value[key] : undefined} label={labelOf(key)} />
  ));
  const group = (
    <fieldset className={styles.group} id={id} aria-describedby={describedBy}>
      <legend>{label}</legend>
      {nodes}
      {fields}
    </fieldset>
  );
  if (top || present) return group;
  return (
    <details className={styles.unset}>
      <summary>
        {label} <span className="hint">not set{schema.description === undefined ? '' : ` — ${schema.description}`}</span>
      </summary>
      {group}
    </details>
  );
}

function ListField({ path, value, label, schema, item }: FieldProps & { readonly item: JsonSchema }) {
  const { setField } = useJobForm();
  const { id, describedBy, nodes } = useDescription(jobFieldName(path), schema.description);
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  const key = path.at(-1);
  const itemName = (typeof key === 'string' ? ITEM_NAMES[key] : undefined) ?? 'Item';
  const named = (entry: unknown, i: number): string => `${itemName} ${i + 1}${isRecord(entry) && typeof entry.name === 'string' && entry.name !== '' ? `: ${entry.name}` : ''}`;
  return (
    <fieldset className={styles.group} id={id} aria-describedby={describedBy}>
      <legend>{label}</legend>
      {nodes}
      {items.map((entry, i) => (
        // Items have no identity of their own but their place, which is also their path in the job.
        <div key={i} className={styles.item}>
          <SchemaField schema={item} path={[...path, i]} value={entry} label={named(entry, i)} />
          <button type="button" className="button small" onClick={() => setField([...path, i], undefined)} aria-label={`Remove ${named(entry, i)}`}>
            <Trash2 aria-hidden size={14} />
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button small" onClick={() => setField([...path, items.length], (item.properties === undefined ? emptyOf(item) : startingObject(item)) as JobFieldValue)}>
        <Plus aria-hidden size={14} />
        Add {itemName.toLowerCase()}
      </button>
    </fieldset>
  );
}

function VariantsField({ path, value, label, schema, variants }: FieldProps & { readonly variants: ReadonlyArray<JsonSchema> }) {
  const { setField } = useJobForm();
  const { id, invalid, describedBy, nodes } = useDescription(jobFieldName(path), schema.description);
  const chosen = value === undefined ? -1 : variantOf(variants, value);
  const variant = chosen < 0 ? undefined : variants[chosen];
  return (
    <div className={styles.variants}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select
          id={id}
          value={chosen}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            const next = variants[Number(e.target.value)];
            setField(path, next === undefined ? undefined : (emptyOf(next) as JobFieldValue));
          }}
        >
          <option value={-1}>(not set)</option>
          {variants.map((v, i) => (
            <option key={i} value={i}>
              {variantLabel(v)}
            </option>
          ))}
        </select>
        {nodes}
      </div>
      {variant === undefined || variant.enum !== undefined ? null : <SchemaField schema={{ ...variant, description: undefined }} path={path} value={value} label={label} inVariant />}
      {variant?.enum === undefined ? null : <ChoiceField schema={variant} path={path} value={value} label={`${label}: which`} options={variant.enum.map(String)} />}
    </div>
  );
}

/** One field of the job, edited the way its schema says: text, a choice, a flag, a group, a list, or one of several forms. */
export function SchemaField({ schema, path, value, label, inVariant = false }: FieldProps & { readonly inVariant?: boolean }): ReactNode {
  const kind = fieldKind(schema);
  switch (kind.kind) {
    case 'fixed':
      return (
        <p className={styles.fixed}>
          {label}: <strong>{String(kind.value)}</strong>
        </p>
      );
    case 'choice':
      return <ChoiceField schema={schema} path={path} value={value} label={label} options={kind.options} />;
    case 'flag':
      return <FlagField schema={schema} path={path} value={value} label={label} />;
    case 'text':
      return <TextField schema={schema} path={path} value={value} label={label} numeric={kind.numeric} />;
    case 'lines':
      return <LinesField schema={schema} path={path} value={value} label={label} pairs={false} />;
    case 'pairs':
      return <LinesField schema={schema} path={path} value={value} label={label} pairs />;
    case 'choices':
      return <ChoicesField schema={schema} path={path} value={value} label={label} options={kind.options} />;
    case 'group':
      return <GroupField schema={schema} path={path} value={value} label={label} top={path.length <= 1 || inVariant || typeof path.at(-1) === 'number'} />;
    case 'list':
      return <ListField schema={schema} path={path} value={value} label={label} item={kind.item} />;
    case 'variants':
      return <VariantsField schema={schema} path={path} value={value} label={label} variants={kind.variants} />;
    case 'yamlOnly':
      return (
        <p className={styles.fixed}>
          {label}: <span className="hint">edited in the YAML beside{value === undefined ? '' : ` (now ${JSON.stringify(value)})`}</span>
        </p>
      );
  }
}
