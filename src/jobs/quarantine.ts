import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LocalFs } from '../connectors/local/LocalFs.js';
import { joinRelative } from '../connectors/paths.js';
import { transfer } from '../engine/transfer.js';
import { parseLocation } from '../cli/location.js';
import { nameKey, type QuarantineReason, type ValidatedFileFacts } from '../history/JobJournal.js';
import type { ItemId } from '../history/records.js';
import type { LoadedJob } from './definition/loadJob.js';
import { validationSets } from './definition/jobSchema.js';
import picomatch from 'picomatch';
import { displayLocation, type OpenedJobLocation, type JobServices } from './JobServices.js';
import { linkOrCopy } from './prepare.js';

/** The machine-readable reason kept next to a quarantined file, as `<name>.reason.json`. */
export interface QuarantineRecord {
  readonly job: string;
  readonly run: number;
  readonly file: string;
  readonly source: string;
  readonly size: number;
  readonly sha256: string;
  readonly quarantinedAt: string;
  readonly reasons: ReadonlyArray<QuarantineReason>;
}

export const REASON_SUFFIX = '.reason.json';

export interface HoldRequest {
  readonly services: JobServices;
  readonly job: string;
  readonly baseDir: string;
  /** The job's quarantine location, or undefined for Ferry's own quarantine folder. */
  readonly location: string | undefined;
  readonly runId: number;
  readonly itemId: number;
  readonly relativePath: string;
  readonly sourceText: string;
  readonly stagedPath: string;
  readonly stagingRoot: string;
  readonly size: number;
  readonly sha256: string;
  readonly reasons: ReadonlyArray<QuarantineReason>;
  readonly signal: AbortSignal;
}

/**
 * Moves a rejected file aside: a verified copy of it and its reason file go to
 * `<quarantine>/<job>/<run>-<item>/`, a folder named so that a resumed run writes the same place
 * again. Returns the folder as a location text (`connection:path` or a local folder).
 */
export async function holdInQuarantine(req: HoldRequest): Promise<string> {
  const folderName = `${req.runId}-${req.itemId}`;
  const name = req.relativePath.split('/').pop() ?? req.relativePath;
  const local = join(req.stagingRoot, 'quarantine', folderName);
  await rm(local, { recursive: true, force: true });
  await mkdir(local, { recursive: true });
  await linkOrCopy(req.stagedPath, join(local, name));
  const record: QuarantineRecord = {
    job: req.job,
    run: req.runId,
    file: req.relativePath,
    source: req.sourceText,
    size: req.size,
    sha256: req.sha256,
    quarantinedAt: new Date(req.services.now?.() ?? Date.now()).toISOString(),
    reasons: req.reasons,
  };
  await writeFile(join(local, `${name}${REASON_SUFFIX}`), `${JSON.stringify(record, null, 2)}\n`);
  const target = await openQuarantine(req.services, req.location, req.baseDir);
  try {
    const folder = joinRelative(joinRelative(target.path, req.job), folderName);
    const summary = await transfer({
      source: new LocalFs(dirname(local)),
      sourcePath: folderName,
      target: target.fs,
      targetPath: `${folder}/`,
      recursive: true,
      policy: 'overwrite',
      move: false,
      dryRun: false,
      journal: req.services.resumeJournal,
      signal: req.signal,
    });
    const failure = summary.failed[0];
    if (failure !== undefined) throw new Error(`The quarantine copy of ${req.relativePath} failed: ${failure.reason}`);
    return displayLocation(target.connection, folder);
  } finally {
    await target.fs.close();
  }
}

export async function openQuarantine(services: JobServices, location: string | undefined, baseDir: string): Promise<OpenedJobLocation> {
  return services.open(location ?? services.quarantineDir, baseDir);
}

/**
 * What the validation log keeps about a file the job validated: its partner (the `partner` field its
 * name gave, else the connection it came from), the rule set it fell under, the job file, and the keys
 * a later resubmission is known by — the fields its name gave, and its name whatever the case, so that
 * a misnamed file sent again under its right name is recognised too.
 */
export function validatedFileFacts(job: LoadedJob, itemId: ItemId, relativePath: string, captures: Readonly<Record<string, string>>): ValidatedFileFacts {
  const { definition } = job;
  const source = parseLocation(definition.source.location);
  const partner = captures['partner'] ?? (source.kind === 'connection' ? source.connection : undefined);
  const fields = Object.entries(captures).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const name = relativePath.split('/').pop() ?? relativePath;
  // Matched as JobValidator matches them: a file must pass every set whose glob takes it.
  const sets = validationSets(definition).filter((set) => picomatch.isMatch(name, set.files, { dot: true, nocase: true }));
  const ruleSet = sets.length === 0 ? undefined : sets.map((set) => set.files).join(', ');
  return {
    job: definition.name,
    itemId,
    file: relativePath,
    ...(partner === undefined ? {} : { partner }),
    ...(ruleSet === undefined ? {} : { ruleSet }),
    resubmissionKeys: [...(fields.length === 0 ? [] : [`fields:${JSON.stringify(fields)}`]), nameKey(relativePath)],
    jobFile: job.file,
  };
}
