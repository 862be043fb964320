import picomatch from 'picomatch';
import { parseLocation } from '../cli/location.js';
import { toTransferError } from '../engine/retry.js';
import { syncActions } from '../engine/sync/actions.js';
import { parseMaxDelete } from '../engine/sync/maxDelete.js';
import { sync, syncSucceeded, type SyncSummary } from '../engine/sync/sync.js';
import type { RunId } from '../history/records.js';
import type { Notification } from '../notify/Notification.js';
import { deleteUpdate, syncRunOutcome } from '../workspace/recordedSync.js';
import { itemUpdate } from '../workspace/recordedTransfer.js';
import { claimRun } from './claimedRun.js';
import type { JobDefinition, JobSync } from './definition/jobSchema.js';
import { jobPacer } from './jobPace.js';
import type { JobServices } from './JobServices.js';
import type { JobRunResult, RunRequest } from './runJob.js';

/**
 * Runs a job whose `sync` section mirrors its source folder into `sync.to`, with the same safety as
 * `ferry sync`: deletes only once every copy is verified, never above `maxDelete`, into `backupDir`
 * when there is one. A sync is idempotent, so a run cut short is simply run again by the next start.
 */
export async function runSyncJob(services: JobServices, request: RunRequest, spec: JobSync): Promise<JobRunResult> {
  const { definition: job, baseDir } = request.job;
  const history = services.history;
  const now = services.now ?? Date.now;
  const { runId, resumed, open, end } = claimRun(services, job, baseDir, request.dryRun, spec.to);
  let release: (() => void) | undefined;
  let summary: SyncSummary;
  try {
    release = await services.budget?.acquire(connectionsOf(job, spec), request.signal);
    services.onEvent?.({ kind: 'started', runId, resumed });
    const source = await open(job.source.location);
    const target = await open(spec.to);
    const pace = (await jobPacer(services, job))(source, target);
    // On the mirror's own connection (the job check made sure): its path there, without a second login.
    const backup = spec.backupDir === undefined ? undefined : parseLocation(spec.backupDir);
    const backupPath = backup === undefined || spec.backupDir === undefined ? undefined : backup.kind === 'connection' ? backup.path : (await open(spec.backupDir)).path;
    const deleted = deleteUpdate(source.path, target.path);
    summary = await sync({
      source: source.fs,
      sourcePath: source.path,
      target: target.fs,
      targetPath: target.path,
      dryRun: request.dryRun,
      journal: services.resumeJournal,
      ...(services.written === undefined ? {} : { written: services.written }),
      concurrency: job.concurrency,
      ...(pace === undefined ? {} : { pace }),
      select: selection(job),
      ...(spec.compare === 'size' ? { sizeOnly: true } : spec.compare === 'checksum' ? { checksum: true } : {}),
      ...(spec.maxDelete === undefined ? {} : { maxDelete: parseMaxDelete(String(spec.maxDelete), 'sync.maxDelete') }),
      ...(backupPath === undefined ? {} : { backupPath }),
      signal: request.signal,
      onItemDone: (item) => {
        history.recordItem(runId, itemUpdate(item));
        // Unchanged files are most of a mirror's files: only what changed is worth a line.
        if (item.status !== 'skipped') services.onEvent?.({ kind: 'item', path: item.source, status: item.status, detail: item.reason ?? '' });
      },
      onDeleteDone: (action) => {
        history.recordItem(runId, deleted(action));
        services.onEvent?.({ kind: 'item', path: action.path, status: action.status, detail: action.reason });
      },
    });
    history.recordItems(runId, summary.copy.items.map(itemUpdate));
  } catch (e) {
    const error = toTransferError(e);
    history.finishRun(runId, { status: error.kind === 'cancelled' ? 'cancelled' : 'failed', files: 0, bytes: 0, failed: 0, skipped: 0, error: error.message, finishedAt: now() });
    if (!request.dryRun && error.kind !== 'cancelled') await notify(services, job, runId, failure(job.name, runId, error.message));
    throw error;
  } finally {
    release?.();
    await end();
  }
  const outcome = syncRunOutcome(summary);
  history.finishRun(runId, { ...outcome, finishedAt: now() });
  const actions = syncActions(summary);
  if (!request.dryRun) {
    const failures = actions.filter((a) => a.status === 'failed').map((a) => `- ${a.action} ${a.path}: ${a.reason}`);
    const notice = syncSucceeded(summary)
      ? { event: 'success' as const, subject: `${job.name}: run ${runId} mirrored ${job.source.location}`, text: summaryLine(actions) }
      : failure(job.name, runId, [...(summary.withheld === undefined ? [] : [`Nothing was deleted: ${summary.withheld}.`]), ...failures].join('\n'));
    await notify(services, job, runId, notice);
  }
  return {
    job: job.name,
    runId,
    resumed,
    dryRun: request.dryRun,
    status: outcome.status,
    files: [],
    waiting: [],
    refused: [],
    sync: { actions, ...(summary.withheld === undefined ? {} : { withheld: summary.withheld }) },
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
}

/** What the source's include and exclude globs and the arrival rules' ignored names leave to the sync, on both sides. */
function selection(job: JobDefinition): (relativePath: string, kind: 'file' | 'dir') => boolean {
  const included = picomatch(job.source.include, { dot: true });
  const excluded = job.source.exclude.length === 0 ? () => false : picomatch(job.source.exclude, { dot: true });
  const ignored = job.arrival.ignore.length === 0 ? () => false : picomatch(job.arrival.ignore, { dot: true, basename: true });
  return (path, kind) => {
    if (excluded(path) || ignored(path)) return false;
    return kind === 'dir' ? job.source.recursive : included(path);
  };
}

function summaryLine(actions: ReturnType<typeof syncActions>): string {
  const count = (action: string): number => actions.filter((a) => a.action === action && a.status === 'done' && a.kind === 'file').length;
  return `${count('new')} new, ${count('replace')} replaced, ${count('delete')} deleted, ${count('unchanged')} unchanged.`;
}

function failure(job: string, runId: number, text: string): Pick<Notification, 'event' | 'subject' | 'text'> {
  return { event: 'failure', subject: `${job}: run ${runId} failed`, text };
}

async function notify(services: JobServices, job: JobDefinition, runId: RunId, n: Pick<Notification, 'event' | 'subject' | 'text'>): Promise<void> {
  const notification: Notification = { ...n, job: job.name, runId, facts: { job: job.name, run: runId } };
  for (const d of await services.notifier.notify(job.notify, notification)) {
    services.history.recordNotification({ runId, channel: d.channel, recipient: d.recipient, subject: n.subject, status: d.status, ...(d.error === undefined ? {} : { error: d.error }) });
    if (d.status === 'failed') services.onEvent?.({ kind: 'notice', message: `notification by ${d.channel} to ${d.recipient} failed: ${d.error ?? 'unknown error'}` });
  }
}

/** The connections the sync talks to, for the shared per-server budgets. */
function connectionsOf(job: JobDefinition, spec: JobSync): string[] {
  const names = [job.source.location, spec.to].flatMap((text) => {
    const location = parseLocation(text);
    return location.kind === 'connection' ? [location.connection] : [];
  });
  return [...new Set(names)];
}
