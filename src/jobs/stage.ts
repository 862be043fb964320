import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TransferError } from '../connectors/errors.js';
import type { RemoteEntry, RemoteFs } from '../connectors/types.js';
import type { Pace } from '../engine/bandwidth/BandwidthLimits.js';
import { copyFile } from '../engine/copyFile.js';
import type { ResumeJournal } from '../engine/ResumeJournal.js';
import { DEFAULT_RETRY } from '../engine/retry.js';
import type { TransferStats } from '../engine/TransferStats.js';
import { MAX_NAME_BYTES, overlongName, shortened } from '../shared/util/names.js';

export interface StagedFile {
  /** Absolute path of the local copy. */
  readonly localPath: string;
  readonly size: number;
  readonly sha256: string;
}

export interface StageRequest {
  readonly source: RemoteFs;
  readonly entry: RemoteEntry;
  /** The local folder the run stages into (a LocalFs rooted there). */
  readonly staging: RemoteFs;
  readonly stagingRoot: string;
  /** Path of the copy below `stagingRoot`. */
  readonly stagedPath: string;
  readonly journal: ResumeJournal;
  readonly stats: TransferStats;
  /** The digest an earlier attempt of this run recorded: a local copy that still has it is reused. */
  readonly knownSha256?: string | undefined;
  /** The bandwidth limits the source's bytes go through. */
  readonly pace?: Pace | undefined;
  readonly signal: AbortSignal;
}

/**
 * Brings one source file into the run's staging folder with the engine's copy (partial name, retries,
 * resume, size check), then digests the local copy. Validation, conversion and every delivery read
 * the local copy, so the partner's server is read once however many routes a file takes.
 */
export async function stageFile(req: StageRequest): Promise<StagedFile> {
  // A server may allow longer names than this machine (a Salesforce title of CJK characters): such a file
  // is refused here by its own name, before the copy would fail on a staging path the user never chose.
  const over = overlongName(req.stagedPath);
  if (over !== undefined) {
    throw new TransferError(
      'unsafeName',
      `${req.entry.path} cannot be staged: its name ${JSON.stringify(shortened(over.name))} is ${over.bytes} bytes, and a name on this machine may have at most ${MAX_NAME_BYTES} bytes`,
      { path: req.entry.path },
    );
  }
  const localPath = join(req.stagingRoot, ...req.stagedPath.split('/'));
  if (req.knownSha256 !== undefined) {
    const existing = await digestIfPresent(localPath);
    if (existing?.sha256 === req.knownSha256) return { localPath, ...existing };
  }
  await mkdir(dirname(localPath), { recursive: true });
  const meter = req.stats.start(req.entry.path, req.entry.size);
  try {
    await copyFile({
      source: req.source,
      entry: req.entry,
      target: req.staging,
      decision: { kind: 'copy', targetPath: req.stagedPath, mode: 'replace', reason: 'staged for the run' },
      meter,
      journal: req.journal,
      retry: DEFAULT_RETRY,
      preserveModifiedTime: true,
      ...(req.pace === undefined ? {} : { pace: req.pace }),
      signal: req.signal,
    });
    meter.finish('done');
  } catch (e) {
    meter.finish('failed');
    throw e;
  }
  const digest = await digestIfPresent(localPath);
  if (digest === undefined) throw new Error(`The staged copy ${localPath} vanished`);
  return { localPath, ...digest };
}

export async function digestIfPresent(path: string): Promise<{ size: number; sha256: string } | undefined> {
  try {
    const info = await stat(path);
    return { size: info.size, sha256: await sha256Of(path) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
