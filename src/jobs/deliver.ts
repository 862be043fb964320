import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TransferError } from '../connectors/errors.js';
import { LocalFs } from '../connectors/local/LocalFs.js';
import { joinRelative } from '../connectors/paths.js';
import type { RemoteEntry } from '../connectors/types.js';
import { parseNamingRule } from '../connectors/salesforce/namingRule.js';
import { AmbiguousRecordError } from '../connectors/salesforce/RecordResolver.js';
import type { Pace } from '../engine/bandwidth/BandwidthLimits.js';
import { mapWithConcurrency } from '../engine/concurrency.js';
import type { ResumeJournal } from '../engine/ResumeJournal.js';
import { DEFAULT_RETRY, withRetries } from '../engine/retry.js';
import { transfer, type ItemResult } from '../engine/transfer.js';
import type { TransferStats } from '../engine/TransferStats.js';
import type { DeliveryRecord, JobJournal } from '../history/JobJournal.js';
import type { ItemId } from '../history/records.js';
import { renderTemplate, type TemplateVars } from '../mapping/template.js';
import type { HttpDelivery, JobRoute } from './definition/jobSchema.js';
import { displayLocation, type OpenedJobLocation } from './JobServices.js';
import type { PreparedOutput } from './prepare.js';

/** An output of one item, for one route. */
export interface RoutedOutput extends PreparedOutput {
  readonly itemId: ItemId;
}

