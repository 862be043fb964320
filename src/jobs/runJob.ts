import { setMaxListeners } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TransferError } from '../connectors/errors.js';
import { LocalFs } from '../connectors/local/LocalFs.js';
import { baseName, joinRelative } from '../connectors/paths.js';
import { isRecordStore } from '../connectors/types.js';
import { mapWithConcurrency } from '../engine/concurrency.js';
import { abortableSleep, toTransferError } from '../engine/retry.js';
import { TransferStats } from '../engine/TransferStats.js';
import type { DeliveryRecord, QuarantinedFile, QuarantineReason } from '../history/JobJournal.js';
import type { FinishedRunStatus, ItemId } from '../history/records.js';
import type { TemplateVars } from '../mapping/template.js';
import type { Notification, NotificationEvent } from '../notify/Notification.js';
import { parseLocation } from '../cli/location.js';
import type { ValidationVerdict } from '../validation/validateFile.js';
import { JobValidator } from './jobValidator.js';
import { firstRecord } from './contentFields.js';
import type { JobRoute } from './definition/jobSchema.js';
import type { LoadedJob } from './definition/loadJob.js';
import { deliverToFs, deliverToHttp, type DeliveryOutcome, type RoutedOutput } from './deliver.js';
import { discover, type Candidate, type Discovery } from './discover.js';
import { claimRun } from './claimedRun.js';
import type { JobServices, OpenedJobLocation } from './JobServices.js';
import { removeIfPresent } from '../engine/transfer.js';
import { disposeSource } from './postActions.js';
import { ConversionCache, deliveryKey, prepareOutputs, type PreparedOutput } from './prepare.js';
import { FormatError, MappingError, TemplateError } from '../mapping/errors.js';
import { holdInQuarantine, validatedFileFacts } from './quarantine.js';
import { chooseRoutes, needsContentFields } from './routes.js';
import { jobPacer } from './jobPace.js';
import { stageFile } from './stage.js';
import { runSyncJob } from './runSyncJob.js';
import type { SyncAction } from '../engine/sync/actions.js';

export type FileOutcome = 'delivered' | 'quarantined' | 'failed' | 'planned' | 'done-before';

/** What happened to one file, for the CLI, the app and the preview. */
export interface FileReport {
  readonly path: string;
  readonly outcome: FileOutcome;
  readonly size: number;
  readonly verdict?: { readonly passed: boolean; readonly reasons: ReadonlyArray<QuarantineReason> };
  readonly deliveries: ReadonlyArray<{ readonly route: string; readonly name: string; readonly target: string; readonly status: string; readonly detail: string; readonly match?: string; readonly replaces?: boolean; readonly candidates?: ReadonlyArray<{ readonly id: string; readonly name: string }> }>;
  readonly reason?: string;
  readonly quarantinedAt?: string;
  readonly source?: 'kept' | 'deleted' | 'moved';
}

export interface JobRunResult {
  readonly job: string;
  readonly runId: number;
  readonly resumed: boolean;
  readonly dryRun: boolean;
  readonly status: FinishedRunStatus;
  readonly files: ReadonlyArray<FileReport>;
  readonly waiting: Discovery['waiting'];
  readonly refused: Discovery['refused'];
  readonly error?: string;
  /** A sync job's copies and deletes, each with its reason; `withheld` says why nothing was deleted. */
  readonly sync?: { readonly actions: ReadonlyArray<SyncAction>; readonly withheld?: string };
}

export interface RunRequest {
  readonly job: LoadedJob;
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  /** Instead of the source: these quarantined files, validated again (`revalidate`) or let through. */
  readonly quarantined?: { readonly files: ReadonlyArray<QuarantinedFile>; readonly revalidate: boolean };
}

/** Per-file state while a run goes on. */
interface Work {
  readonly candidate: Candidate;
  readonly itemId: ItemId;
  readonly counter: number;
  report: FileReport;
  vars?: TemplateVars;
  outputs: RoutedOutput[];
  /** Outputs an earlier attempt delivered, by staged path. */
  readonly delivered: Map<string, DeliveryRecord>;
  /** Where the file is read from: the source, or its quarantine folder. */
  readonly from: OpenedJobLocation;
}

