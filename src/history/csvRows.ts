import type { CsvField } from './csv.js';
import type { ItemRecord, ItemSearchHit, RunRecord } from './records.js';
import type { TrailStep } from './views.js';

// The columns of every history export, the command line's and the window's: one header and one
// mapping per kind of row, so both give the same file for the same view.

export const RUN_CSV_HEADER = ['id', 'job', 'kind', 'source', 'target', 'started_at', 'finished_at', 'status', 'dry_run', 'files', 'bytes', 'failed', 'skipped', 'error'];

export function runCsvFields(run: RunRecord): CsvField[] {
  return [
    run.id,
    run.job,
    run.kind,
    run.source,
    run.target,
    isoTime(run.startedAt),
    isoTime(run.finishedAt),
    run.status,
    run.dryRun ? 'yes' : 'no',
    run.files,
    run.bytes,
    run.failed,
    run.skipped,
    run.error,
  ];
}

export const ITEM_CSV_HEADER = ['source_path', 'target_path', 'stage', 'status', 'bytes', 'error_kind', 'reason', 'verified_by', 'checksum', 'duration_ms', 'updated_at'];

export function itemCsvFields(item: ItemRecord): CsvField[] {
  return [
    item.sourcePath,
    item.targetPath,
    item.stage,
    item.status,
    item.bytes,
    item.errorKind,
    item.reason,
    item.verifiedBy.join(' '),
    item.checksum,
    item.durationMs,
    isoTime(item.updatedAt),
  ];
}

/** A search hit is an item with its run in front. */
export const HIT_CSV_HEADER = ['run_id', 'job', 'run_started_at', ...ITEM_CSV_HEADER];

export function hitCsvFields(hit: ItemSearchHit): CsvField[] {
  return [hit.runId, hit.job, isoTime(hit.runStartedAt), ...itemCsvFields(hit)];
}

export const TRAIL_CSV_HEADER = ['at', 'step', 'run_id', 'job', 'source_path', 'target_path', 'status', 'bytes', 'detail'];

export function trailCsvFields(step: TrailStep): CsvField[] {
  switch (step.kind) {
    case 'run':
      return [isoTime(step.at), step.runKind, step.item.runId, step.job, step.item.sourcePath, step.item.targetPath, step.item.status, step.item.bytes, step.item.reason];
    case 'validation':
      return [isoTime(step.at), 'validation', step.runId, undefined, undefined, undefined, step.passed ? 'passed' : 'failed', undefined, `${step.rule}: ${step.message}`];
    case 'quarantine':
      return [isoTime(step.at), 'quarantine', step.runId, undefined, undefined, step.location, step.action, undefined, step.reason];
  }
}

function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
