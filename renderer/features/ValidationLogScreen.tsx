import { RotateCcw, Send, ShieldCheck } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { VALIDATION_OUTCOMES, VALIDATION_RULES, type ValidationFilterInput } from '../../src/shared/contract/validationCommands.js';
import { JobDateFilterForm } from '../components/JobDateFilterForm.js';
import { formatCount, formatDate } from '../format.js';
import { fileNameOf } from '../stores/history.js';
import type { OpenedEntry } from '../stores/validationLog.js';
import { useSlice, useStores } from './StoresContext.js';
import { OUTCOME_WORDS, ValidationLogGrid } from './ValidationLogGrid.js';
import styles from './ValidationLogScreen.module.css';

/** "Resubmitted as …" or "Resubmission of …": the other entry, opened in place. */
function LinkedEntry({ label, linked, onOpen }: { readonly label: string; readonly linked: { readonly id: number; readonly file: string } | undefined; readonly onOpen: (id: number) => void }) {
  if (linked === undefined) return null;
  return (
    <p className={styles.note}>
      {label}{' '}
      <a
        href={`#validation-entry-${linked.id}`}
        onClick={(event) => {
          event.preventDefault();
          onOpen(linked.id);
        }}
      >
        {fileNameOf(linked.file)}
      </a>
    </p>
  );
}

/** The first lines of a refused file, with the lines that reasons name marked. */
function FirstLines({ opened }: { readonly opened: OpenedEntry }) {
  const { entry } = opened;
  if (entry.outcome === 'passed') return <p className={styles.note}>Ferry keeps a copy of refused files only: this one went on its way.</p>;
  if (opened.binary) return <p className={styles.note}>This file is not text.</p>;
  const marked = new Set(entry.reasons.flatMap((r) => (r.line === undefined ? [] : [r.line])));
  return (
    <pre className={styles.lines} aria-label={`First lines of ${fileNameOf(entry.file)}`} tabIndex={0}>
      {opened.firstLines.map((line, i) => (
        <span key={i}>
          {marked.has(i + 1) ? <mark>{`${i + 1}  ${line}`}</mark> : `${i + 1}  ${line}`}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

interface DetailsProps {
  readonly opened: OpenedEntry | undefined;
  readonly selectedCount: number;
  readonly busy: boolean;
  readonly onAct: (action: 'revalidate' | 'release' | 'return', note?: string) => void;
  readonly onOpenLinked: (id: number) => void;
}

/** A validated file: its rules, each reason with its place, its resubmission links and its first lines. */
function Details({ opened, selectedCount, busy, onAct, onOpenLinked }: DetailsProps) {
  const [note, setNote] = useState('');
  const entry = opened?.entry;
  const bulk = selectedCount > 0;
  const canAct = !busy && (bulk || entry?.outcome === 'held');
  const target = bulk ? `${formatCount(selectedCount)} selected` : 'this file';
  return (
    <aside className={styles.details} aria-label="Validated file">
      {opened === undefined || entry === undefined ? (
        <p className={styles.note}>Open a file (Enter or double-click) to see how its validation went.</p>
      ) : (
        <>
          <h2>{fileNameOf(entry.file)}</h2>
          <p className={styles.note}>
            {entry.job}
            {entry.partner === undefined ? '' : `, from ${entry.partner}`}, checked {formatDate(entry.at)}: {OUTCOME_WORDS[entry.outcome]}.{' '}
            {entry.outcome === 'passed' ? `Read from ${entry.location}.` : `Kept in ${entry.location}.`}
          </p>
          {entry.ruleSet !== undefined && <p className={styles.note}>Rule set {entry.ruleSet}</p>}
          <LinkedEntry label="Resubmission of" linked={entry.resubmissionOf} onOpen={onOpenLinked} />
          <LinkedEntry label="Resubmitted as" linked={entry.resubmittedAs} onOpen={onOpenLinked} />
          <h3>{entry.outcome === 'passed' ? 'Rules passed' : 'Reasons'}</h3>
          <ul className={styles.reasons}>
            {entry.outcome === 'passed'
              ? entry.rules.map((rule) => <li key={rule}>{rule}</li>)
              : entry.reasons.map((r, i) => (
                  <li key={i}>
                    {r.line === undefined ? '' : `Line ${r.line}${r.column === undefined ? '' : `, column ${r.column}`} — `}
                    {r.rule}: {r.message}
                  </li>
                ))}
          </ul>
          <h3>First lines</h3>
          <FirstLines opened={opened} />
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

/** Every validated file, what became of a refused one, and the actions that resolve it. */
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
  const [partner, setPartner] = useState('');
  const [rule, setRule] = useState('');
  const [name, setName] = useState('');

  useEffect(() => {
    const state = validationLog.getState();
    if (state.entries.length === 0 && !state.loading) void state.show(state.filter);
  }, [validationLog]);

  const onNeedMore = useCallback(() => void validationLog.getState().more(), [validationLog]);

  return (
    <section className={styles.screen} aria-labelledby="validation-title">
      <h1 id="validation-title" className={styles.h1}>
        Validation log
      </h1>
      <JobDateFilterForm
        label="Filter the validation log"
        choiceLabel="Outcome"
        anyChoice="Any outcome"
        choices={VALIDATION_OUTCOMES}
        choiceWords={OUTCOME_WORDS}
        submitLabel="Show files"
        onApply={({ choice, ...rest }) => {
          const filter: ValidationFilterInput = {
            ...rest,
            ...(choice === undefined ? {} : { outcome: choice }),
            ...(partner.trim() === '' ? {} : { partner: partner.trim() }),
            ...(rule === '' ? {} : { rule }),
            ...(name.trim() === '' ? {} : { name: name.trim() }),
          };
          void validationLog.getState().show(filter);
        }}
      >
        <label className="field">
          Partner
          <input value={partner} onChange={(e) => setPartner(e.target.value)} placeholder="any partner" />
        </label>
        <label className="field">
          Rule
          <select value={rule} onChange={(e) => setRule(e.target.value)}>
            <option value="">Any rule</option>
            {VALIDATION_RULES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          File name
          <input type="search" value={name} onChange={(e) => setName(e.target.value)} placeholder="3 letters or more" minLength={3} />
        </label>
      </JobDateFilterForm>
      {error !== undefined && (
        <p role="alert" className={styles.problem}>
          {error}
        </p>
      )}
      <div role="status" aria-label="Last action" className={styles.note}>
        {results.map((r) => `${fileNameOf(r.file) || `#${r.id}`}: ${r.outcome}${r.detail === '' ? '' : ` (${r.detail})`}`).join('; ')}
      </div>
      <div className={styles.body}>
        <ValidationLogGrid
          entries={entries}
          more={next !== undefined}
          loading={loading}
          focus={focus}
          selected={selected}
          onFocus={(index) => validationLog.getState().setFocus(index)}
          onOpen={(index) => void validationLog.getState().open(index)}
          onToggle={(id) => validationLog.getState().toggle(id)}
          onNeedMore={onNeedMore}
        />
        <Details
          opened={opened}
          selectedCount={selected.size}
          busy={busy}
          onAct={(action, note) => void validationLog.getState().act(action, note)}
          onOpenLinked={(id) => void validationLog.getState().openLinked(id)}
        />
      </div>
    </section>
  );
}
