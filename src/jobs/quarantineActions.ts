import { Readable } from 'node:stream';
import { TransferError } from '../connectors/errors.js';
import { joinRelative } from '../connectors/paths.js';
import { transfer } from '../engine/transfer.js';
import type { QuarantinedFile } from '../history/JobJournal.js';
import { renderTemplate } from '../mapping/template.js';
import type { LoadedJob } from './definition/loadJob.js';
import type { JobServices } from './JobServices.js';
import type { JobRunner } from './JobRunner.js';

export interface ReleaseResult {
  readonly file: QuarantinedFile;
  readonly outcome: 'released' | 'still-invalid' | 'failed';
  readonly detail: string;
}

/**
 * Sends quarantined files through the job's mapping and routes, from their quarantine folder. With
 * `revalidate` they must pass the job's current rules first; a file that still fails stays held with
 * the new reasons. A released file's quarantine copy is kept as evidence.
 */
export async function releaseQuarantined(
  services: JobServices,
  runner: JobRunner,
  job: LoadedJob,
  files: ReadonlyArray<QuarantinedFile>,
  revalidate: boolean,
  signal: AbortSignal,
): Promise<ReleaseResult[]> {
  const journal = services.history.journal();
  const result = await runner.run({ job, dryRun: false, signal, quarantined: { files, revalidate } });
  return files.map((file): ReleaseResult => {
    const report = result.files.find((f) => f.path === file.file);
    if (report?.outcome === 'delivered') {
      journal.setQuarantineState(file.id, 'released');
      services.history.recordQuarantine({ job: file.job, file: file.file, location: file.location, reason: revalidate ? 'passed validation again' : 'released by hand', action: revalidate ? 'revalidated' : 'released' });
      services.history.audit({ actor: services.owner, action: revalidate ? 'quarantine.revalidate' : 'quarantine.release', detail: `#${file.id} ${file.file} (run ${result.runId})` });
      return { file, outcome: 'released', detail: report.deliveries.map((d) => d.target).join(', ') };
    }
    if (report?.outcome === 'quarantined') {
      const reasons = report.verdict?.reasons ?? [];
      journal.setQuarantineState(file.id, 'held', reasons);
      services.history.recordQuarantine({ job: file.job, file: file.file, location: file.location, reason: JSON.stringify(reasons), action: 'revalidated' });
      return { file, outcome: 'still-invalid', detail: reasons.map((r) => `${r.rule}: ${r.message}`).join('; ') };
    }
    return { file, outcome: 'failed', detail: report?.reason ?? `run ${result.runId} did not handle it` };
  });
}

/**
 * Sends a quarantined file back to the partner's drop zone (`quarantine.returnTo`) with a plain-text
 * rejection note listing why it was refused, so the partner can send a corrected version.
 */
export async function returnQuarantined(
  services: JobServices,
  job: LoadedJob,
  file: QuarantinedFile,
  note: string | undefined,
  signal: AbortSignal,
): Promise<{ file: string; note: string }> {
  const { definition } = job;
  if (definition.quarantine.returnTo === undefined) {
    throw new TransferError('config', `The job ${definition.name} has no quarantine.returnTo: there is nowhere to send ${file.file} back to`);
  }
  const name = file.file.split('/').pop() ?? file.file;
  const from = await services.open(file.location, job.baseDir);
  const to = await services.open(definition.quarantine.returnTo, job.baseDir);
  try {
    const summary = await transfer({
      source: from.fs,
      sourcePath: joinRelative(from.path, name),
      target: to.fs,
      targetPath: `${to.path.replace(/\/$/, '')}/`,
      recursive: false,
      policy: 'overwrite',
      move: false,
      dryRun: false,
      journal: services.resumeJournal,
      signal,
    });
    const failure = summary.failed[0];
    if (failure !== undefined) throw new TransferError(failure.kind, `Returning ${file.file} failed: ${failure.reason}`);
    const noteName = renderTemplate(definition.quarantine.note, { name, now: new Date(services.now?.() ?? Date.now()) });
    const notePath = joinRelative(to.path, noteName);
    const text = rejectionNote(definition.name, file, note);
    await to.fs.write(notePath, Readable.from([Buffer.from(text)]), { size: Buffer.byteLength(text) });
    const returnedTo = `${definition.quarantine.returnTo.replace(/\/$/, '')}/${name}`;
    services.history.journal().setQuarantineState(file.id, 'returned');
    services.history.recordQuarantine({ job: file.job, file: file.file, location: returnedTo, reason: note ?? 'returned to the partner', action: 'returned' });
    services.history.audit({ actor: services.owner, action: 'quarantine.return', detail: `#${file.id} ${file.file} → ${returnedTo}` });
    const outcomes = await services.notifier.notify(definition.notify, {
      event: 'returned',
      job: definition.name,
      subject: `${definition.name}: ${file.file} returned to the partner`,
      text,
      facts: { job: definition.name, file: file.file, returnedTo, note: note ?? '' },
    });
    for (const o of outcomes) services.history.recordNotification({ channel: o.channel, recipient: o.recipient, subject: `${file.file} returned`, status: o.status, ...(o.error === undefined ? {} : { error: o.error }) });
    return { file: returnedTo, note: noteName };
  } finally {
    await Promise.allSettled([from.fs.close(), to.fs.close()]);
  }
}

function rejectionNote(job: string, file: QuarantinedFile, note: string | undefined): string {
  const lines = [
    `${file.file} was not accepted (${job}, received ${new Date(file.at).toISOString()}).`,
    '',
    'Reasons:',
    ...file.reasons.map((r) => `- ${r.rule}: ${r.message}`),
    ...(note === undefined ? [] : ['', note]),
    '',
    'Please correct the file and send it again under the same name.',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
