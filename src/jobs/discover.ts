import picomatch from 'picomatch';
import { baseName, joinRelative, normalizeRelative, parentOf } from '../connectors/paths.js';
import { isRecordStore, type ListOptions, type RemoteEntry, type RemoteFs, type SelectedRecord } from '../connectors/types.js';
import { TransferError } from '../connectors/errors.js';
import { isPartialName } from '../engine/copyFile.js';
import { mapWithConcurrency } from '../engine/concurrency.js';
import type { TakenFile } from '../history/JobJournal.js';
import { renderTemplate } from '../mapping/template.js';
import { parseDuration } from '../schedule/config.js';
import { movedAsideFolder } from './definition/checkJob.js';
import type { JobDefinition } from './definition/jobSchema.js';
import { readManifest, type Manifest } from './manifest.js';

/** A source file that has arrived and that the job has not taken before. */
export interface Candidate {
  readonly entry: RemoteEntry;
  /** Below the source folder; what include/exclude, routes and history see. */
  readonly relativePath: string;
  /** Size, modification time and any version details: a change means a new submission. */
  readonly fingerprint: string;
  /** The record the file belongs to, for a Salesforce source. */
  readonly record?: SelectedRecord;
  /** The done-file that released it, removed with it. */
  readonly marker?: string;
  /** Names of the other files in its folder, for companion checks. */
  readonly siblings: ReadonlySet<string>;
  /** The manifest listing it, when the job waits for manifests. */
  readonly manifest?: Manifest;
}

export interface Discovery {
  readonly files: ReadonlyArray<Candidate>;
  /** Files seen but not taken yet, and why (still growing, no done-file, manifest incomplete). */
  readonly waiting: ReadonlyArray<{ readonly path: string; readonly why: string }>;
  /** Names that cannot be taken safely (`..`, separators), below the source folder: never used, and failed by the run. */
  readonly refused: ReadonlyArray<{ readonly path: string; readonly why: string }>;
  /** Control files to remove once the run has taken everything they released. */
  readonly controlFiles: ReadonlyArray<string>;
}

export interface DiscoverOptions {
  readonly fs: RemoteFs;
  /** The source folder, relative to the connector root. */
  readonly root: string;
  readonly job: JobDefinition;
  /** What the job took before, by relative path. */
  readonly taken: ReadonlyMap<string, TakenFile>;
  /** Paths this run already holds (a resumed run): taken again without waiting for them to settle. */
  readonly held: ReadonlySet<string>;
  readonly now: Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
}

interface Listed {
  readonly entry: RemoteEntry;
  readonly relativePath: string;
  readonly record?: SelectedRecord;
}

/**
 * Lists the source and decides what has arrived: partial uploads are ignored, a file must stay the
 * same size and age over `stableFor`, done-files, triggers and manifests hold files back until they
 * release them, and files the job already took (unchanged) are left alone.
 */
