import type { PlannedDelivery, PlannedFile } from '../../../src/shared/contract/jobCommands.js';
import { DialogFrame } from '../../components/DialogFrame.js';
import { formatBytes } from '../../format.js';
import type { DryRunState } from '../../stores/jobs.js';
import { StatusWords } from './jobStatus.js';
import styles from './JobsScreen.module.css';

const OUTCOME_WORDS: Readonly<Record<PlannedFile['outcome'], string>> = {
  planned: 'Would be delivered',
  quarantined: 'Would be quarantined',
  failed: 'Would fail',
  'done-before': 'Done before',
  delivered: 'Delivered',
};

const MATCH_WORDS: Readonly<Record<NonNullable<PlannedDelivery['match']>, string>> = {
  exact: 'Exact',
  ambiguous: 'Ambiguous',
  none: 'None',
};

function verdictWords(file: PlannedFile): string {
  if (file.verdict === undefined) return 'No rules apply';
  if (file.verdict.passed) return 'Valid';
  return `Invalid: ${file.verdict.reasons.map((r) => `${r.rule}: ${r.message}`).join('; ')}`;
}

/** Salesforce keeps a file of the same name as a new version of it; other places have it replaced. */
function newOrVersion(delivery: PlannedDelivery): string {
  if (delivery.status !== 'planned' || delivery.replaces === undefined) return '';
  if (!delivery.replaces) return 'New file';
  return delivery.match === undefined ? 'Replaces the file there' : 'New version';
}

function matchWords(delivery: PlannedDelivery): string {
  if (delivery.match === undefined) return '';
  const candidates = delivery.candidates?.map((c) => `${c.name} (${c.id})`).join(', ');
  return candidates === undefined || candidates === '' ? MATCH_WORDS[delivery.match] : `${MATCH_WORDS[delivery.match]}: ${candidates}`;
}

/** Why a file would not be delivered; a planned delivery's own words say no more than its columns. */
function whyNot(file: PlannedFile, delivery: PlannedDelivery | undefined): string {
  if (delivery === undefined) return file.outcome === 'quarantined' ? '' : (file.reason ?? '');
  return delivery.status === 'failed' ? delivery.detail : '';
}

/** One row per file and destination: a file routed two ways shows twice, a quarantined one once. */
interface PlanRow {
  readonly key: string;
  readonly file: PlannedFile;
  readonly delivery: PlannedDelivery | undefined;
}

function rowsOf(files: ReadonlyArray<PlannedFile>): PlanRow[] {
  return files.flatMap((file): PlanRow[] =>
    file.deliveries.length === 0 ? [{ key: file.path, file, delivery: undefined }] : file.deliveries.map((delivery) => ({ key: `${file.path}\n${delivery.route}`, file, delivery })),
  );
}

/** What a run of the job would do now, file by file, before anything moves. */
export function DryRunDialog({ state, onClose, onRun }: { readonly state: DryRunState; readonly onClose: () => void; readonly onRun: (job: string) => void }) {
  const plan = state.status === 'ready' ? state.plan : undefined;
  const count = (outcome: PlannedFile['outcome']): number => plan?.files.filter((f) => f.outcome === outcome).length ?? 0;
  return (
    <DialogFrame
      title={`Dry run of ${state.job}`}
      wide
      onClose={onClose}
      error={state.status === 'failed' ? state.message : plan?.error}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button primary" disabled={state.status !== 'ready'} onClick={() => onRun(state.job)}>
            Run now
          </button>
        </>
      }
    >
      {state.status === 'loading' && <p aria-live="polite">Looking at the source and every destination; nothing moves…</p>}
      {plan !== undefined && (
        <>
          <p className={styles.summary} aria-live="polite">
            {count('planned')} would be delivered, {count('quarantined')} would be quarantined, {count('failed')} would fail
            {plan.waiting.length > 0 ? `, ${plan.waiting.length} not arrived yet` : ''}. Nothing was moved.
          </p>
          {plan.files.length === 0 && plan.actions.length === 0 ? (
            <p className={styles.summary}>No file is waiting for this job.</p>
          ) : (
            <div className={styles.planScroller} role="region" aria-label="The files of the dry run" tabIndex={0}>
              <table className={styles.plan} aria-label={`Dry run of ${state.job}, file by file`}>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">New name</th>
                    <th scope="col">Destination</th>
                    <th scope="col">Record match</th>
                    <th scope="col">New file or version</th>
                  </tr>
                </thead>
                <tbody>
                  {rowsOf(plan.files).map(({ key, file, delivery }) => (
                    <tr key={key}>
                      <th scope="row" className={styles.fileName}>
                        {file.path}
                        <span className={styles.size}>{formatBytes(file.size)}</span>
                      </th>
                      <td>{verdictWords(file)}</td>
                      <td>
                        <StatusWords status={delivery?.status === 'failed' ? 'failed' : file.outcome} words={delivery?.status === 'failed' ? 'Would fail' : OUTCOME_WORDS[file.outcome]} />
                        {whyNot(file, delivery) !== '' && <span className={styles.why}>{whyNot(file, delivery)}</span>}
                      </td>
                      <td>{delivery?.name ?? ''}</td>
                      <td className={styles.wrap}>{delivery?.target ?? ''}</td>
                      <td data-match={delivery?.match}>{delivery === undefined ? '' : matchWords(delivery)}</td>
                      <td>{delivery === undefined ? '' : newOrVersion(delivery)}</td>
                    </tr>
                  ))}
                  {plan.actions.map((a) => (
                    <tr key={`sync\n${a.path}`}>
                      <th scope="row" className={styles.fileName}>
                        {a.path}
                      </th>
                      <td />
                      <td>
                        {a.action}
                        <span className={styles.why}>{a.reason}</span>
                      </td>
                      <td />
                      <td />
                      <td />
                      <td />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {plan.waiting.length > 0 && (
            <ul className={styles.waiting} aria-label="Not arrived yet">
              {plan.waiting.map((w) => (
                <li key={w.path}>
                  {w.path}: {w.why}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </DialogFrame>
  );
}
