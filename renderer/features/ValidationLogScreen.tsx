import { RotateCcw, Send, ShieldCheck } from 'lucide-react';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { QUARANTINE_STATES, type ValidationEntryView } from '../../src/shared/contract/validationCommands.js';
import { JobDateFilterForm } from '../components/JobDateFilterForm.js';
import { movedFocus } from '../components/gridKeys.js';
import { formatCount, formatDate } from '../format.js';
import { fileNameOf } from '../stores/history.js';
import type { OpenedEntry } from '../stores/validationLog.js';
import { useSlice, useStores } from './StoresContext.js';
import styles from './ValidationLogScreen.module.css';

export const OUTCOME_WORDS: Readonly<Record<ValidationEntryView['outcome'], string>> = {
  passed: 'Passed',
  held: 'Held',
  released: 'Released',
  returned: 'Returned',
};

function firstReason(entry: ValidationEntryView): string {
  const reason = entry.reasons[0];
  return reason === undefined ? '' : `${reason.rule}: ${reason.message}`;
}

/** A refused file: each reason with its place, its first lines with the lines that reasons name marked. */
function Details({ opened, selectedCount, busy, onAct }: { readonly opened: OpenedEntry | undefined; readonly selectedCount: number; readonly busy: boolean; readonly onAct: (action: 'revalidate' | 'release' | 'return', note?: string) => void }) {
  const [note, setNote] = useState('');
  const entry = opened?.entry;
  const bulk = selectedCount > 0;
  const canAct = !busy && (bulk || entry?.outcome === 'held');
  const target = bulk ? `${formatCount(selectedCount)} selected` : 'this file';
  const marked = new Set((entry?.reasons ?? []).flatMap((r) => (r.line === undefined ? [] : [r.line])));
  return (
    <aside className={styles.details} aria-label="Refused file">
      {entry === undefined ? (
        <p className={styles.note}>Open a file (Enter or double-click) to see why it was refused.</p>
      ) : (
        <>
          <h2>{fileNameOf(entry.file)}</h2>
          <p className={styles.note}>
            {entry.job}, refused {formatDate(entry.at)}: {OUTCOME_WORDS[entry.outcome]}. Kept in {entry.location}.
          </p>
          <h3>Reasons</h3>
          <ul className={styles.reasons}>
            {entry.reasons.map((r, i) => (
              <li key={i}>
                {r.line === undefined ? '' : `Line ${r.line}${r.column === undefined ? '' : `, column ${r.column}`} — `}
                {r.rule}: {r.message}
              </li>
            ))}
          </ul>
          <h3>First lines</h3>
          {opened?.binary === true ? (
            <p className={styles.note}>This file is not text.</p>
          ) : (
            <pre className={styles.lines} aria-label={`First lines of ${fileNameOf(entry.file)}`} tabIndex={0}>
              {opened?.firstLines.map((line, i) => (
                <span key={i}>
                  {marked.has(i + 1) ? <mark>{`${i + 1}  ${line}`}</mark> : `${i + 1}  ${line}`}
                  {'\n'}
                </span>
              ))}
            </pre>
          )}
        </>
      )}
      <div className={styles.actions} role="group" aria-label={`Act on ${target}`}>
        <button type="button" className="button small" disabled={!canAct} onClick={() => onAct('revalidate')}>
          <RotateCcw aria-hidden size={14} />
          Re-validate
        </button>
        <button type="button" className="button small" disabled={!canAct} onClick={() => onAct('release')}>
          <ShieldCheck aria-hidden size={14} />
          Release
        </button>
      </div>
      <label className={`field ${styles.note}`}>
        Note to the partner
        <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} placeholder="What to correct before sending it again" />
      </label>
      <button
        type="button"
        className="button small"
        disabled={!canAct}
        onClick={() => {
          onAct('return', note);
          setNote('');
        }}
      >
        <Send aria-hidden size={14} />
        Return to partner
      </button>
    </aside>
  );
}