export async function discover(opts: DiscoverOptions): Promise<Discovery> {
  const { job } = opts;
  const root = normalizeRelative(opts.root);
  const refused: Array<{ path: string; why: string }> = [];
  const onUnsafeName = refusalsBelow(root, refused);
  const movedAside = typeof job.after.source === 'object' ? movedAsideFolder(job.after.source.moveTo) : undefined;
  const leftOut = movedAside === undefined ? undefined : joinRelative(root, movedAside);
  const listed =
    job.source.records !== undefined ? await listRecordFiles(opts, root, onUnsafeName) : await walk(opts.fs, root, job.source.recursive, onUnsafeName, opts.signal, leftOut);
  const include = picomatch(job.source.include, { dot: true });
  const exclude = job.source.exclude.length === 0 ? () => false : picomatch(job.source.exclude, { dot: true });
  const ignored = picomatch(job.arrival.ignore, { dot: true });
  const byFolder = new Map<string, Set<string>>();
  for (const f of listed) {
    const folder = parentOf(f.relativePath);
    byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(f.entry.name));
  }
  const siblingsOf = (path: string): ReadonlySet<string> => byFolder.get(parentOf(path)) ?? new Set();
  const waiting: Array<{ path: string; why: string }> = [];
  const controlFiles: string[] = [];

  // A trigger file releases the whole source; without it nothing has arrived yet.
  const trigger = job.arrival.trigger;
  if (trigger !== undefined) {
    if (!listed.some((f) => f.relativePath === trigger)) return { files: [], waiting: [{ path: trigger, why: 'waiting for the trigger file' }], refused, controlFiles };
    controlFiles.push(joinRelative(root, trigger));
  }
  const manifestMatch = job.arrival.manifest === undefined ? undefined : picomatch(job.arrival.manifest.name, { dot: true });
  const isControl = (f: Listed): boolean => f.relativePath === trigger || (manifestMatch?.(f.entry.name) ?? false);

  let payload = listed.filter((f) => !isControl(f) && !ignored(f.entry.name) && !isPartialName(f.entry.name));
  const markers = new Map<string, string>();
  if (job.arrival.doneFile !== undefined) {
    const doneFile = job.arrival.doneFile;
    const markerNames = new Set<string>();
    for (const f of payload) {
      const marker = joinRelative(parentOf(f.relativePath), renderTemplate(doneFile, { name: f.entry.name, relativePath: f.relativePath, now: opts.now }));
      markers.set(f.relativePath, marker);
      markerNames.add(marker);
    }
    payload = payload.filter((f) => !markerNames.has(f.relativePath));
  }
  payload = payload.filter((f) => include(f.relativePath) && !exclude(f.relativePath));

  let manifest: Manifest | undefined;
  if (job.arrival.manifest !== undefined && manifestMatch !== undefined) {
    const found = listed.filter((f) => manifestMatch(f.entry.name)).sort((a, b) => a.relativePath.localeCompare(b.relativePath));
    const first = found[0];
    if (first === undefined) return { files: [], waiting: payload.map((f) => ({ path: f.relativePath, why: 'waiting for a manifest' })), refused, controlFiles };
    manifest = await readManifest(opts.fs, first.entry.path, job.arrival.manifest, opts.signal);
    const folder = parentOf(first.relativePath);
    const present = new Set(payload.map((f) => f.relativePath));
    const missing = [...manifest.entries.keys()].filter((name) => !present.has(joinRelative(folder, name)));
    if (missing.length > 0) {
      return { files: [], waiting: missing.map((name) => ({ path: joinRelative(folder, name), why: `listed in ${first.relativePath} but not here yet` })), refused, controlFiles };
    }
    payload = payload.filter((f) => parentOf(f.relativePath) === folder && manifest?.entries.has(f.entry.name) === true);
    controlFiles.push(first.entry.path);
  }

  payload = await withExactTimes(opts, payload);
  const fresh: Listed[] = [];
  const kept: Listed[] = [];
  for (const f of payload) {
    const marker = markers.get(f.relativePath);
    if (marker !== undefined && !siblingsOf(f.relativePath).has(baseName(marker)) && !opts.held.has(f.relativePath)) {
      waiting.push({ path: f.relativePath, why: `waiting for ${marker}` });
      continue;
    }
    const before = opts.taken.get(f.relativePath);
    // Taken and settled: delivered or quarantined. A file still 'claimed' by a finished run failed there, and is tried again.
    if (before !== undefined && before.state !== 'claimed' && unchangedSince(before, f.entry) && !opts.held.has(f.relativePath)) continue;
    (opts.held.has(f.relativePath) ? kept : fresh).push(f);
  }
  const settled = await settle(opts, fresh, waiting);
  let files = [...kept, ...settled];
  if (job.source.maxFiles !== undefined && files.length > job.source.maxFiles) {
    for (const f of files.slice(job.source.maxFiles)) waiting.push({ path: f.relativePath, why: `over maxFiles (${job.source.maxFiles}); left for the next run` });
    files = files.slice(0, job.source.maxFiles);
  }
  return {
    files: files.map((f) => {
      const marker = markers.get(f.relativePath);
      return {
        entry: f.entry,
        relativePath: f.relativePath,
        fingerprint: fingerprintOf(f.entry),
        siblings: siblingsOf(f.relativePath),
        ...(f.record === undefined ? {} : { record: f.record }),
        ...(marker === undefined ? {} : { marker: joinRelative(root, marker) }),
        ...(manifest === undefined ? {} : { manifest }),
      };
    }),
    waiting,
    refused,
    controlFiles,
  };
}

/**
 * Whether a file the job took is still the file it took: the same size, exact modification time and
 * version details. A file whose time nobody can tell is taken as changed — a size alone never proves
 * that a partner did not send new content of the same length.
 */
function unchangedSince(before: TakenFile, entry: RemoteEntry): boolean {
  return entry.modifiedAt !== undefined && before.fingerprint === fingerprintOf(entry);
}

/**
 * Asks the server for the exact time of each file its listing gave none for (FTP without MLSD: one
 * MDTM per file), so that a file re-sent with the same size is told apart from the one taken before.
 */
async function withExactTimes(opts: DiscoverOptions, files: ReadonlyArray<Listed>): Promise<Listed[]> {
  return mapWithConcurrency(files, Math.max(1, Math.min(4, opts.fs.capabilities.maxConcurrency)), async (f) => {
    if (f.entry.modifiedAt !== undefined) return f;
    const modifiedAt = (await opts.fs.stat(f.entry.path, opts.signal))?.modifiedAt;
    return modifiedAt === undefined ? f : { ...f, entry: { ...f.entry, modifiedAt } };
  });
}

