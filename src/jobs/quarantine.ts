import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LocalFs } from '../connectors/local/LocalFs.js';
import { joinRelative } from '../connectors/paths.js';
import { transfer } from '../engine/transfer.js';
import type { QuarantineReason } from '../history/JobJournal.js';
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
