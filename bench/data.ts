import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chown, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytesOf, randomStream } from '../test/helpers/data.js';

export const BIG_NAME = 'big.bin';
export const SMALL_DIR = 'small';

export interface DataSpec {
  readonly bigBytes: number;
  readonly smallCount: number;
  readonly smallBytes: number;
}

/** The local source files and what a correct copy of them must look like. */
export interface DataSet extends DataSpec {
  readonly dir: string;
  readonly bigPath: string;
  readonly smallPath: string;
  readonly bigSha256: string;
  /** Digest over the sorted names and contents of the small files (see `treeDigest`). */
  readonly smallDigest: string;
}

export function smallName(i: number): string {
  return `f${String(i).padStart(5, '0')}.bin`;
}

/**
 * Pseudo-random, incompressible content: nothing on the path compresses, but a tool that did would gain
 * nothing either. Every small file differs, so a mixed-up or truncated file changes the digest.
 */
export async function createDataSet(dir: string, spec: DataSpec): Promise<DataSet> {
  await mkdir(join(dir, SMALL_DIR), { recursive: true });
  const bigPath = join(dir, BIG_NAME);
  const hash = createHash('sha256');
  const source = randomStream(spec.bigBytes, 'ferry-bench-big');
  source.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(source, createWriteStream(bigPath));
  const bigSha256 = hash.digest('hex');

  const smallPath = join(dir, SMALL_DIR);
  const all = randomBytesOf(spec.smallCount * spec.smallBytes, 'ferry-bench-small');
  for (let i = 0; i < spec.smallCount; i++) {
    await writeFile(join(smallPath, smallName(i)), all.subarray(i * spec.smallBytes, (i + 1) * spec.smallBytes));
  }
  const smallDigest = (await treeDigest(smallPath)).digest;
  return { ...spec, dir, bigPath, smallPath, bigSha256, smallDigest };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1024 * 1024 }), hash);
  return hash.digest('hex');
}

/** Files directly in `dir` (no sub-folders expected), with a digest over sorted names and contents. */
export async function treeDigest(dir: string): Promise<{ files: number; bytes: number; sizes: Set<number>; folders: number; digest: string }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  const folders = entries.filter((e) => e.isDirectory()).length;
  const hash = createHash('sha256');
  const sizes = new Set<number>();
  let bytes = 0;
  for (const name of names) {
    const content = await readFile(join(dir, name));
    sizes.add(content.length);
    bytes += content.length;
    hash.update(name).update('\0').update(content);
  }
  return { files: names.length, bytes, sizes, folders, digest: hash.digest('hex') };
}

export interface Verdict {
  readonly ok: boolean;
  readonly detail: string;
}

/** Checks a copied big file: present, exact size, same SHA-256. */
export async function verifyBig(path: string, data: DataSet): Promise<Verdict> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { ok: false, detail: `${path} is missing` };
  }
  if (size !== data.bigBytes) return { ok: false, detail: `${path} has ${size} bytes, expected ${data.bigBytes}` };
  const sha = await sha256File(path);
  if (sha !== data.bigSha256) return { ok: false, detail: `${path}: SHA-256 differs` };
  return { ok: true, detail: `size and SHA-256 match` };
}

/** Checks a copied folder of small files: count, every size, and the digest over names and contents. */
export async function verifySmall(dir: string, data: DataSet): Promise<Verdict> {
  let found: Awaited<ReturnType<typeof treeDigest>>;
  try {
    found = await treeDigest(dir);
  } catch {
    return { ok: false, detail: `${dir} is missing` };
  }
  if (found.folders > 0) return { ok: false, detail: `${dir} holds ${found.folders} unexpected folder(s)` };
  if (found.files !== data.smallCount) return { ok: false, detail: `${dir} holds ${found.files} files, expected ${data.smallCount}` };
  if (found.sizes.size !== 1 || !found.sizes.has(data.smallBytes)) {
    return { ok: false, detail: `${dir}: file sizes ${[...found.sizes].join(',')}, expected ${data.smallBytes}` };
  }
  if (found.digest !== data.smallDigest) return { ok: false, detail: `${dir}: contents differ` };
  return { ok: true, detail: `${found.files} files, sizes and contents match` };
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  const info = await stat(path);
  if (!info.isDirectory()) return;
  for (const name of await readdir(path)) await chownTree(join(path, name), uid, gid);
}

/**
 * Lays out a server's bench folder: `down/` holds the data to download, `up/` is where uploads land.
 * Everything belongs to the server's login user, as if that user had put it there.
 */
export async function seedServerFolder(home: string, data: DataSet): Promise<string> {
  const owner = await stat(home);
  const root = join(home, 'bench');
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'down'), { recursive: true });
  await cp(data.bigPath, join(root, 'down', BIG_NAME));
  await cp(data.smallPath, join(root, 'down', SMALL_DIR), { recursive: true });
  await mkdir(join(root, 'up'), { recursive: true });
  await chownTree(root, owner.uid, owner.gid);
  return root;
}

/** Empties a target folder, keeping the folder itself with its owner. */
export async function resetFolder(path: string, owner?: { uid: number; gid: number }): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await mkdir(path, { recursive: true });
  if (owner !== undefined) await chown(path, owner.uid, owner.gid);
}
