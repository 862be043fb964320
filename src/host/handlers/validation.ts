import { TransferError } from '../../connectors/errors.js';
import type { JobJournal, QuarantinedFile, ValidationLogEntry } from '../../history/JobJournal.js';
import type { LoadedJob } from '../../jobs/definition/loadJob.js';
import { InProcessJobRunner } from '../../jobs/JobRunner.js';
import type { JobServices } from '../../jobs/JobServices.js';
import { placeOf, previewQuarantined } from '../../jobs/quarantinePreview.js';
import { releaseQuarantined, returnQuarantined } from '../../jobs/quarantineActions.js';
import { jobOfQuarantined } from '../../jobs/quarantinedJob.js';
import { indexedPhrase } from '../../history/indexedPhrase.js';
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
      const log = await journal();
      const files = log.validationLog({
        limit,
        ...(filter.job === undefined ? {} : { job: filter.job }),
        ...(filter.outcome === undefined ? {} : { state: filter.outcome }),
        ...(filter.partner === undefined ? {} : { partner: filter.partner }),
        ...(filter.rule === undefined ? {} : { rule: filter.rule }),
        ...(filter.name === undefined ? {} : { phrase: indexedPhrase(filter.name) }),
        ...(filter.from === undefined ? {} : { from: filter.from }),
        ...(filter.to === undefined ? {} : { to: filter.to }),
        ...(before === undefined ? {} : { before }),
      });
      const last = files.at(-1);
      return { entries: files.map((f) => entryView(log, f)), ...(files.length === limit && last !== undefined ? { next: { at: last.at, id: last.id } } : {}) };
    },
    'validation.entry': async ({ id }) => {
      const log = await journal();
      const entry = existing(log.logEntry(id), id);
      const file = log.quarantinedFile(id);
      // Ferry keeps a copy of refused files only: a file that passed went on its way.
      if (file === undefined) return { entry: entryView(log, entry), firstLines: [], binary: false };
      const preview = await previewQuarantined(await jobServices(workspace), file, workspace.paths.jobs);
      return { entry: entryView(log, entry), firstLines: [...preview.firstLines], binary: preview.binary };
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
    if (file === undefined) answers.set(id, { id, file: journal.logEntry(id)?.file ?? '', outcome: 'failed', detail: journal.logEntry(id) === undefined ? `No file #${id} in the validation log` : `#${id} passed validation: there is nothing to release or return` });
    else if (file.state !== 'held') answers.set(id, { id, file: file.file, outcome: 'failed', detail: `#${id} ${file.file} was already ${file.state}` });
    else byJob.set(file.job, [...(byJob.get(file.job) ?? []), file]);
  }
  if (byJob.size > 0) {
    const services = await jobServices(workspace);
    for (const [name, files] of byJob) {
      try {
        for (const result of await act(services, await jobOfQuarantined(workspace, name, files), files)) answers.set(result.id, result);
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

function existing(file: ValidationLogEntry | undefined, id: number): ValidationLogEntry {
  if (file === undefined) throw new TransferError('notFound', `No file #${id} in the validation log`);
  return file;
}

/** An entry as the window shows it, with the files of the entries it is linked to. */
function entryView(journal: JobJournal, entry: ValidationLogEntry): ValidationEntryView {
  const linked = (id: number | undefined) => {
    const other = id === undefined ? undefined : journal.logEntry(id);
    return other === undefined ? undefined : { id: other.id, file: other.file };
  };
  const resubmissionOf = linked(entry.resubmissionOf);
  const resubmittedAs = linked(entry.resubmittedAs);
  return {
    id: entry.id,
    job: entry.job,
    file: entry.file,
    location: entry.location,
    outcome: entry.outcome,
    reasons: entry.reasons.map(placeOf),
    ...(entry.partner === undefined ? {} : { partner: entry.partner }),
    rules: [...entry.rules],
    ...(entry.ruleSet === undefined ? {} : { ruleSet: entry.ruleSet }),
    ...(resubmissionOf === undefined ? {} : { resubmissionOf }),
    ...(resubmittedAs === undefined ? {} : { resubmittedAs }),
    at: entry.at,
    updatedAt: entry.updatedAt,
  };
}
