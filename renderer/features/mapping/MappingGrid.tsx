import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { Direction, DraftProblem, FieldDraft } from '../../../src/shared/contract/mappingCommands.js';
import { formatOf, parseSteps, stepsText, withFormat, withSteps, type ValueFormat } from './fieldSteps.js';
import styles from './PartnerFormats.module.css';

/** The cells a problem of the draft can be shown at. */
type Cell = 'from' | 'to' | 'steps';

/** The draft's problems about one mapping, by the cell they belong to. */
export function problemsByCell(problems: ReadonlyArray<DraftProblem>, direction: Direction): Map<string, string> {
  const cells = new Map<string, string>();
  for (const { path, message } of problems) {
    const [where, mapping, fields, index, prop] = path;
    if (where !== direction || mapping !== 'mapping' || fields !== 'fields' || typeof index !== 'number') continue;
    const cell: Cell = prop === 'to' ? 'to' : prop === 'from' || prop === 'value' ? 'from' : 'steps';
    const key = `${index}:${cell}`;
    cells.set(key, cells.has(key) ? `${cells.get(key) ?? ''}; ${message}` : message);
  }
  return cells;
}

/** Problems of the draft that are not about one mapping of this direction, as `where: message`. */
export function otherProblems(problems: ReadonlyArray<DraftProblem>, direction: Direction): string[] {
  return problems
    .filter(({ path }) => !(path[0] === direction && path[1] === 'mapping' && path[2] === 'fields' && typeof path[3] === 'number'))
    .map(({ path, message }) => (path.length === 0 ? message : `${path.join(' › ')}: ${message}`));
}

function Problem({ id, text }: { readonly id: string; readonly text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <span id={id} className={styles.cellProblem}>
      {text}
    </span>
  );
}

interface RowProps {
  readonly index: number;
  readonly count: number;
  readonly field: FieldDraft;
  readonly fromLabel: string;
  readonly toLabel: string;
  readonly problems: ReadonlyMap<string, string>;
  readonly onChange: (field: FieldDraft) => void;
  readonly onMove: (by: -1 | 1) => void;
  readonly onRemove: () => void;
}

function FormatCell({ row, format, onChange }: { readonly row: number; readonly format: ValueFormat; readonly onChange: (format: ValueFormat) => void }) {
  const choose = (kind: ValueFormat['kind']): void => {
    if (kind === 'none') onChange({ kind: 'none' });
    else if (kind === 'date') onChange({ kind: 'date', from: '', to: '' });
    else onChange({ kind: 'number', decimalSeparator: '', thousandsSeparator: '', decimals: '' });
  };
  return (
    <div className={styles.format}>
      <select aria-label={`Format, row ${row}`} value={format.kind} onChange={(e) => choose(e.target.value as ValueFormat['kind'])}>
        <option value="none">As it is</option>
        <option value="date">Date</option>
        <option value="number">Number</option>
      </select>
      {format.kind === 'date' && (
        <>
          <input aria-label={`Date as written, row ${row}`} placeholder="dd.MM.yyyy" value={format.from} onChange={(e) => onChange({ ...format, from: e.target.value })} />
          <input aria-label={`Date as delivered, row ${row}`} placeholder="yyyy-MM-dd" value={format.to} onChange={(e) => onChange({ ...format, to: e.target.value })} />
        </>
      )}
      {format.kind === 'number' && (
        <>
          <input className={styles.narrow} aria-label={`Decimal separator, row ${row}`} placeholder="." value={format.decimalSeparator} onChange={(e) => onChange({ ...format, decimalSeparator: e.target.value })} />
          <input className={styles.narrow} aria-label={`Thousands separator, row ${row}`} placeholder="none" value={format.thousandsSeparator} onChange={(e) => onChange({ ...format, thousandsSeparator: e.target.value })} />
          <input className={styles.narrow} aria-label={`Decimals, row ${row}`} placeholder="as is" inputMode="numeric" value={format.decimals} onChange={(e) => onChange({ ...format, decimals: e.target.value })} />
        </>
      )}
    </div>
  );
}