/**
 * Runs a job once: discover → stage → validate (quarantine on failure) → map and route → deliver →
 * post-actions → record. Every step writes its intent to the history before acting, so a run cut
 * short by a crash is taken over by the next start and finished with no file lost or delivered twice.
 */
export async function runJob(services: JobServices, request: RunRequest): Promise<JobRunResult> {
  if (request.job.definition.sync !== undefined) return runSyncJob(services, request, request.job.definition.sync);
  const { definition: job, baseDir } = request.job;
  // Every file in flight listens on the run's signal: many listeners are expected.
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const forward = (): void => abort.abort(request.signal.reason);
  if (request.signal.aborted) forward();
  else request.signal.addEventListener('abort', forward, { once: true });
  const req: RunRequest = { ...request, signal: abort.signal };
  const history = services.history;
  const journal = history.journal();
  const now = services.now ?? Date.now;
  const sleep = services.sleep ?? abortableSleep;
  const claimed = claimRun(services, job, baseDir, req.dryRun, job.routes.map((r) => r.to ?? r.http?.url ?? '').join(', '));
  const { runId, resumed, open } = claimed;
  let release: (() => void) | undefined;
  const stagingRoot = join(services.stagingDir, job.name, `${req.dryRun ? 'preview-' : ''}${runId}`);
  const dryJournal = req.dryRun ? undefined : journal;
  try {
    // Jobs sharing a server wait here for one of its slots (settings.json connectionLimits).
    release = await services.budget?.acquire(connectionsOf(req.job), req.signal);
    services.onEvent?.({ kind: 'started', runId, resumed });
    const runStart = new Date(history.run(runId)?.startedAt ?? now());
    const source = await open(job.source.location);
    const routeLocations = new Map<string, OpenedJobLocation>();
    const routeFolders = new Map<string, string>();
    for (const route of job.routes) {
      if (route.to === undefined) continue;
      const location = await open(route.to);
      routeLocations.set(route.name, location);
      routeFolders.set(route.name, location.path);
    }

    const earlier = new Map(journal.runItems(runId).map((i) => [i.sourcePath, i]));
    // What the job took before this run claims anything: discovery skips it, and a file a finished run
    // could not deliver everywhere keeps what did land.
    const taken = journal.takenFiles(job.name);
    const quarantined = req.quarantined === undefined ? undefined : await fromQuarantine(req.quarantined.files, open);
    const discovery: Discovery =
      quarantined !== undefined
        ? quarantined.discovery
        : await discover({
            fs: source.fs,
            root: source.path,
            job,
            taken,
            held: new Set(earlier.keys()),
            now: runStart,
            sleep,
            signal: req.signal,
          });
    services.onEvent?.({ kind: 'discovered', files: discovery.files.length, waiting: discovery.waiting.length });
    for (const w of discovery.waiting) services.onEvent?.({ kind: 'waiting', path: w.path, why: w.why });

    const fresh = discovery.files.filter((f) => !earlier.has(f.relativePath));
    const freshIds = history.recordItems(
      runId,
      fresh.map((f) => ({ sourcePath: f.relativePath, stage: 'discovered', status: 'pending', bytes: Math.max(0, f.entry.size) })),
    );
    const ids = new Map(fresh.map((f, i) => [f.relativePath, freshIds[i] as ItemId]));
    for (const [path, item] of earlier) ids.set(path, item.id);
    if (!req.dryRun && req.quarantined === undefined) {
      journal.takeFiles(job.name, discovery.files.map((f) => ({ sourcePath: f.relativePath, fingerprint: f.fingerprint })), 'claimed', runId, now());
    }
    // {counter} numbers a run's files in the order the run first recorded them, so a resumed run keeps the numbers.
    const counters = new Map([...ids.values()].sort((a, b) => a - b).map((id, i) => [id, i + 1]));
    const work: Work[] = [];
    for (const candidate of discovery.files) {
      const itemId = ids.get(candidate.relativePath);
      if (itemId === undefined) continue;
      const delivered = new Map<string, DeliveryRecord>();
      for (const d of journal.deliveriesOf(itemId)) delivered.set(d.staged, d);
      const before = taken.get(candidate.relativePath);
      if (before !== undefined && before.runId !== undefined && before.runId !== runId && before.state === 'claimed' && before.fingerprint === candidate.fingerprint) {
        const previous = journal.itemOf(before.runId, candidate.relativePath);
        for (const d of previous === undefined ? [] : journal.deliveriesOf(previous)) if (d.state === 'delivered') delivered.set(d.staged, d);
      }
      const from = quarantined?.locations.get(candidate.relativePath) ?? source;
      work.push({
        candidate,
        itemId,
        counter: counters.get(itemId) ?? 0,
        report: { path: candidate.relativePath, outcome: 'failed', size: Math.max(0, candidate.entry.size), deliveries: [] },
        outputs: [],
        delivered,
        from,
      });
    }

    const stats = new TransferStats();
    const pace = await jobPacer(services, job);
    const staging = new LocalFs(stagingRoot);
    const validator = new JobValidator(job, baseDir);
    // A released file still goes through the rules, for the captures its name gives; only the verdict is waived.
    const enforce = req.quarantined?.revalidate !== false;
    const conversions = new ConversionCache(baseDir);
    const readsContent = needsContentFields(job);
    const notifications: Notification[] = [];

    // Stage, validate and prepare every file.
    await mapWithConcurrency(work, job.concurrency, async (w) => {
      const { candidate } = w;
      if (earlier.get(candidate.relativePath)?.stage === 'done') {
        w.report = { ...w.report, outcome: 'done-before' };
        return;
      }
      try {
        const staged = await stageFile({
          source: w.from.fs,
          entry: candidate.entry,
          staging,
          stagingRoot,
          stagedPath: joinRelative('in', candidate.relativePath),
          journal: services.resumeJournal,
          stats,
          knownSha256: earlier.get(candidate.relativePath)?.sha256,
          pace: pace(w.from, undefined),
          signal: req.signal,
        });
        dryJournal?.setItemDigest(w.itemId, candidate.fingerprint, staged.sha256);
        const verdict: ValidationVerdict | undefined = await validator.validate(
          {
            name: candidate.entry.name,
            relativePath: candidate.relativePath,
            localPath: staged.localPath,
            size: staged.size,
            siblings: candidate.siblings,
            ...(candidate.manifest === undefined ? {} : { manifest: candidate.manifest.entries }),
          },
          req.signal,
        );
        if (verdict !== undefined && !req.dryRun && enforce) {
          for (const r of verdict.results) history.recordValidation({ itemId: w.itemId, rule: r.rule, passed: r.passed, message: r.message });
        }
        const reasons = verdict?.results.filter((r) => !r.passed).map((r) => ({ rule: r.rule, message: r.message })) ?? [];
        const verdictView = verdict === undefined ? undefined : { passed: verdict.passed, reasons };
        const fields = readsContent ? await firstRecord(staged.localPath, candidate.entry.name, job, req.signal) : undefined;
        const vars: TemplateVars = {
          name: candidate.entry.name,
          relativePath: candidate.relativePath,
          captures: verdict?.captures ?? {},
          ...(candidate.record === undefined ? {} : { record: candidate.record.fields }),
          ...(fields === undefined ? {} : { fields }),
          now: runStart,
          ...(candidate.entry.modifiedAt === undefined ? {} : { modifiedAt: new Date(candidate.entry.modifiedAt) }),
          counter: w.counter,
          run: runId,
          ...(job.schedule?.timezone === undefined ? {} : { timeZone: job.schedule.timezone }),
        };
        w.vars = vars;
        const rejected = enforce && verdict?.passed === false;
        const routes = rejected ? [] : chooseRoutes(job, { name: candidate.entry.name, relativePath: candidate.relativePath, size: staged.size, captures: vars.captures ?? {}, fields });
        const setAside = async (why: ReadonlyArray<QuarantineReason>): Promise<void> => {
          const reason = why.map((r) => r.message).join('; ');
          // A preview changes nothing, and a quarantined file checked again is already held.
          if (req.dryRun || req.quarantined !== undefined) {
            w.report = { ...w.report, outcome: 'quarantined', verdict: { passed: false, reasons: why }, reason };
            return;
          }
          const location = await holdInQuarantine({
            services,
            job: job.name,
            baseDir,
            location: job.quarantine.location,
            runId,
            itemId: w.itemId,
            relativePath: candidate.relativePath,
            sourceText: `${job.source.location}/${candidate.relativePath}`,
            stagedPath: staged.localPath,
            stagingRoot,
            size: staged.size,
            sha256: staged.sha256,
            reasons: why,
            signal: req.signal,
          });
          journal.hold({ ...validatedFileFacts(req.job, w.itemId, candidate.relativePath, vars.captures ?? {}), location, reasons: why });
          history.recordQuarantine({ itemId: w.itemId, job: job.name, file: candidate.relativePath, location, reason: JSON.stringify(why), action: 'quarantined' });
          const disposed = await disposeSource(source.fs, job, candidate.entry.path, source.path, vars, req.signal);
          if (candidate.marker !== undefined && disposed !== 'kept') await removeIfPresent(source.fs, candidate.marker);
          journal.takeFile(job.name, candidate.relativePath, candidate.fingerprint, 'quarantined', runId, now());
          history.recordItem(runId, { sourcePath: candidate.relativePath, stage: 'validated', status: 'quarantined', bytes: staged.size, errorKind: 'validation', reason });
          notifications.push(quarantineNotice(job.name, runId, candidate.relativePath, location, why));
          w.report = { ...w.report, outcome: 'quarantined', verdict: { passed: false, reasons: why }, reason, quarantinedAt: location, source: disposed };
          services.onEvent?.({ kind: 'item', path: candidate.relativePath, status: 'quarantined', detail: reason });
        };
        if (rejected) return await setAside(reasons);
        if (routes.length === 0) return await setAside([{ rule: 'route', message: `${candidate.relativePath}: no route of the job takes this file` }]);
        let outputs: PreparedOutput[];
        try {
          outputs = await prepareOutputs({
            job,
            itemId: w.itemId,
            stagedInput: staged.localPath,
            stagedDigest: staged,
            routes,
            routeFolders,
            vars,
            stagingRoot,
            conversions,
            delivered: new Set([...w.delivered.values()].filter((d) => d.state === 'delivered').map((d) => deliveryKey(d.staged))),
            signal: req.signal,
          });
        } catch (e) {
          // Content no mapping can take, or a name no template can render from it: only the partner can
          // fix that, so the file is set aside rather than tried again every run.
          if (e instanceof MappingError || e instanceof FormatError || e instanceof TemplateError) return await setAside([{ rule: 'mapping', message: `${candidate.relativePath}: ${e.message}` }]);
          throw e;
        }
        w.outputs = outputs.map((o) => ({ ...o, itemId: w.itemId }));
        w.report = { ...w.report, outcome: req.dryRun ? 'planned' : 'delivered', ...(verdictView === undefined ? {} : { verdict: verdictView }) };
        // A passed file is a result of the validation log too; a released file already has its entry.
        if (verdict !== undefined && !req.dryRun && req.quarantined === undefined) {
          journal.recordPassed({
            ...validatedFileFacts(req.job, w.itemId, candidate.relativePath, vars.captures ?? {}),
            location: `${job.source.location.replace(/\/$/, '')}/${candidate.relativePath}`,
            rules: verdict.results.map((r) => r.rule),
          });
        }
        if (!req.dryRun) history.recordItem(runId, { sourcePath: candidate.relativePath, stage: 'validated', status: 'pending', bytes: staged.size });
      } catch (e) {
        const error = toTransferError(e);
        if (error.fatal || error.kind === 'cancelled') throw error;
        w.report = { ...w.report, outcome: 'failed', reason: error.message };
        if (!req.dryRun) history.recordItem(runId, { sourcePath: candidate.relativePath, stage: 'discovered', status: 'failed', bytes: 0, errorKind: error.kind, reason: error.message });
        services.onEvent?.({ kind: 'item', path: candidate.relativePath, status: 'failed', detail: error.message });
      }
    });

    // Deliver, route by route, each as one batch.
    const workByItem = new Map(work.map((w) => [w.itemId, w]));
    const outcomes = new Map<ItemId, DeliveryOutcome[]>();
    for (const route of job.routes) {
      const outputs = work.flatMap((w) => w.outputs.filter((o) => o.route === route.name));
      if (outputs.length === 0) continue;
      const delivered = await deliverRoute(route, outputs);
      for (const d of delivered) outcomes.set(d.output.itemId, [...(outcomes.get(d.output.itemId) ?? []), d]);
    }

    // Finish each file whose deliveries all landed: dispose of the source, record it as done.
    const doneByRecord = new Map<string, { id: string; objectDir: string; allDone: boolean }>();
    await mapWithConcurrency(work, job.concurrency, async (w) => {
      const results = outcomes.get(w.itemId) ?? [];
      const failures = results.filter((r) => r.status === 'failed');
      const record = w.candidate.record;
      if (record !== undefined) {
        // A record is marked only when every one of its files went through.
        const entry = doneByRecord.get(record.id) ?? { id: record.id, objectDir: source.path, allDone: true };
        entry.allDone &&= failures.length === 0 && (w.report.outcome === 'delivered' || w.report.outcome === 'done-before');
        doneByRecord.set(record.id, entry);
      }
      if (w.report.outcome !== 'delivered' && w.report.outcome !== 'planned' && w.report.outcome !== 'done-before') return;
      const earlierDeliveries = [...w.delivered.values()].filter((d) => d.state === 'delivered' && !results.some((r) => r.output.staged === d.staged));
      const deliveries = [
        ...earlierDeliveries.map((d) => ({ route: d.route, name: baseName(d.staged), target: d.target, status: 'delivered', detail: d.detail ?? 'delivered earlier' })),
        ...results.map((r) => ({ route: r.output.route, name: r.output.name, target: r.target, status: r.status, detail: r.detail, ...(r.match === undefined ? {} : { match: r.match }), ...(r.replaces === undefined ? {} : { replaces: r.replaces }), ...(r.candidates === undefined ? {} : { candidates: r.candidates }) })),
      ];
      if (req.dryRun) {
        const reason = failures.map((f) => `${f.output.route}: ${f.detail}`).join('; ');
        w.report = { ...w.report, deliveries, ...(failures.length === 0 ? {} : { outcome: 'failed' as const, reason }) };
        return;
      }
      if (w.report.outcome === 'done-before') return;
      if (failures.length > 0) {
        const reason = failures.map((f) => `${f.output.route}: ${f.detail}`).join('; ');
        w.report = { ...w.report, outcome: 'failed', deliveries, reason };
        history.recordItem(runId, { sourcePath: w.candidate.relativePath, stage: 'validated', status: 'failed', bytes: 0, errorKind: 'protocol', reason });
        services.onEvent?.({ kind: 'item', path: w.candidate.relativePath, status: 'failed', detail: reason });
        return;
      }
      try {
        const disposed =
          req.quarantined !== undefined ? 'kept' : await disposeSource(source.fs, job, w.candidate.entry.path, source.path, w.vars ?? { name: w.candidate.entry.name, now: runStart }, req.signal);
        if (w.candidate.marker !== undefined && disposed !== 'kept') await removeIfPresent(source.fs, w.candidate.marker);
        if (req.quarantined === undefined) journal.takeFile(job.name, w.candidate.relativePath, w.candidate.fingerprint, 'done', runId, now());
        const bytes = w.outputs.reduce((n, o) => n + o.size, 0);
        history.recordItem(runId, {
          sourcePath: w.candidate.relativePath,
          targetPath: deliveries[0]?.target ?? '',
          stage: 'done',
          status: disposed === 'kept' ? 'copied' : 'moved',
          bytes,
          reason: deliveries.map((d) => `${d.route} → ${d.target}`).join('; '),
        });
        w.report = { ...w.report, outcome: 'delivered', deliveries, source: disposed };
        services.onEvent?.({ kind: 'item', path: w.candidate.relativePath, status: 'delivered', detail: deliveries.map((d) => d.target).join(', ') });
      } catch (e) {
        const error = toTransferError(e);
        w.report = { ...w.report, outcome: 'failed', deliveries, reason: `delivered, but the source could not be ${job.after.source === 'delete' ? 'deleted' : 'moved'}: ${error.message}` };
        history.recordItem(runId, { sourcePath: w.candidate.relativePath, stage: 'verified', status: 'failed', bytes: 0, errorKind: error.kind, reason: w.report.reason ?? error.message });
      }
    });

    if (!req.dryRun && job.after.markRecords !== undefined && doneByRecord.size > 0) {
      await markRecords(source, [...doneByRecord.values()].filter((r) => r.allDone), job.after.markRecords, req.signal, services);
    }
    // A name the source refused cannot be staged, quarantined or moved: the file is failed, and recorded
    // and reported as every other failure is, until the partner renames or removes it.
    const refused = discovery.refused.map((r): FileReport => ({ path: r.path, outcome: 'failed', size: 0, deliveries: [], reason: `refused name: ${r.why}` }));
    if (!req.dryRun) {
      for (const r of refused) history.recordItem(runId, { sourcePath: r.path, stage: 'discovered', status: 'failed', bytes: 0, errorKind: 'unsafeName', reason: r.reason ?? '' });
    }
    const files = [...work.map((w) => w.report), ...refused];
    const failed = files.filter((f) => f.outcome === 'failed');
    if (!req.dryRun && job.after.source !== 'keep' && failed.length === 0 && discovery.waiting.length === 0) {
      for (const control of discovery.controlFiles) await removeIfPresent(source.fs, control);
    }
    if (failed.length > 0) notifications.push(failureNotice(job.name, runId, failed));
    const deliveredCount = files.filter((f) => f.outcome === 'delivered').length;
    if (failed.length === 0 && deliveredCount > 0) notifications.push(successNotice(job.name, runId, deliveredCount));
    const status: FinishedRunStatus = failed.length === 0 ? 'succeeded' : failed.length < files.length ? 'partial' : 'failed';
    history.finishRun(runId, {
      status,
      files: deliveredCount + files.filter((f) => f.outcome === 'planned').length,
      bytes: files.filter((f) => f.outcome === 'delivered' || f.outcome === 'planned').reduce((n, f) => n + f.size, 0),
      failed: failed.length,
      skipped: files.filter((f) => f.outcome === 'quarantined').length,
      finishedAt: now(),
    });
    if (!req.dryRun) await send(notifications);
    return { job: job.name, runId, resumed, dryRun: req.dryRun, status, files, waiting: discovery.waiting, refused: discovery.refused };

    async function deliverRoute(route: JobRoute, outputs: RoutedOutput[]): Promise<DeliveryOutcome[]> {
      if (route.http !== undefined) {
        const http = route.http;
        return deliverToHttp({
          route: { ...route, http },
          outputs,
          varsOf: (o) => ({ ...(workByItem.get(o.itemId)?.vars ?? { name: o.name, now: runStart }), name: o.name }),
          job: job.name,
          stagingRoot,
          journal: dryJournal,
          secret: services.secret,
          fetch: services.fetch ?? fetch,
          dryRun: req.dryRun,
          concurrency: job.concurrency,
          signal: req.signal,
        });
      }
      const location = routeLocations.get(route.name);
      if (location === undefined) throw new TransferError('config', `Route ${route.name} has no destination`);
      const recorded = new Map<string, DeliveryRecord>();
      for (const w of work) for (const d of w.delivered.values()) recorded.set(`${d.itemId}\0${d.staged}`, d);
      return deliverToFs({
        route,
        location,
        outputs,
        stagingRoot,
        journal: dryJournal,
        recorded,
        resumeJournal: services.resumeJournal,
        stats,
        dryRun: req.dryRun,
        concurrency: job.concurrency,
        pace: pace(undefined, location),
        signal: req.signal,
      });
    }
  } catch (e) {
    const error = toTransferError(e);
    if (error.kind === 'cancelled' && !req.dryRun) {
      // A clean shutdown: the run stays open and the next start takes it over at once.
      journal.releaseRun(runId, services.owner);
    } else {
      history.finishRun(runId, { status: error.kind === 'cancelled' ? 'cancelled' : 'failed', files: 0, bytes: 0, failed: 0, skipped: 0, error: error.message, finishedAt: now() });
      if (!req.dryRun) await send([{ event: 'failure', job: job.name, runId, subject: `${job.name}: run ${runId} failed`, text: error.message, facts: { job: job.name, run: runId, error: error.message } }]);
    }
    throw error;
  } finally {
    request.signal.removeEventListener('abort', forward);
    release?.();
    await claimed.end();
    await rm(stagingRoot, { recursive: true, force: true });
  }

  async function send(list: ReadonlyArray<Notification>): Promise<void> {
    for (const n of list) {
      const delivered = await services.notifier.notify(job.notify, n);
      for (const d of delivered) {
        history.recordNotification({ runId, channel: d.channel, recipient: d.recipient, subject: n.subject, status: d.status, ...(d.error === undefined ? {} : { error: d.error }) });
        if (d.status === 'failed') services.onEvent?.({ kind: 'notice', message: `notification by ${d.channel} to ${d.recipient} failed: ${d.error ?? 'unknown error'}` });
      }
    }
  }
}

