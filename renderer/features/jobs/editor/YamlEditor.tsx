import { useRef } from 'react';
import type { JobProblemView } from '../../../../src/shared/contract/jobFileCommands.js';
import styles from './JobEditor.module.css';

/** The offset where a line and column (from 1) fall in the text. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

/** The job file as text, with line numbers, its problems marked at their lines and listed below. */
export function YamlEditor({ text, problems, onChange }: { readonly text: string; readonly problems: ReadonlyArray<JobProblemView>; readonly onChange: (text: string) => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = text.split('\n').length;
  const bad = new Set(problems.map((p) => p.line));
  const goTo = (p: JobProblemView): void => {
    const at = offsetOf(text, p.line, p.column);
    area.current?.focus();
    area.current?.setSelectionRange(at, at);
  };
  return (
    <section className={styles.yaml} aria-label="Job file">
      <div className={styles.code}>
        <div ref={gutter} className={styles.gutter} aria-hidden>
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={bad.has(i + 1) ? styles.badLine : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          className={styles.text}
          aria-label="Job file (YAML)"
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby="job-yaml-problems"
          spellCheck={false}
          wrap="off"
          value={text}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <div id="job-yaml-problems" className={styles.problems} aria-live="polite">
        {problems.length === 0 ? (
          <p className={styles.ok}>No problems: ferry run would take this job.</p>
        ) : (
          <ul aria-label="Problems">
            {problems.map((p, i) => (
              <li key={i}>
                <button type="button" className={styles.problem} onClick={() => goTo(p)}>
                  Line {p.line}, column {p.column}
                  {p.field === '' ? '' : ` — ${p.field}`}: {p.message}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
