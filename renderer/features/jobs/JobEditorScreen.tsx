import { FilePlus2, RotateCcw, Save } from 'lucide-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { jobTextValue } from '../../../src/shared/jobs/editJobText.js';
import { isUnsaved } from '../../stores/jobEditor.js';
import { useSlice, useStores } from '../StoresContext.js';
import styles from './editor/JobEditor.module.css';
import { JobForm } from './editor/JobForm.js';
import { TemplatePicker } from './editor/TemplatePicker.js';
import { YamlEditor } from './editor/YamlEditor.js';

/** The job editor: the job as a form and as YAML side by side, in step, checked as the user types. */
export function JobEditorScreen() {
  const { ui, jobEditor } = useStores();
  const editing = useSlice(ui, (s) => s.editing);
  const [choosing, setChoosing] = useState(false);
  const current = useSlice(jobEditor, (s) => s.current);
  const draft = useSlice(jobEditor, (s) => (s.current === undefined ? undefined : s.drafts[s.current]));
  const schema = useSlice(jobEditor, (s) => s.schema);
  const loading = useSlice(jobEditor, (s) => s.loading);
  const error = useSlice(jobEditor, (s) => s.error);
  const saving = useSlice(jobEditor, (s) => s.saving);
  const saveFailure = useSlice(jobEditor, (s) => s.saveFailure);

  useEffect(() => {
    setChoosing(false);
    if (editing !== null) void jobEditor.getState().open(editing);
  }, [editing, jobEditor]);

  const read = useMemo(() => (draft === undefined ? undefined : jobTextValue(draft.text)), [draft]);
  const value = read !== undefined && 'value' in read && typeof read.value === 'object' && read.value !== null && !Array.isArray(read.value) ? (read.value as Record<string, unknown>) : undefined;
  const unreadable = read !== undefined && 'unreadable' in read ? read.unreadable : read !== undefined && value === undefined ? 'the job is not a map of fields' : undefined;

  const save = useCallback(
    async (overwrite = false) => {
      const saved = await jobEditor.getState().save(overwrite);
      if (saved !== undefined) ui.getState().editJob(saved);
    },
    [jobEditor, ui],
  );
  const setField = useCallback((...args: Parameters<ReturnType<typeof jobEditor.getState>['setField']>) => jobEditor.getState().setField(...args), [jobEditor]);

  if (editing === null || choosing) {
    return (
      <section className={styles.screen} aria-labelledby="job-editor-title">
        <div className={styles.header}>
          <h1 id="job-editor-title" className={styles.h1}>
            New job
          </h1>
          {editing === null ? null : (
            <button type="button" className="button" onClick={() => setChoosing(false)}>
              Back to {editing.name}
            </button>
          )}
        </div>
        <TemplatePicker />
      </section>
    );
  }

  const unsaved = draft !== undefined && isUnsaved(draft);
  const status = draft === undefined ? '' : draft.checking ? 'Checking…' : draft.problems.length === 0 ? 'No problems' : `${draft.problems.length} problem${draft.problems.length === 1 ? '' : 's'}`;
  return (
    <section
      className={styles.screen}
      aria-labelledby="job-editor-title"
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault();
          void save();
        }
      }}
    >
      <div className={styles.header}>
        <div>
          <h1 id="job-editor-title" className={styles.h1}>
            {editing.kind === 'template' && draft?.savedAs === undefined ? `New job from ${editing.name}` : `Job ${draft?.savedAs ?? editing.name}`}
          </h1>
          <p className={styles.status} role="status">
            {unsaved ? 'Unsaved changes, kept while you look elsewhere.' : draft?.path === undefined ? '' : `Saved in ${draft.path}.`} {status}
          </p>
        </div>
        <div className={styles.actions}>
          <button type="button" className="button" onClick={() => setChoosing(true)}>
            <FilePlus2 aria-hidden size={16} />
            New from a flow
          </button>
          <button type="button" className="button" disabled={!unsaved || draft?.savedText === undefined} onClick={() => void jobEditor.getState().discard()}>
            <RotateCcw aria-hidden size={16} />
            Discard changes
          </button>
          <button type="button" className="button primary" disabled={draft === undefined || saving} onClick={() => void save()} aria-keyshortcuts="Control+S">
            <Save aria-hidden size={16} />
            Save
          </button>
        </div>
      </div>
      {saveFailure === undefined ? null : (
        <div className={styles.failure} role="alert">
          <span>{saveFailure.message}</span>
          {saveFailure.taken ? (
            <button type="button" className="button danger small" onClick={() => void save(true)}>
              Replace the other job
            </button>
          ) : null}
        </div>
      )}
      {error === undefined ? null : (
        <p className={styles.failure} role="alert">
          {error}
        </p>
      )}
      {draft === undefined || schema === undefined ? (
        <p>{loading || current !== undefined ? 'Opening the job…' : ''}</p>
      ) : (
        <div className={styles.body}>
          <JobForm schema={schema} value={value} unreadable={unreadable} problems={draft.problems} setField={setField} onSave={() => void save()} />
          <YamlEditor text={draft.text} problems={draft.problems} onChange={(text) => jobEditor.getState().setText(text)} />
        </div>
      )}
    </section>
  );
}