/** Every file validation refused, what became of it, and the actions that resolve it. */
export function ValidationLogScreen() {
  const { validationLog } = useStores();
  const entries = useSlice(validationLog, (s) => s.entries);
  const next = useSlice(validationLog, (s) => s.next);
  const loading = useSlice(validationLog, (s) => s.loading);
  const error = useSlice(validationLog, (s) => s.error);
  const focus = useSlice(validationLog, (s) => s.focus);
  const selected = useSlice(validationLog, (s) => s.selected);
  const opened = useSlice(validationLog, (s) => s.opened);
  const busy = useSlice(validationLog, (s) => s.busy);
  const results = useSlice(validationLog, (s) => s.results);

  useEffect(() => {
    const state = validationLog.getState();
    if (state.entries.length === 0 && !state.loading) void state.show(state.filter);
  }, [validationLog]);

  const rowId = (index: number): string => `validation-row-${index}`;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const state = validationLog.getState();
    const target = movedFocus(event.key, focus, entries.length);
    if (target !== undefined) {
      event.preventDefault();
      return state.setFocus(target);
    }
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        return void state.open(focus);
      case ' ': {
        event.preventDefault();
        const entry = entries[focus];
        if (entry !== undefined) state.toggle(entry.id);
      }
    }
  };

  return (
    <section className={styles.screen} aria-labelledby="validation-title">
      <h1 id="validation-title" className={styles.h1}>
        Validation log
      </h1>
      <JobDateFilterForm
        label="Filter the validation log"
        choiceLabel="Outcome"
        anyChoice="Any outcome"
        choices={QUARANTINE_STATES}
        choiceWords={OUTCOME_WORDS}
        submitLabel="Show files"
        onApply={({ choice, ...rest }) => void validationLog.getState().show({ ...rest, ...(choice === undefined ? {} : { outcome: choice }) })}
      />
      {error !== undefined && (
        <p role="alert" className={styles.problem}>
          {error}
        </p>
      )}
      <div role="status" aria-label="Last action" className={styles.note}>
        {results.map((r) => `${fileNameOf(r.file) || `#${r.id}`}: ${r.outcome}${r.detail === '' ? '' : ` (${r.detail})`}`).join('; ')}
      </div>
      <div className={styles.body}>
        <div
          role="grid"
          aria-label="Refused files"
          aria-multiselectable
          aria-rowcount={next === undefined ? entries.length + 1 : -1}
          aria-busy={loading}
          aria-activedescendant={entries.length > 0 ? rowId(focus) : undefined}
          tabIndex={0}
          className={styles.grid}
          onKeyDown={onKeyDown}
        >
          <div role="row" className={`${styles.row} ${styles.head}`}>
            {['File', 'Job', 'Refused', 'Outcome', 'Reason', 'Select'].map((label) => (
              <div key={label} role="columnheader">
                {label}
              </div>
            ))}
          </div>
          {entries.map((entry, index) => (
            <div
              key={entry.id}
              id={rowId(index)}
              role="row"
              aria-selected={selected.has(entry.id)}
              data-focus={index === focus}
              className={styles.row}
              onClick={() => validationLog.getState().setFocus(index)}
              onDoubleClick={() => void validationLog.getState().open(index)}
            >
              <div role="gridcell" title={entry.file}>
                {fileNameOf(entry.file)}
              </div>
              <div role="gridcell">{entry.job}</div>
              <div role="gridcell">{formatDate(entry.at)}</div>
              <div role="gridcell">
                <span className={styles.outcome} data-outcome={entry.outcome}>
                  {OUTCOME_WORDS[entry.outcome]}
                </span>
              </div>
              <div role="gridcell" title={firstReason(entry)}>
                {firstReason(entry)}
              </div>
              <div role="gridcell">
                <input type="checkbox" tabIndex={-1} aria-label={`Select ${fileNameOf(entry.file)}`} checked={selected.has(entry.id)} onChange={() => validationLog.getState().toggle(entry.id)} />
              </div>
            </div>
          ))}
          {entries.length === 0 && !loading && <p className={styles.empty}>No refused files match. Files a job&apos;s validation refuses appear here.</p>}
          {next !== undefined && (
            <button type="button" className={`button small ${styles.more}`} disabled={loading} onClick={() => void validationLog.getState().more()}>
              Show more
            </button>
          )}
        </div>
        <Details opened={opened} selectedCount={selected.size} busy={busy} onAct={(action, note) => void validationLog.getState().act(action, note)} />
      </div>
    </section>
  );
}