/** The connections a job talks to, for the shared per-server budgets. */
export function connectionsOf(job: LoadedJob): string[] {
  const names = [job.definition.source.location, ...job.definition.routes.flatMap((r) => (r.to === undefined ? [] : [r.to]))].map((text) => {
    const location = parseLocation(text);
    return location.kind === 'connection' ? location.connection : 'local';
  });
  return [...new Set(names)].filter((n) => n !== 'local');
}

/** Quarantined files as a run's candidates, each with the quarantine folder it is read from. */
async function fromQuarantine(
  files: ReadonlyArray<QuarantinedFile>,
  open: (location: string) => Promise<OpenedJobLocation>,
): Promise<{ discovery: Discovery; locations: Map<string, OpenedJobLocation> }> {
  const candidates: Candidate[] = [];
  const locations = new Map<string, OpenedJobLocation>();
  for (const q of files) {
    const location = await open(q.location);
    locations.set(q.file, location);
    const name = q.file.split('/').pop() ?? q.file;
    const entry = await location.fs.stat(joinRelative(location.path, name));
    if (entry === undefined) throw new TransferError('notFound', `The quarantined file ${q.file} is no longer in ${q.location}`);
    candidates.push({ entry, relativePath: q.file, fingerprint: `quarantine:${q.id}`, siblings: new Set() });
  }
  return { discovery: { files: candidates, waiting: [], refused: [], controlFiles: [] }, locations };
}

