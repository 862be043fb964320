import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TransferError } from '../../connectors/errors.js';
import { checkJobDraft, type ConnectionExists } from '../../jobs/definition/checkJobDraft.js';
import { jobJsonSchema } from '../../jobs/definition/jobSchema.js';
import { jobNames, readJobText, saveJobText } from '../../jobs/jobFileText.js';
import { examplesFolder } from '../../jobs/examplesFolder.js';
import { freshJobName, jobTemplates } from '../../jobs/templates.js';
import type { JOB_FILES_COMMANDS } from '../../shared/contract/jobFileCommands.js';
import { editJobText } from '../../shared/jobs/editJobText.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/** The job editor: the same checks as `ferry run`, on the jobs folder `ferry run <name>` reads. */
export function jobFileHandlers({ workspace }: HostContext, examplesDir = examplesFolder()): HandlersOf<typeof JOB_FILES_COMMANDS> {
  const jobsDir = workspace.paths.jobs;
  const connectionExists: ConnectionExists = async (name) => (await workspace.connections.get(name)) !== undefined;
  return {
    'jobFiles.templates': async () => ({ templates: (await jobTemplates(examplesDir)).map(({ name, flow, description }) => ({ name, flow, description })) }),
    'jobFiles.template': async ({ name }) => {
      const template = (await jobTemplates(examplesDir)).find((t) => t.name === name);
      if (template === undefined) throw new TransferError('notFound', `There is no example flow named "${name}"`);
      const fresh = freshJobName(name, await jobNames(jobsDir));
      let text = editJobText(await readFile(template.file, 'utf8'), ['name'], fresh);
      // The example points editors at the schema from its own folder; from the jobs folder that path leads nowhere.
      if (text.includes('$schema:')) text = editJobText(text, ['$schema'], join(dirname(examplesDir), 'docs', 'job.schema.json'));
      return { name: fresh, text };
    },
    'jobFiles.read': async ({ name }) => readJobText(jobsDir, name),
    'jobFiles.schema': () => Promise.resolve({ schema: jobJsonSchema() }),
    'jobFiles.check': async ({ text }) => ({ problems: [...(await checkJobDraft(text, join(jobsDir, 'draft.yaml'), connectionExists)).problems] }),
    'jobFiles.save': async ({ name, text, replaces, overwrite }) => {
      const saved = await saveJobText(jobsDir, { name, text, replaces, overwrite }, connectionExists);
      return { name: saved.name, path: saved.path, problems: [...saved.problems] };
    },
  };
}