export function fingerprintOf(entry: RemoteEntry): string {
  const details = Object.entries(entry.details ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return [String(entry.size), String(entry.modifiedAt ?? '-'), ...details].join(':');
}

/** "0s" turns the settling wait off; anything else is a duration. */
function stableForMs(text: string): number {
  return /^0+(\.0+)?\s*[a-z]+$/.test(text) ? 0 : parseDuration(text);
}

/** Keeps the files whose size and modification time did not change over `stableFor`. */
async function settle(opts: DiscoverOptions, files: ReadonlyArray<Listed>, waiting: Array<{ path: string; why: string }>): Promise<Listed[]> {
  const stableFor = stableForMs(opts.job.arrival.stableFor);
  if (stableFor === 0 || files.length === 0 || opts.job.source.records !== undefined) return [...files];
  await opts.sleep(stableFor, opts.signal);
  const folders = [...new Set(files.map((f) => parentOf(f.entry.path)))];
  const now = new Map<string, RemoteEntry>();
  await mapWithConcurrency(folders, Math.max(1, Math.min(4, opts.fs.capabilities.maxConcurrency)), async (dir) => {
    try {
      for (const e of await opts.fs.list(dir, { signal: opts.signal })) now.set(e.path, e);
    } catch (e) {
      if (!(e instanceof TransferError && e.kind === 'notFound')) throw e;
    }
  });
  return files.filter((f) => {
    const again = now.get(f.entry.path);
    // A listing without times (FTP LIST) shows growth by size alone; the exact time was asked for separately.
    const stable = again !== undefined && again.size === f.entry.size && (again.modifiedAt === undefined || again.modifiedAt === f.entry.modifiedAt);
    if (!stable) waiting.push({ path: f.relativePath, why: again === undefined ? 'disappeared while settling' : `still changing (not stable for ${opts.job.arrival.stableFor})` });
    return stable;
  });
}

/** Receives the names a listing of `dir` refused, recorded below the source folder as the run's other files are. */
type OnUnsafeName = (dir: string) => NonNullable<ListOptions['onUnsafeName']>;

function refusalsBelow(root: string, refused: Array<{ path: string; why: string }>): OnUnsafeName {
  const below = (dir: string): string => (dir === root ? '' : root === '' ? dir : dir.slice(root.length + 1));
  return (dir) => (name, why) => refused.push({ path: joinRelative(below(dir), name), why });
}

/** Lists the source, leaving out `leftOut`: the folder handled files are moved to. */
async function walk(fs: RemoteFs, root: string, recursive: boolean, onUnsafeName: OnUnsafeName, signal: AbortSignal, leftOut: string | undefined): Promise<Listed[]> {
  const files: Listed[] = [];
  let level = [root];
  while (level.length > 0) {
    const listings = await mapWithConcurrency(level, Math.max(1, Math.min(4, fs.capabilities.maxConcurrency)), (dir) =>
      fs.list(dir, { signal, onUnsafeName: onUnsafeName(dir) }),
    );
    const next: string[] = [];
    for (const entries of listings) {
      for (const e of entries) {
        if (e.kind === 'dir') {
          if (recursive && e.path !== leftOut) next.push(e.path);
        } else files.push({ entry: e, relativePath: root === '' ? e.path : e.path.slice(root.length + 1) });
      }
    }
    level = next;
  }
  return files;
}

/** A Salesforce source: the files of the records that meet the job's condition. */
async function listRecordFiles(opts: DiscoverOptions, root: string, onUnsafeName: OnUnsafeName): Promise<Listed[]> {
  const { fs } = opts;
  const query = opts.job.source.records;
  if (!isRecordStore(fs) || query === undefined) {
    throw new TransferError('config', `source.records needs a Salesforce source, not ${fs.description}`);
  }
  const records = await fs.selectRecords(root, { where: query.where, fields: query.fields }, opts.signal);
  const byPath = new Map(records.map((r) => [r.path, r]));
  const listings =
    fs.listMany !== undefined
      ? // One listing for many records does not say whose file a refused name was: it is shown at the source folder.
        await fs.listMany(records.map((r) => r.path), { signal: opts.signal, onUnsafeName: onUnsafeName(root) })
      : new Map(await mapWithConcurrency(records, 4, async (r) => [r.path, await fs.list(r.path, { signal: opts.signal, onUnsafeName: onUnsafeName(r.path) })] as const));
  const files: Listed[] = [];
  for (const [folder, entries] of listings) {
    const record = byPath.get(folder);
    for (const e of entries) {
      if (e.kind !== 'file') continue;
      files.push({ entry: e, relativePath: root === '' ? e.path : e.path.slice(root.length + 1), ...(record === undefined ? {} : { record }) });
    }
  }
  return files;
}
