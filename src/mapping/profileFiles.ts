import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Document, parseDocument } from 'yaml';
import { readUserFile, UserFileError } from '../config/readUserFile.js';
import { documentText, updateDocument } from '../config/yamlDocument.js';
import { TransferError } from '../connectors/errors.js';
import { describeIssues, parseProfile, partnerProfileSchema, profileIssues, type PartnerProfile } from './profile.js';

/** Jobs name their profiles `profiles/<file>` beside them, so the workspace keeps them below its jobs folder. */
export function profilesFolder(jobsFolder: string): string {
  return join(jobsFolder, 'profiles');
}

/** A profile file's name: one path segment ending in .yaml or .yml, so no name reaches outside the folder. */
export const PROFILE_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_ .-]*\.ya?ml$/;

/** No profile is anywhere near this big; a larger file is refused before it is parsed. */
const MAX_PROFILE_BYTES = 1024 * 1024;

export interface ProfileFile {
  readonly name: string;
  /** The file's path, for messages. */
  readonly file: string;
  readonly yaml: string;
  /** Undefined when the file is not a valid profile; `problem` says why. */
  readonly profile?: PartnerProfile;
  readonly problem?: string;
}

function pathOf(folder: string, name: string): string {
  if (!PROFILE_FILE_NAME.test(name) || name.includes('..')) {
    throw new TransferError('unsafeName', `"${name}" is not a profile file name: use letters, digits, spaces, dots, dashes or underscores, ending in .yaml`);
  }
  return join(folder, name);
}

/** The profile files of the folder, by name; an absent folder has none. */
export async function profileNames(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => PROFILE_FILE_NAME.test(name)).sort((a, b) => a.localeCompare(b));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Reads one profile; a file that is not valid YAML or not a valid profile comes back with its text and the reason. */
export async function readProfileFile(folder: string, name: string): Promise<ProfileFile> {
  const file = pathOf(folder, name);
  const yaml = (await readUserFile(file, 'partner profile', { maxBytes: MAX_PROFILE_BYTES })).toString('utf8');
  const doc = parseDocument(yaml);
  const syntax = doc.errors[0];
  if (syntax !== undefined) return { name, file, yaml, problem: `The partner profile ${file} is not valid YAML: ${syntax.message}` };
  try {
    return { name, file, yaml, profile: parseProfile(doc.toJS(), file) };
  } catch (e) {
    return { name, file, yaml, problem: (e as Error).message };
  }
}

async function existingText(file: string): Promise<string | undefined> {
  try {
    return (await readUserFile(file, 'partner profile', { maxBytes: MAX_PROFILE_BYTES })).toString('utf8');
  } catch (e) {
    if (e instanceof UserFileError && e.reason === 'no such file') return undefined;
    throw e;
  }
}

/**
 * Writes `draft` as the profile `name`, over the file as it is now on disk: comments, key order and style
 * are kept (see updateDocument). A draft that is not a valid profile is refused with every reason and the
 * file is left as it was; the new text replaces the old by a rename, so a crash leaves one or the other.
 */
export async function saveProfileFile(folder: string, name: string, draft: unknown): Promise<ProfileFile> {
  const file = pathOf(folder, name);
  const issues = profileIssues(draft);
  if (issues.length > 0) throw new TransferError('config', `Not saved: ${describeIssues(issues, file)}`);
  const profile = parseProfile(draft, file);
  const before = await existingText(file);
  const doc = before === undefined ? new Document() : parseDocument(before);
  if (doc.errors[0] !== undefined) {
    throw new TransferError('config', `The partner profile ${file} is not valid YAML (${doc.errors[0].message}): correct it in a text editor first, so that nothing in it is lost`);
  }
  updateDocument(doc, draft);
  const yaml = documentText(doc, before ?? '');
  // What is written must read back as the profile that was checked.
  if (!isDeepStrictEqual(partnerProfileSchema.safeParse(parseDocument(yaml).toJS()).data, profile)) {
    throw new TransferError('integrity', `The partner profile ${file} would not read back as it was edited, so it was left as it was`);
  }
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, yaml);
    await rename(temporary, file);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
  return { name, file, yaml, profile };
}
