import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFs } from '../../../src/connectors/local/LocalFs.js';

/** A fresh folder holding a source `src` and a destination `dst`, each opened as this computer's files. */
export interface LocalFolders {
  readonly dir: string;
  readonly src: LocalFs;
  readonly dst: LocalFs;
  /** Removes the folder and everything in it. */
  remove(): Promise<void>;
}

export async function localFolders(prefix: string): Promise<LocalFolders> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'dst'));
  return { dir, src: new LocalFs(join(dir, 'src')), dst: new LocalFs(join(dir, 'dst')), remove: () => rm(dir, { recursive: true, force: true }) };
}
