import { useMemo, useState } from 'react';
import type { JobProblemView } from '../../../../src/shared/contract/jobFileCommands.js';
import type { JobFieldPath, JobFieldValue } from '../../../../src/shared/jobs/editJobText.js';
import styles from './JobEditor.module.css';
import { JobFormContext } from './JobFormContext.js';
import { labelOf, sectionsOf, type JsonSchema } from './jobSchema.js';
import { SchemaField } from './SchemaField.js';

function inField(problem: JobProblemView, field: string): boolean {
  return problem.field === field || problem.field.startsWith(`${field}.`) || problem.field.startsWith(`${field}[`);
}

interface JobFormProps {
  readonly schema: JsonSchema;
  /** The job's fields as the YAML says them; undefined while it does not parse. */
  readonly value: Record<string, unknown> | undefined;
  readonly unreadable: string | undefined;
  readonly problems: ReadonlyArray<JobProblemView>;
  readonly setField: (path: JobFieldPath, value: JobFieldValue) => void;
  readonly onSave: () => void;
}

/** Every part of the job as fields, a section at a time; built from the job schema. */
export function JobForm({ schema, value, unreadable, problems, setField, onSave }: JobFormProps) {
  const sections = useMemo(() => sectionsOf(schema), [schema]);
  const [open, setOpen] = useState(0);
  const section = sections[open] ?? sections[0];
  const context = useMemo(
    () => ({ setField, problemsAt: (field: string) => problems.filter((p) => p.field === field) }),
    [setField, problems],
  );
  const move = (index: number): void => {
    const next = (index + sections.length) % sections.length;
    setOpen(next);
    document.getElementById(`job-section-${next}`)?.focus();
  };
  return (
    <JobFormContext.Provider value={context}>
      <form
        className={styles.form}
        aria-label="Job settings"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        <div role="tablist" aria-label="Parts of the job" className={styles.tabs}>
          {sections.map((s, i) => {
            const count = problems.filter((p) => s.fields.some((f) => inField(p, f))).length;
            return (
              <button
                key={s.title}
                id={`job-section-${i}`}
                type="button"
                role="tab"
                aria-selected={i === open}
                aria-controls="job-section-panel"
                tabIndex={i === open ? 0 : -1}
                className={styles.tab}
                onClick={() => setOpen(i)}
                onKeyDown={(e) => {
                  if (e.key === 'ArrowDown' || e.key === 'ArrowRight') move(i + 1);
                  else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') move(i - 1);
                  else if (e.key === 'Home') move(0);
                  else if (e.key === 'End') move(sections.length - 1);
                  else return;
                  e.preventDefault();
                }}
              >
                {s.title}
                {count === 0 ? null : <span className={styles.count} aria-label={`, ${count} problem${count === 1 ? '' : 's'}`}>{count}</span>}
              </button>
            );
          })}
        </div>
        <div id="job-section-panel" role="tabpanel" aria-labelledby={`job-section-${open}`} className={styles.panel}>
          {unreadable === undefined ? null : (
            <p className={styles.unreadable} role="status">
              The form follows the YAML once it reads again: {unreadable}
            </p>
          )}
          <fieldset disabled={value === undefined} className={styles.sectionFields}>
            {section?.fields.map((key) => {
              const property = schema.properties?.[key];
              return property === undefined ? null : <SchemaField key={key} schema={property} path={[key]} value={value?.[key]} label={labelOf(key)} />;
            })}
          </fieldset>
        </div>
      </form>
    </JobFormContext.Provider>
  );
}
