import { createHash } from 'node:crypto';
import { chown, cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { JobRunResult } from '../../src/jobs/runJob.js';
import type { FerryRun } from '../helpers/runFerry.js';
import type { FtpServerInfo, SftpServerInfo } from '../helpers/servers/types.js';
import type { TestOrg } from '../helpers/salesforce.js';
import type { JobWorld } from '../jobs/harness.js';

/** The repository's examples folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Copies `examples/<name>` into the world's work folder, so the job's relative folders resolve there. */
export async function copyExample(world: JobWorld, name: string): Promise<void> {
  await cp(join(EXAMPLES_DIR, name), world.work, { recursive: true });
}

/** Every file below `dir`, by POSIX path relative to it, with its content. */
export async function filesUnder(dir: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path).split(sep).join('/')] = await readFile(path);
  }
  return out;
}

/** The sorted relative paths of every file below `dir` (none when it does not exist). */
export async function pathsUnder(dir: string): Promise<string[]> {
  const exists = await stat(dir).then(() => true, () => false);
  return exists ? Object.keys(await filesUnder(dir)).sort() : [];
}

/** Writes files below a server folder and hands them (and the folders made) to the folder's owner. */
export async function seedServerFolder(root: string, tree: Readonly<Record<string, string | Buffer>>): Promise<void> {
  const owner = await stat(root);
  for (const [path, content] of Object.entries(tree)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  await chownTree(root, owner.uid, owner.gid);
}

/** Gives `root` and everything below it to uid:gid, so a server user may read, rename and delete it. */
export async function chownTree(root: string, uid: number, gid: number): Promise<void> {
  await chown(root, uid, gid);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) await chown(join(entry.parentPath, entry.name), uid, gid);
}

/** `ferry connection add <name> sftp://...` with the test server's password, trusting its host key. */
export async function addSftpConnection(world: Pick<JobWorld, 'ferry'>, name: string, sftp: SftpServerInfo, absolutePath: string): Promise<void> {
  const added = await world.ferry(
    ['connection', 'add', name, `sftp://${sftp.user}@${sftp.host}:${sftp.port}${absolutePath}`, '--password-stdin', '--accept-new-host-key'],
    `${sftp.password}\n`,
  );
  expect(added.code, added.err).toBe(0);
}

/** `ferry connection add <name> ftpes://...` (or ftp:// for a server without TLS), pinning the server's certificate. */
export async function addFtpConnection(world: JobWorld, name: string, ftp: FtpServerInfo, folder: string): Promise<void> {
  const tls = ftp.secure !== 'none';
  const scheme = ftp.secure === 'implicit' ? 'ftps' : tls ? 'ftpes' : 'ftp';
  const pin = tls ? ['--tls-fingerprint', (ftp.certFingerprint256 ?? '').toLowerCase()] : [];
  const added = await world.ferry(['connection', 'add', name, `${scheme}://${ftp.user}@${ftp.host}:${ftp.port}/${folder}`, '--password-stdin', ...pin], `${ftp.password}\n`);
  expect(added.code, added.err).toBe(0);
}

/** `ferry connection salesforce <name>` against a sandbox org, signing in with its JWT key. */
export async function addOrgConnection(world: Pick<JobWorld, 'ferry'>, name: string, org: TestOrg): Promise<void> {
  const { sandbox } = org;
  const added = await world.ferry([
    'connection', 'salesforce', name, '--login', sandbox.url, '--client-id', sandbox.jwt.clientId,
    '--jwt-key', sandbox.jwt.keyFile, '--username', sandbox.context.defaultUser.username,
  ]);
  expect(added.code, added.err).toBe(0);
}

/** Runs `ferry run <job> --json [extra]` and returns the parsed result. */
export async function runJobCli(world: JobWorld, jobPath: string, extra: ReadonlyArray<string> = []): Promise<JobRunResult> {
  const run: FerryRun = await world.ferry(['run', jobPath, '--json', ...extra]);
  try {
    return JSON.parse(run.out) as JobRunResult;
  } catch {
    throw new Error(`ferry run did not print JSON (exit ${run.code}): ${run.err}${run.out}`);
  }
}

/** Each file's path and outcome, sorted by path. */
export function outcomes(result: JobRunResult): Array<[string, string]> {
  return result.files.map((f): [string, string] => [f.path, f.outcome]).sort(([a], [b]) => a.localeCompare(b));
}

/** One Salesforce file version, as the examples check them. */
export interface FileVersion {
  readonly Id: string;
  readonly Title: string;
  readonly PathOnClient: string;
  readonly VersionNumber: string;
  readonly ContentDocumentId: string;
  readonly FirstPublishLocationId: string;
  readonly Checksum: string;
  readonly ContentSize: number;
}

/** Every version of every file linked to a record, by title and version number. */
export async function versionsOn(org: TestOrg, recordId: string): Promise<FileVersion[]> {
  const session = org.session();
  const links = await session.query<{ ContentDocumentId: string }>(`SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${recordId}'`, 'links');
  if (links.length === 0) return [];
  const ids = links.map((l) => `'${l.ContentDocumentId}'`).join(',');
  return session.query<FileVersion>(
    `SELECT Id, Title, PathOnClient, VersionNumber, ContentDocumentId, FirstPublishLocationId, Checksum, ContentSize FROM ContentVersion WHERE ContentDocumentId IN (${ids}) ORDER BY Title, VersionNumber`,
    'versions',
  );
}

/** The id of the one record a SOQL condition finds. */
export async function recordId(org: TestOrg, object: string, where: string): Promise<string> {
  const rows = await org.session().query<{ Id: string }>(`SELECT Id FROM ${object} WHERE ${where}`, object);
  const [only, ...more] = rows;
  if (only === undefined || more.length > 0) throw new Error(`${rows.length} ${object} records where ${where}`);
  return only.Id;
}

/** The MD5 Salesforce reports as a file version's Checksum. */
export function md5(content: string | Buffer): string {
  return createHash('md5').update(content).digest('hex');
}