function MappingRow({ index, count, field, fromLabel, toLabel, problems, onChange, onMove, onRemove }: RowProps) {
  const row = index + 1;
  // While typing, the steps stay as typed, even half-written; the draft takes them whenever they read as a list.
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const typedProblem = typed === undefined ? undefined : (() => {
    const parsed = parseSteps(typed);
    return 'problem' in parsed ? parsed.problem : undefined;
  })();
  const problem = (cell: Cell): string | undefined => problems.get(`${index}:${cell}`);
  const stepsProblem = typedProblem ?? problem('steps');
  const id = (cell: Cell): string => `mapping-${index}-${cell}-problem`;
  const described = (cell: Cell, text: string | undefined) => (text === undefined ? {} : { 'aria-invalid': true, 'aria-describedby': id(cell) });
  const { from: _from, value: _value, ...rest } = field;
  return (
    <tr>
      <th scope="row" className={styles.rowNumber}>
        {row}
      </th>
      <td>
        {field.value !== undefined ? (
          <input aria-label={`Value template, row ${row}`} value={field.value} onChange={(e) => onChange({ ...rest, value: e.target.value })} {...described('from', problem('from'))} />
        ) : (
          <input
            aria-label={`${fromLabel}, row ${row}`}
            list="mapping-sample-columns"
            value={field.from ?? ''}
            onChange={(e) => onChange(e.target.value === '' ? rest : { ...rest, from: e.target.value })}
            {...described('from', problem('from'))}
          />
        )}
        <Problem id={id('from')} text={problem('from')} />
      </td>
      <td>
        <input aria-label={`${toLabel}, row ${row}`} value={field.to} onChange={(e) => onChange({ ...field, to: e.target.value })} {...described('to', problem('to'))} />
        <Problem id={id('to')} text={problem('to')} />
      </td>
      <td>
        <input
          aria-label={`Transforms, row ${row}`}
          value={typed ?? stepsText(field.transforms)}
          onChange={(e) => {
            setTyped(e.target.value);
            const parsed = parseSteps(e.target.value);
            if ('steps' in parsed) onChange({ ...field, transforms: withSteps(field.transforms, parsed.steps) });
          }}
          onBlur={() => {
            if (typed !== undefined && 'steps' in parseSteps(typed)) setTyped(undefined);
          }}
          {...described('steps', stepsProblem)}
        />
        <Problem id={id('steps')} text={stepsProblem} />
      </td>
      <td>
        <FormatCell row={row} format={formatOf(field.transforms)} onChange={(format) => onChange({ ...field, transforms: withFormat(field.transforms, format) })} />
      </td>
      <td className={styles.center}>
        <input type="checkbox" aria-label={`Required, row ${row}`} checked={field.required === true} onChange={(e) => onChange({ ...field, required: e.target.checked })} />
      </td>
      <td className={styles.actions}>
        <button type="button" className="button small" aria-label={`Move row ${row} up`} disabled={index === 0} onClick={() => onMove(-1)}>
          <ArrowUp aria-hidden size={14} />
        </button>
        <button type="button" className="button small" aria-label={`Move row ${row} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
          <ArrowDown aria-hidden size={14} />
        </button>
        <button type="button" className="button small" aria-label={`Remove row ${row}`} onClick={onRemove}>
          <Trash2 aria-hidden size={14} />
        </button>
      </td>
    </tr>
  );
}

export interface MappingGridProps {
  readonly direction: Direction;
  readonly fields: ReadonlyArray<FieldDraft>;
  /** The sample's columns, offered while typing a column name. */
  readonly columns: ReadonlyArray<string>;
  readonly problems: ReadonlyArray<DraftProblem>;
  readonly onChange: (index: number, field: FieldDraft) => void;
  readonly onMove: (index: number, by: -1 | 1) => void;
  readonly onRemove: (index: number) => void;
  readonly onAdd: () => void;
}

/** One row per delivered column: where its value comes from, what is done to it, and whether it may be empty. */
export function MappingGrid({ direction, fields, columns, problems, onChange, onMove, onRemove, onAdd }: MappingGridProps) {
  const inbound = direction === 'inbound';
  const fromLabel = inbound ? 'Partner column' : 'Internal field';
  const toLabel = inbound ? 'Internal field' : 'Partner column';
  const cells = problemsByCell(problems, direction);
  return (
    <div className={styles.mapping}>
      {/* Focusable, so a keyboard can scroll a mapping wider than the window. */}
      <div className={styles.tableScroll} role="region" aria-label="Field mapping, scrollable" tabIndex={0}>
        <table className={styles.table} aria-label="Field mapping">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{fromLabel}</th>
              <th scope="col">{toLabel}</th>
              <th scope="col">Transforms</th>
              <th scope="col">Format</th>
              <th scope="col">Required</th>
              <th scope="col">
                <span className={styles.visuallyHidden}>Order and removal</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field, index) => (
              <MappingRow
                key={index}
                index={index}
                count={fields.length}
                field={field}
                fromLabel={fromLabel}
                toLabel={toLabel}
                problems={cells}
                onChange={(next) => onChange(index, next)}
                onMove={(by) => onMove(index, by)}
                onRemove={() => onRemove(index)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {fields.length === 0 && <p className={styles.muted}>No mapping: every column passes through as it is. Add one to pick and rename columns.</p>}
      <datalist id="mapping-sample-columns">
        {columns.map((column) => (
          <option key={column} value={column} />
        ))}
      </datalist>
      <button type="button" className="button small" onClick={onAdd}>
        <Plus aria-hidden size={14} />
        Add mapping
      </button>
    </div>
  );
}