/** How one output fared. `match` says how a Salesforce record was found, for previews. */
export interface DeliveryOutcome {
  readonly output: RoutedOutput;
  readonly status: 'delivered' | 'planned' | 'failed';
  readonly target: string;
  readonly detail: string;
  readonly match?: 'exact' | 'ambiguous' | 'none';
  /** For a planned file: a file of that name is there already (a new version on Salesforce), or not. */
  readonly replaces?: boolean;
  /** The records an ambiguous name points to. */
  readonly candidates?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

export interface FsDeliveryRequest {
  readonly route: JobRoute;
  readonly location: OpenedJobLocation;
  readonly outputs: ReadonlyArray<RoutedOutput>;
  readonly stagingRoot: string;
  readonly journal: JobJournal | undefined;
  /** Deliveries recorded by an earlier attempt of this run, by `item\0staged`. */
  readonly recorded: ReadonlyMap<string, DeliveryRecord>;
  readonly resumeJournal: ResumeJournal;
  readonly stats: TransferStats;
  readonly dryRun: boolean;
  readonly concurrency: number;
  /** The bandwidth limits the delivered bytes go through. */
  readonly pace?: Pace | undefined;
  readonly signal: AbortSignal;
}

const RESUMED_SKIP = 'delivered before the run was interrupted';

/**
 * Sends one route's outputs with the engine in one batch (one listing per target folder, partial
 * names, verification), writing each delivery's intent to the journal just before its file is sent.
 * A run resumed after a crash compares the target with what the journal saw before: a file that
 * changed into exactly the staged size landed in the lost attempt and is not sent again.
 */
export async function deliverToFs(req: FsDeliveryRequest): Promise<DeliveryOutcome[]> {
  const routeRoot = join(req.stagingRoot, 'out', req.route.name);
  const prefix = `out/${req.route.name}/`;
  const bySource = new Map(req.outputs.map((o) => [o.staged.slice(prefix.length), o]));
  const outcomes = new Map<RoutedOutput, DeliveryOutcome>();
  const matches = new Map<RoutedOutput, RecordMatchSeen>();
  const settle = (o: RoutedOutput, status: DeliveryOutcome['status'], target: string, detail: string, replaces?: boolean): void => {
    const seen = matches.get(o);
    const found = seen === undefined ? {} : { match: seen.match, ...(seen.candidates === undefined ? {} : { candidates: seen.candidates }) };
    outcomes.set(o, { output: o, status, target, detail, ...found, ...(replaces === undefined ? {} : { replaces }) });
    if (!req.dryRun && status !== 'planned') req.journal?.settleDelivery(o.itemId, o.route, o.staged, status, `${target}: ${detail}`);
  };
  const targetText = (path: string): string => displayLocation(req.location.connection, path);
  const summary = await transfer({
    source: new LocalFs(routeRoot),
    sourcePath: '',
    target: req.location.fs,
    targetPath: '',
    recursive: true,
    policy: req.route.conflict,
    move: false,
    dryRun: req.dryRun,
    journal: req.resumeJournal,
    stats: req.stats,
    concurrency: req.concurrency,
    ...(req.pace === undefined ? {} : { pace: req.pace }),
    signal: req.signal,
    resolveTargets: async (files, signal) => {
      const outputs = files.map((f) => bySource.get(f.relativePath));
      if (req.route.attachBy === undefined) {
        return outputs.map((o, i) => (o === undefined ? unknownOutput(files[i]?.relativePath) : joinRelative(o.folder, o.name)));
      }
      return resolveRecordTargets(req, outputs, matches, files.map((f) => f.relativePath), signal);
    },
    beforeCopy: async (file) => {
      const output = bySource.get(file.source.path);
      if (output === undefined || req.journal === undefined) return {};
      const earlier = req.recorded.get(`${output.itemId}\0${output.staged}`);
      if (earlier !== undefined && earlier.state !== 'delivered' && landed(earlier, file.existing, output)) {
        return { skip: RESUMED_SKIP };
      }
      req.journal.planDelivery({
        itemId: output.itemId,
        route: output.route,
        staged: output.staged,
        target: targetText(file.targetPath),
        size: output.size,
        sha256: output.sha256,
        before: file.existing === undefined ? undefined : snapshot(file.existing),
      });
      return {};
    },
    onItemDone: (result) => {
      const output = bySource.get(result.source);
      if (output !== undefined) settleResult(output, result);
    },
  });
  // Files that failed before the engine tried them (no record found) are only in the summary.
  for (const result of summary.items) {
    const output = bySource.get(result.source);
    if (output !== undefined && !outcomes.has(output)) settleResult(output, result);
  }
  return req.outputs.map((o) => outcomes.get(o) ?? { output: o, status: 'failed', target: '', detail: 'the engine did not report this file' });

  function settleResult(output: RoutedOutput, result: ItemResult): void {
    const target = targetText(result.target ?? '');
    switch (result.status) {
      case 'copied':
      case 'moved':
        settle(output, 'delivered', target, `delivered (${(result.verifiedBy ?? ['size']).join(', ')} verified)`);
        return;
      case 'planned':
        settle(output, 'planned', target, plannedDetail(req, result), result.replaces === true);
        return;
      case 'skipped':
        // The conflict policy found the same file there already, or the lost attempt delivered it.
        settle(output, 'delivered', target, result.reason ?? 'already there');
        return;
      case 'failed':
        // A file that found no record never got a real target: name the folder it was meant for.
        settle(output, 'failed', result.target === undefined || req.route.attachBy !== undefined ? targetText(joinRelative(output.folder, output.name)) : target, result.reason ?? 'failed');
        return;
    }
  }
}

function plannedDetail(req: FsDeliveryRequest, result: ItemResult): string {
  if (req.location.fs.kind === 'salesforce') return result.replaces === true ? 'new version of the existing file' : 'new file on the record';
  return result.replaces === true ? `replaces the existing file (${result.reason ?? 'changed'})` : (result.reason ?? 'new file');
}

async function resolveRecordTargets(
  req: FsDeliveryRequest,
  outputs: ReadonlyArray<RoutedOutput | undefined>,
  matches: Map<RoutedOutput, RecordMatchSeen>,
  relativePaths: ReadonlyArray<string>,
  signal: AbortSignal,
): Promise<Array<string | TransferError>> {
  const fs = req.location.fs;
  // Loaded only for Salesforce routes: jsforce stays out of jobs that never touch Salesforce.
  const { SalesforceFilesFs } = await import('../connectors/salesforce/SalesforceFilesFs.js');
  if (!(fs instanceof SalesforceFilesFs)) {
    throw new TransferError('config', `Route ${req.route.name}: attachBy needs a Salesforce Files destination, not ${fs.description}`);
  }
  const rule = parseNamingRule(req.route.attachBy ?? '');
  const main = outputs.filter((o): o is RoutedOutput => o !== undefined && o.companionOf === undefined);
  const found = new Map<string, string | TransferError>();
  const byFolder = new Map<string, RoutedOutput[]>();
  for (const o of main) byFolder.set(o.folder, [...(byFolder.get(o.folder) ?? []), o]);
  for (const [folder, group] of byFolder) {
    // A rule with folders ('{AccountNumber}/{**}') reads the path below the source folder; any other rule, the delivered name.
    const resolved = await fs.resolveRecordFolders(folder, rule, group.map((o) => (rule.template.includes('/') ? o.sourcePath : o.name)), signal);
    group.forEach((o, i) => {
      const r = resolved[i];
      const target = r === undefined ? new TransferError('protocol', `No answer for ${o.name}`) : r instanceof TransferError ? r : r.folder;
      found.set(o.staged, target);
      matches.set(o, matchKind(target));
    });
  }
  return outputs.map((o, i) => {
    if (o === undefined) return unknownOutput(relativePaths[i]);
    const record = found.get(o.companionOf ?? o.staged);
    if (record === undefined) return new TransferError('config', `No record was resolved for ${o.name}`);
    if (o.companionOf !== undefined) matches.set(o, matchKind(record));
    return record instanceof TransferError ? record : joinRelative(record, o.name);
  });
}

/** How a file's record was found, and the records an ambiguous name points to. */
interface RecordMatchSeen {
  readonly match: NonNullable<DeliveryOutcome['match']>;
  readonly candidates?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

function matchKind(target: string | TransferError): RecordMatchSeen {
  if (!(target instanceof TransferError)) return { match: 'exact' };
  if (target instanceof AmbiguousRecordError) return { match: 'ambiguous', candidates: target.candidates.map((c) => ({ id: c.id, name: c.name })) };
  return { match: 'none' };
}

function unknownOutput(path: string | undefined): TransferError {
  return new TransferError('config', `${path ?? '?'} is in the staging folder but not in the run's plan`);
}

/** What the journal remembers of a target file before the first attempt. */
function snapshot(entry: RemoteEntry): string {
  return JSON.stringify({ size: entry.size, modifiedAt: entry.modifiedAt ?? null, details: entry.details ?? null });
}

/** The target changed since the journal's snapshot into a file of exactly the staged size. */
function landed(record: DeliveryRecord, existing: RemoteEntry | undefined, output: RoutedOutput): boolean {
  if (existing === undefined || existing.size !== output.size) return false;
  return record.before === undefined || record.before !== snapshot(existing);
}

export interface HttpDeliveryRequest {
  readonly route: JobRoute & { readonly http: HttpDelivery };
  readonly outputs: ReadonlyArray<RoutedOutput>;
  readonly varsOf: (o: RoutedOutput) => TemplateVars;
  readonly job: string;
  readonly stagingRoot: string;
  readonly journal: JobJournal | undefined;
  readonly secret: (name: string) => Promise<string | undefined>;
  readonly fetch: typeof fetch;
  readonly dryRun: boolean;
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/**
 * Posts each output to an HTTP endpoint. Every request carries an Idempotency-Key derived from the job,
 * the file's content and name, so a receiver that honours it takes a retried or resumed delivery once.
 */
export async function deliverToHttp(req: HttpDeliveryRequest): Promise<DeliveryOutcome[]> {
  const { http } = req.route;
  const secretHeaders: Record<string, string> = {};
  for (const [header, name] of Object.entries(http.secretHeaders)) {
    const value = await req.secret(name);
    if (value === undefined) throw new TransferError('config', `Route ${req.route.name}: the secret "${name}" for the ${header} header is not in the secret store`);
    secretHeaders[header] = value;
  }
  return mapWithConcurrency(req.outputs, req.concurrency, async (output): Promise<DeliveryOutcome> => {
    const url = renderUrl(http.url, req.varsOf(output));
    if (req.dryRun) return { output, status: 'planned', target: url, detail: `${http.method} ${http.as}` };
    const key = createHash('sha256').update(`${req.job}\0${output.route}\0${output.name}\0${output.sha256}`).digest('hex').slice(0, 40);
    req.journal?.planDelivery({ itemId: output.itemId, route: output.route, staged: output.staged, target: url, size: output.size, sha256: output.sha256, before: undefined });
    const local = join(req.stagingRoot, ...output.staged.split('/'));
    try {
      const status = await withRetries(
        DEFAULT_RETRY,
        async () => {
          const response = await req.fetch(url, {
            method: http.method,
            headers: { ...http.headers, ...secretHeaders, 'Idempotency-Key': key, 'User-Agent': 'Ferry', ...(http.as === 'body' ? { 'Content-Type': 'application/octet-stream', 'Content-Length': String(output.size) } : {}) },
            body: await requestBody(http, local, output),
            signal: req.signal,
            // A streamed request body needs half-duplex mode in Node's fetch.
            ...(http.as === 'body' ? { duplex: 'half' as const } : {}),
          });
          await response.body?.cancel();
          if (response.status === 429 || response.status >= 500) {
            throw new TransferError('network', `${url} answered ${response.status}`, { retryable: true });
          }
          if (!response.ok) throw new TransferError('protocol', `${url} answered ${response.status} ${response.statusText}`);
          return response.status;
        },
        { signal: req.signal },
      );
      req.journal?.settleDelivery(output.itemId, output.route, output.staged, 'delivered', `${url}: HTTP ${status}`);
      return { output, status: 'delivered', target: url, detail: `HTTP ${status}` };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      req.journal?.settleDelivery(output.itemId, output.route, output.staged, 'failed', `${url}: ${message}`);
      return { output, status: 'failed', target: url, detail: message };
    }
  });
}

/**
 * Only the path of an endpoint URL is a template; values are percent-encoded by the URL parser, and the
 * path rules that keep file names inside a folder keep them inside the endpoint's path too.
 */
function renderUrl(template: string, vars: TemplateVars): string {
  const origin = /^https?:\/\/[^/]+/.exec(template)?.[0] ?? '';
  const path = template.slice(origin.length).replace(/^\//, '');
  return new URL(`${origin}/${path === '' ? '' : renderTemplate(path, vars)}`).href;
}

async function requestBody(http: HttpDelivery, local: string, output: RoutedOutput): Promise<NonNullable<RequestInit['body']>> {
  if (http.as === 'multipart') {
    const form = new FormData();
    form.append('file', await openAsBlob(local), output.name.split('/').pop() ?? output.name);
    return form;
  }
  return Readable.toWeb(createReadStream(local)) as ReadableStream<Uint8Array>;
}
