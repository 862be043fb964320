import { useState, type FormEvent, type ReactNode } from 'react';
import styles from './JobDateFilterForm.module.css';

const DAY_MS = 86_400_000;

/** `2026-11-02` from a date field as that day's local midnight. */
function dayStart(value: string): number | undefined {
  if (value === '') return undefined;
  const at = new Date(`${value}T00:00`).getTime();
  return Number.isNaN(at) ? undefined : at;
}

/** What the user asked for; a field left empty is absent, so the host applies no limit for it. */
export interface JobDateFilter<Choice extends string> {
  readonly job?: string;
  readonly choice?: Choice;
  readonly from?: number;
  readonly to?: number;
}

interface JobDateFilterFormProps<Choice extends string> {
  /** The form's accessible name. */
  readonly label: string;
  /** The name of the one list to pick from (a run's status, a file's outcome) and of its "any" entry. */
  readonly choiceLabel: string;
  readonly anyChoice: string;
  readonly choices: readonly Choice[];
  readonly choiceWords: Readonly<Record<Choice, string>>;
  readonly submitLabel: string;
  readonly onApply: (filter: JobDateFilter<Choice>) => void;
  /** A screen's own fields, applied with the rest (the screen keeps their values). */
  readonly children?: ReactNode;
}

/** A job, one list and a range of whole days as labelled fields, applied together. */
export function JobDateFilterForm<Choice extends string>({ label, choiceLabel, anyChoice, choices, choiceWords, submitLabel, onApply, children }: JobDateFilterFormProps<Choice>) {
  const [job, setJob] = useState('');
  const [choice, setChoice] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const apply = (event: FormEvent): void => {
    event.preventDefault();
    const start = dayStart(from);
    const lastDay = dayStart(to);
    // The last day counts whole: everything before the next midnight.
    const end = lastDay === undefined ? undefined : lastDay + DAY_MS;
    if (start !== undefined && end !== undefined && start >= end) {
      setProblem('The range ends before it starts.');
      return;
    }
    setProblem(undefined);
    const chosen = choices.find((c) => c === choice);
    onApply({
      ...(job.trim() === '' ? {} : { job: job.trim() }),
      ...(chosen === undefined ? {} : { choice: chosen }),
      ...(start === undefined ? {} : { from: start }),
      ...(end === undefined ? {} : { to: end }),
    });
  };
  return (
    <form className={styles.filters} aria-label={label} onSubmit={apply}>
      <label className="field">
        Job
        <input value={job} onChange={(e) => setJob(e.target.value)} placeholder="any job" />
      </label>
      <label className="field">
        {choiceLabel}
        <select value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{anyChoice}</option>
          {choices.map((c) => (
            <option key={c} value={c}>
              {choiceWords[c]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        From
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label className="field">
        To
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      {children}
      <button type="submit" className="button">
        {submitLabel}
      </button>
      {problem !== undefined && (
        <p role="alert" className={styles.problem}>
          {problem}
        </p>
      )}
    </form>
  );
}
