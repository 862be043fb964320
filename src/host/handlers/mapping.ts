import { previewDraft } from '../../mapping/draftPreview.js';
import { profileNames, profilesFolder, readProfileFile, saveProfileFile, type ProfileFile } from '../../mapping/profileFiles.js';
import type { MAPPING_COMMANDS, ProfileDraft, ProfileSummary } from '../../shared/contract/mappingCommands.js';
import { withLocalSample } from '../profileSample.js';
import type { HandlersOf, HostContext } from './HostContext.js';

function summaryOf(file: ProfileFile): ProfileSummary {
  if (file.profile === undefined) return { name: file.name, directions: [], problem: file.problem ?? `The partner profile ${file.file} cannot be read` };
  const directions = (['inbound', 'outbound'] as const).filter((direction) => file.profile?.[direction] !== undefined);
  return { name: file.name, partner: file.profile.partner, directions };
}

/** A checked profile as the window edits it: the file's own structure, which the contract's draft schema mirrors. */
function draftOf(file: ProfileFile): ProfileDraft | undefined {
  return file.profile === undefined ? undefined : (JSON.parse(JSON.stringify(file.profile)) as ProfileDraft);
}

/** Partner formats: the same profile files, conversion and checks as jobs and `ferry profile test`. */
export function mappingHandlers({ workspace, connections }: HostContext): HandlersOf<typeof MAPPING_COMMANDS> {
  const folder = (): string => profilesFolder(workspace.paths.jobs);
  return {
    'mapping.profiles': async () => {
      const files = await Promise.all((await profileNames(folder())).map((name) => readProfileFile(folder(), name).catch((e: unknown) => ({ name, file: name, yaml: '', problem: (e as Error).message }))));
      return { folder: folder(), profiles: files.map(summaryOf) };
    },
    'mapping.read': async ({ name }) => {
      const file = await readProfileFile(folder(), name);
      const profile = draftOf(file);
      return { name, file: file.file, yaml: file.yaml, ...(profile === undefined ? {} : { profile }), ...(file.problem === undefined ? {} : { problem: file.problem }) };
    },
    'mapping.preview': async ({ profile, direction, sample, rows }) => {
      const input = profile[direction]?.input ?? {};
      return withLocalSample(sample, input, (name) => connections.get(name), async (local) => {
        const preview = await previewDraft(profile, direction, local.path, local.label, new Date(), rows);
        return {
          sample: local.label,
          partial: local.partial,
          profileProblems: preview.profileProblems.map((p) => ({ path: [...p.path], message: p.message })),
          sampleProblems: [...preview.sampleProblems],
          before: [...preview.before],
          after: [...preview.after],
          rows: preview.rows.map((row) => ({ ...row, before: { ...row.before }, ...(row.after === undefined ? {} : { after: { ...row.after } }) })),
        };
      });
    },
    'mapping.save': async ({ name, profile }) => {
      const saved = await saveProfileFile(folder(), name, profile);
      return { name, file: saved.file, yaml: saved.yaml };
    },
  };
}
