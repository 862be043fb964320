import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';
import type { HashKind, ReadOptions } from '../../../src/connectors/types.js';
import { MemoryResumeJournal } from '../../../src/engine/ResumeJournal.js';
import { TransferStats } from '../../../src/engine/TransferStats.js';
import { stageFile } from '../../../src/jobs/stage.js';

/** A name longer than local disks allow, as a Salesforce title of 100 CJK characters is (300 bytes). */
const LONG = `${'資'.repeat(100)}.pdf`;

/** A source that has a file under LONG, as servers with longer names do; its bytes live under a short name here. */
class LongNamedSource extends LocalFs {
  override read(path: string, opts?: ReadOptions): Promise<Readable> {
    return super.read(path === LONG ? 'short.pdf' : path, opts);
  }
  override hash(path: string, kind: HashKind, signal?: AbortSignal): Promise<string> {
    return super.hash(path === LONG ? 'short.pdf' : path, kind, signal);
  }
}

describe('staging a file', () => {
  let sourceDir: string;
  let stagingRoot: string;
  beforeEach(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'ferry-stage-source-'));
    stagingRoot = await mkdtemp(join(tmpdir(), 'ferry-stage-'));
    await writeFile(join(sourceDir, 'short.pdf'), 'content');
  });
  afterEach(async () => {
    await rm(sourceDir, { recursive: true, force: true });
    await rm(stagingRoot, { recursive: true, force: true });
  });

  it('refuses a source name over 255 bytes by the source file, not the staging folder, and writes nothing', async () => {
    const error = await stageFile({
      source: new LongNamedSource(sourceDir),
      entry: { name: LONG, path: LONG, kind: 'file', size: 7 },
      staging: new LocalFs(stagingRoot),
      stagingRoot,
      stagedPath: `in/${LONG}`,
      journal: new MemoryResumeJournal(),
      stats: new TransferStats(),
      signal: new AbortController().signal,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).kind).toBe('unsafeName');
    expect((error as TransferError).message).toBe(
      `${LONG} cannot be staged: its name "${'資'.repeat(40)}…${'資'.repeat(15)}.pdf" is 304 bytes, and a name on this machine may have at most 255 bytes`,
    );
    expect(await readdir(stagingRoot)).toEqual([]);
  });
});
