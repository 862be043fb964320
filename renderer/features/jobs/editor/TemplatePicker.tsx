import { FilePlus2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useSlice, useStores } from '../../StoresContext.js';
import styles from './JobEditor.module.css';

/** New job: one of the example flows to start from. */
export function TemplatePicker() {
  const { jobEditor, ui } = useStores();
  const templates = useSlice(jobEditor, (s) => s.templates);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (templates === undefined) void jobEditor.getState().loadTemplates();
  }, [jobEditor, templates]);
  return (
    <form
      className={styles.templates}
      aria-label="New job from an example flow"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen !== undefined) ui.getState().editJob({ kind: 'template', name: chosen });
      }}
    >
      <fieldset>
        <legend>Start a new job from one of the example flows</legend>
        {templates === undefined ? <p>Loading the example flows…</p> : null}
        <ul className={styles.templateList}>
          {(templates ?? []).map((t) => (
            <li key={t.name}>
              <label className={styles.template}>
                <input type="radio" name="template" value={t.name} checked={chosen === t.name} onChange={() => setChosen(t.name)} aria-describedby={`template-${t.name}`} />
                <span>
                  <strong>{t.name}</strong> <span className="hint">{t.flow}</span>
                  <span id={`template-${t.name}`} className={styles.templateText}>
                    {t.description}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <button type="submit" className="button primary" disabled={chosen === undefined}>
        <FilePlus2 aria-hidden size={16} />
        Start from this flow
      </button>
    </form>
  );
}