async function markRecords(
  source: OpenedJobLocation,
  records: ReadonlyArray<{ id: string; objectDir: string }>,
  values: Readonly<Record<string, string | number | boolean | null>>,
  signal: AbortSignal,
  services: JobServices,
): Promise<void> {
  if (!isRecordStore(source.fs) || records.length === 0) return;
  const outcomes = await source.fs.updateRecords(source.path, records.map((r) => ({ id: r.id, values })), signal);
  for (const o of outcomes) {
    if (o.error !== undefined) services.onEvent?.({ kind: 'notice', message: `record ${o.id} was not updated: ${o.error}` });
  }
}

function quarantineNotice(job: string, runId: number, file: string, location: string, reasons: ReadonlyArray<QuarantineReason>): Notification {
  return notice('quarantine', job, runId, `${job}: ${file} quarantined`, `${file} failed validation and was moved to ${location}:\n${reasons.map((r) => `- ${r.rule}: ${r.message}`).join('\n')}`, {
    file,
    location,
    rules: reasons.map((r) => r.rule).join(','),
    reason: reasons[0]?.message ?? '',
  });
}

function failureNotice(job: string, runId: number, failed: ReadonlyArray<FileReport>): Notification {
  return notice('failure', job, runId, `${job}: ${failed.length} file${failed.length === 1 ? '' : 's'} failed in run ${runId}`, failed.map((f) => `- ${f.path}: ${f.reason ?? 'failed'}`).join('\n'), {
    failed: failed.length,
    first: failed[0]?.path ?? '',
  });
}

function successNotice(job: string, runId: number, delivered: number): Notification {
  return notice('success', job, runId, `${job}: run ${runId} delivered ${delivered} file${delivered === 1 ? '' : 's'}`, `Run ${runId} of ${job} delivered ${delivered} file(s).`, { delivered });
}

function notice(event: NotificationEvent, job: string, runId: number, subject: string, text: string, facts: Record<string, string | number | boolean>): Notification {
  return { event, job, runId, subject, text, facts: { job, run: runId, ...facts } };
}
