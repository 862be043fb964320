import { CirclePause, CirclePlay, FilePlus2, FlaskConical, History, Pencil, Play, Power, PowerOff, RefreshCw } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { JobSummary } from '../../../src/shared/contract/jobCommands.js';
import { DialogFrame } from '../../components/DialogFrame.js';
import { movedFocus } from '../../components/gridKeys.js';
import { formatDate } from '../../format.js';
import { jobsStoreFor } from '../../stores/jobs.js';
import { openTarget } from '../../stores/openTarget.js';
import { useSlice, useStores } from '../StoresContext.js';
import { DryRunDialog } from './DryRunDialog.js';
import { StatusWords } from './jobStatus.js';
import styles from './JobsScreen.module.css';

/** Rows PageUp and PageDown move by. */
const PAGE_ROWS = 10;

function nextRunWords(job: JobSummary, paused: boolean): string {
  if (job.error !== undefined || job.schedule === undefined) return '';
  if (!job.enabled) return 'Disabled';
  if (paused) return 'Paused';
  return job.nextRunAt === undefined ? 'Not again' : formatDate(job.nextRunAt);
}

/**
 * The saved jobs: when each runs next and how its last run went; run one now, preview it, switch its
 * schedule off and on, open it in the editor, or start a new one from an example flow.
 */
