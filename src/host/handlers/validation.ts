import { findJob } from '../../cli/commands/jobs.js';
import { TransferError } from '../../connectors/errors.js';
import type { QuarantinedFile } from '../../history/JobJournal.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import { InProcessJobRunner } from '../../jobs/JobRunner.js';
import type { JobServices } from '../../jobs/JobServices.js';
import { placeOf, previewQuarantined } from '../../jobs/quarantinePreview.js';
import { releaseQuarantined, returnQuarantined } from '../../jobs/quarantineActions.js';
import type { ValidationActionResult, ValidationEntryView, VALIDATION_COMMANDS } from '../../shared/contract/validationCommands.js';
import { jobServices } from '../../workspace/jobServices.js';
import type { Workspace } from '../../workspace/Workspace.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/** What is done to each held file of a selection, once its job is loaded. */
type Act = (services: JobServices, job: LoadedJob, files: ReadonlyArray<QuarantinedFile>) => Promise<ValidationActionResult[]>;

/** The validation log: the quarantine's journal and the same release and return as `ferry quarantine`. */
export function validationHandlers({ workspace }: HostContext): HandlersOf<typeof VALIDATION_COMMANDS> {
  const journal = async () => (await workspace.history()).journal();
  return {
    'validation.log': async ({ filter, before, limit }) => {
      const files = (await journal()).quarantineLog({
        limit,
        ...(filter.job === undefined ? {} : { job: filter.job }),
        ...(filter.outcome === undefined ? {} : { state: filter.outcome }),
        ...(filter.from === undefined ? {} : { from: filter.from }),
        ...(filter.to === undefined ? {} : { to: filter.to }),
        ...(before === undefined ? {} : { before }),
      });
      const last = files.at(-1);
      return { entries: files.map(entryView), ...(files.length === limit && last !== undefined ? { next: { at: last.at, id: last.id } } : {}) };
    },
    'validation.entry': async ({ id }) => {
      const file = existing((await journal()).quarantinedFile(id), id);
      const preview = await previewQuarantined(await jobServices(workspace), file, workspace.paths.jobs);
      return { entry: entryView(file), firstLines: [...preview.firstLines], binary: preview.binary };
    },
    'validation.release': async ({ ids, revalidate }) =>
      actOn(workspace, ids, async (services, job, files) => {
        const results = await releaseQuarantined(services, new InProcessJobRunner(services), job, files, revalidate, new AbortController().signal);
        return results.map((r) => ({ id: r.file.id, file: r.file.file, outcome: r.outcome, detail: r.detail }));
      }),
    'validation.return': async ({ ids, note }) =>
      actOn(workspace, ids, async (services, job, files) => {
        const results: ValidationActionResult[] = [];
        for (const file of files) {
          try {
            const returned = await returnQuarantined(services, job, file, note, new AbortController().signal);
            results.push({ id: file.id, file: file.file, outcome: 'returned', detail: `${returned.file}, with the note ${returned.note}` });
          } catch (e) {
            results.push(failed(file.id, file.file, e));
          }
        }
        return results;
      }),
  };
}

/**
 * Acts on the held files among `ids`, a job at a time, and answers for each id in the order given:
 * one file that cannot be acted on (gone, no longer held, its job missing) does not stop the others.
 */
async function actOn(workspace: Workspace, ids: ReadonlyArray<number>, act: Act): Promise<{ results: ValidationActionResult[] }> {
  const journal = (await workspace.history()).journal();
  const answers = new Map<number, ValidationActionResult>();
  const byJob = new Map<string, QuarantinedFile[]>();
  for (const id of new Set(ids)) {
    const file = journal.quarantinedFile(id);
    if (file === undefined) answers.set(id, { id, file: '', outcome: 'failed', detail: `No quarantined file #${id}` });
    else if (file.state !== 'held') answers.set(id, { id, file: file.file, outcome: 'failed', detail: `#${id} ${file.file} was already ${file.state}` });
    else byJob.set(file.job, [...(byJob.get(file.job) ?? []), file]);
  }
  if (byJob.size > 0) {
    const services = await jobServices(workspace);
    for (const [name, files] of byJob) {
      try {
        for (const result of await act(services, await findJob(workspace, name), files)) answers.set(result.id, result);
      } catch (e) {
        for (const file of files) answers.set(file.id, failed(file.id, file.file, e));
      }
    }
  }
  return { results: [...new Set(ids)].flatMap((id) => answers.get(id) ?? []) };
}

function failed(id: number, file: string, e: unknown): ValidationActionResult {
  return { id, file, outcome: 'failed', detail: e instanceof Error ? e.message : String(e) };
}

function existing(file: QuarantinedFile | undefined, id: number): QuarantinedFile {
  if (file === undefined) throw new TransferError('notFound', `No quarantined file #${id} in the validation log`);
  return file;
}

function entryView(file: QuarantinedFile): ValidationEntryView {
  return {
    id: file.id,
    job: file.job,
    file: file.file,
    location: file.location,
    outcome: file.state,
    reasons: file.reasons.map(placeOf),
    at: file.at,
    updatedAt: file.updatedAt,
  };
}