export function JobsScreen() {
  const stores = useStores();
  const { host, ui, jobEditor } = stores;
  const jobs = jobsStoreFor(host);
  const list = useSlice(jobs, (s) => s.jobs);
  const paused = useSlice(jobs, (s) => s.paused);
  const loaded = useSlice(jobs, (s) => s.loaded);
  const error = useSlice(jobs, (s) => s.error);
  const message = useSlice(jobs, (s) => s.message);
  const focus = useSlice(jobs, (s) => s.focus);
  const dryRun = useSlice(jobs, (s) => s.dryRun);
  const templates = useSlice(jobEditor, (s) => s.templates);
  const [choosing, setChoosing] = useState(false);
  const grid = useRef<HTMLTableElement>(null);
  const focused = list[focus];

  useEffect(() => {
    void jobs.getState().load();
  }, [jobs]);

  useEffect(() => {
    grid.current?.querySelector<HTMLElement>(`[data-index="${focus}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [focus]);

  const usable = focused !== undefined && focused.error === undefined;
  const edit = (job: JobSummary): void => ui.getState().editJob({ kind: 'job', name: job.name });
  const showLastRun = (job: JobSummary): void => {
    if (job.lastRun === undefined) return;
    void openTarget(stores, { kind: 'run', runId: job.lastRun.id });
  };
  const toggle = (job: JobSummary): void => void jobs.getState().setEnabled(job.name, !job.enabled);

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>): void => {
    const moved = movedFocus(e.key, focus, list.length, PAGE_ROWS);
    if (moved !== undefined) {
      e.preventDefault();
      jobs.getState().setFocus(moved);
      return;
    }
    if (focused === undefined) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      edit(focused);
    } else if (e.key === 'F5' && focused.error === undefined) {
      e.preventDefault();
      if (e.shiftKey) void jobs.getState().preview(focused.name);
      else void jobs.getState().run(focused.name);
    } else if (e.key === ' ' && focused.error === undefined) {
      e.preventDefault();
      toggle(focused);
    }
  };

  return (
    <section className={styles.screen} aria-labelledby="jobs-title">
      <header className={styles.header}>
        <h1 id="jobs-title" className={styles.h1}>
          Jobs
        </h1>
        <div className={styles.headerActions}>
          <button
            type="button"
            className="button"
            onClick={() => {
              setChoosing(true);
              void jobEditor
                .getState()
                .loadTemplates()
                .then((failure) => {
                  if (failure !== undefined) jobs.setState({ message: { text: `The example flows could not be listed: ${failure}`, tone: 'error' } });
                });
            }}
          >
            <FilePlus2 aria-hidden size={14} />
            New job
          </button>
          <button type="button" className="button" onClick={() => void jobs.getState().pauseAll(!paused)}>
            {paused ? <CirclePlay aria-hidden size={14} /> : <CirclePause aria-hidden size={14} />}
            {paused ? 'Resume schedules' : 'Pause all schedules'}
          </button>
          <button type="button" className="button" onClick={() => void jobs.getState().load()}>
            <RefreshCw aria-hidden size={14} />
            Refresh
          </button>
        </div>
      </header>
      {paused && (
        <p className={styles.paused} role="status">
          All schedules are paused: no job runs on its schedule until you resume them. Run now still works.
        </p>
      )}
      <div role="toolbar" aria-label="Job actions" aria-controls="jobs-grid" className={styles.toolbar}>
        <span className={styles.focusedName}>{focused?.name ?? 'No job chosen'}</span>
        <button type="button" className="button small primary" disabled={!usable} onClick={() => focused && void jobs.getState().run(focused.name)} aria-keyshortcuts="F5">
          <Play aria-hidden size={14} />
          Run now
        </button>
        <button type="button" className="button small" disabled={!usable} onClick={() => focused && void jobs.getState().preview(focused.name)} aria-keyshortcuts="Shift+F5">
          <FlaskConical aria-hidden size={14} />
          Dry run
        </button>
        <button type="button" className="button small" disabled={!usable} onClick={() => focused && toggle(focused)} aria-keyshortcuts="Space">
          {focused?.enabled === false ? <Power aria-hidden size={14} /> : <PowerOff aria-hidden size={14} />}
          {focused?.enabled === false ? 'Enable' : 'Disable'}
        </button>
        <button type="button" className="button small" disabled={focused === undefined} onClick={() => focused && edit(focused)} aria-keyshortcuts="Enter">
          <Pencil aria-hidden size={14} />
          Edit
        </button>
        <button type="button" className="button small" disabled={focused?.lastRun === undefined} onClick={() => focused && showLastRun(focused)}>
          <History aria-hidden size={14} />
          Last run in History
        </button>
      </div>
      {message !== undefined && (
        <p className={message.tone === 'error' ? styles.problem : styles.note} role={message.tone === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {error !== undefined && (
        <p className={styles.problem} role="alert">
          {error}
        </p>
      )}
      {loaded && list.length === 0 && error === undefined ? (
        <p className={styles.empty}>No job yet. "New job" starts one from an example flow; job files in Ferry's jobs folder show here.</p>
      ) : (
        <div className={styles.gridBox}>
          <table
            id="jobs-grid"
            ref={grid}
            role="grid"
            aria-label="Jobs"
            aria-rowcount={list.length + 1}
            aria-activedescendant={focused === undefined ? undefined : `job-row-${focus}`}
            tabIndex={0}
            className={styles.grid}
            onKeyDown={onKeyDown}
          >
            <thead>
              <tr role="row">
                <th role="columnheader" scope="col">Name</th>
                <th role="columnheader" scope="col">Schedule</th>
                <th role="columnheader" scope="col">Next run</th>
                <th role="columnheader" scope="col">Last result</th>
                <th role="columnheader" scope="col">Enabled</th>
              </tr>
            </thead>
            <tbody>
              {list.map((job, index) => (
                <tr
                  key={job.file}
                  id={`job-row-${index}`}
                  role="row"
                  data-index={index}
                  aria-selected={index === focus}
                  className={styles.row}
                  onClick={() => jobs.getState().setFocus(index)}
                  onDoubleClick={() => edit(job)}
                >
                  <th role="rowheader" scope="row" className={styles.name}>
                    {job.name}
                    {job.description !== undefined && <span className={styles.description}>{job.description}</span>}
                    {job.error !== undefined && <span className={styles.loadError}>Does not load: {job.error}</span>}
                  </th>
                  <td role="gridcell">{job.schedule ?? (job.error === undefined ? 'When run by hand' : '')}</td>
                  <td role="gridcell">{nextRunWords(job, paused)}</td>
                  <td role="gridcell">
                    {job.running ? (
                      <StatusWords status="running" />
                    ) : job.lastRun === undefined ? (
                      <span className={styles.muted}>Never run</span>
                    ) : (
                      <button type="button" tabIndex={-1} className={styles.link} onClick={() => showLastRun(job)} aria-label={`Last run ${job.lastRun.id}, open in History`}>
                        <StatusWords status={job.lastRun.status} />
                        <span className={styles.when}>{formatDate(job.lastRun.finishedAt ?? job.lastRun.startedAt)}</span>
                      </button>
                    )}
                  </td>
                  <td role="gridcell">{job.error !== undefined ? '' : job.enabled ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className={styles.keys}>Keys: ↑ ↓ choose a job · Enter edit · F5 run now · Shift+F5 dry run · Space enable or disable</p>
      {dryRun !== undefined && (
        <DryRunDialog
          state={dryRun}
          onClose={() => jobs.getState().closeDryRun()}
          onRun={(name) => {
            jobs.getState().closeDryRun();
            void jobs.getState().run(name);
          }}
        />
      )}
      {choosing && (
        <DialogFrame
          title="New job from an example flow"
          onClose={() => setChoosing(false)}
          actions={
            <button type="button" className="button" onClick={() => setChoosing(false)}>
              Cancel
            </button>
          }
        >
          {templates === undefined ? (
            <p>Reading the example flows…</p>
          ) : (
            <ul className={styles.templates} aria-label="Example flows">
              {templates.map((t) => (
                <li key={`${t.flow}/${t.name}`}>
                  <button type="button" className={styles.template} onClick={() => ui.getState().editJob({ kind: 'template', name: t.name })}>
                    <span className={styles.templateName}>{t.name}</span>
                    <span className={styles.templateFlow}>{t.flow}</span>
                    {t.description !== '' && <span className={styles.templateText}>{t.description}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </DialogFrame>
      )}
    </section>
  );
}
