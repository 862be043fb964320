import type { TransferErrorKind } from '../shared/model/errorKinds.js';
import type {
  HistoryItemStatus,
  ItemId,
  ItemRecord,
  ItemSearchHit,
  ItemStage,
  RunId,
  RunRecord,
  RunStatus,
  Verification,
} from './records.js';
import type { TrailStep } from './views.js';

// Rows as SQLite returns them. The union-typed columns hold only what the schema's CHECKs and the
// store's typed writes let in.

export interface RunRow {
  readonly id: RunId;
  readonly job: string;
  readonly kind: string;
  readonly source: string;
  readonly target: string;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly status: RunStatus;
  readonly dry_run: number;
  readonly files: number;
  readonly bytes: number;
  readonly failed: number;
  readonly skipped: number;
  readonly error: string | null;
}

export interface ItemRow {
  readonly id: ItemId;
  readonly run_id: RunId;
  readonly source_path: string;
  readonly target_path: string | null;
  readonly stage: ItemStage;
  readonly status: HistoryItemStatus;
  readonly bytes: number;
  readonly error_kind: TransferErrorKind | null;
  readonly reason: string | null;
  readonly verified_by: string | null;
  readonly checksum: string | null;
  readonly duration_ms: number | null;
  readonly updated_at: number;
}

export interface SearchRow extends ItemRow {
  readonly job: string;
  readonly run_started_at: number;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    job: row.job,
    kind: row.kind,
    source: row.source,
    target: row.target,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    status: row.status,
    dryRun: row.dry_run === 1,
    files: row.files,
    bytes: row.bytes,
    failed: row.failed,
    skipped: row.skipped,
    error: row.error ?? undefined,
  };
}

export function toItemRecord(row: ItemRow): ItemRecord {
  return {
    id: row.id,
    runId: row.run_id,
    sourcePath: row.source_path,
    targetPath: row.target_path ?? undefined,
    stage: row.stage,
    status: row.status,
    bytes: row.bytes,
    errorKind: row.error_kind ?? undefined,
    reason: row.reason ?? undefined,
    verifiedBy: parseVerifications(row.verified_by),
    ...(row.checksum === null ? {} : { checksum: row.checksum }),
    ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
    updatedAt: row.updated_at,
  };
}

export function toSearchHit(row: SearchRow): ItemSearchHit {
  return { ...toItemRecord(row), job: row.job, runStartedAt: row.run_started_at };
}

/** Stored as one readable column, e.g. 'size,sha256'. */
export function formatVerifications(verifiedBy: ReadonlyArray<Verification> | undefined): string | null {
  return verifiedBy === undefined || verifiedBy.length === 0 ? null : verifiedBy.join(',');
}

const VERIFICATIONS: Readonly<Record<Verification, true>> = { size: true, md5: true, sha1: true, sha256: true, boundary: true };

function parseVerifications(column: string | null): ReadonlyArray<Verification> {
  if (column === null) return [];
  return column.split(',').filter((v): v is Verification => Object.hasOwn(VERIFICATIONS, v));
}

export interface TrailRow extends SearchRow {
  readonly run_kind: string;
  readonly run_source: string;
  readonly run_target: string;
  readonly run_status: RunStatus;
}

export interface ValidationRow {
  readonly item_id: ItemId;
  readonly rule: string;
  readonly passed: number;
  readonly message: string;
  readonly at: number;
}

export interface QuarantineRow {
  readonly item_id: ItemId;
  readonly action: string;
  readonly reason: string;
  readonly location: string;
  readonly at: number;
}

/** Each item's run step, followed by what happened to that item, by time: a file's trail in order. */
export function toTrailSteps(rows: ReadonlyArray<TrailRow>, validations: ReadonlyArray<ValidationRow>, quarantine: ReadonlyArray<QuarantineRow>): TrailStep[] {
  return rows.flatMap((row): TrailStep[] => {
    const runId = row.run_id;
    const later: TrailStep[] = [
      ...validations
        .filter((v) => v.item_id === row.id)
        .map((v): TrailStep => ({ kind: 'validation', at: v.at, itemId: row.id, runId, rule: v.rule, passed: v.passed === 1, message: v.message })),
      ...quarantine
        .filter((q) => q.item_id === row.id)
        .map((q): TrailStep => ({ kind: 'quarantine', at: q.at, itemId: row.id, runId, action: q.action, reason: q.reason, location: q.location })),
    ].sort((a, b) => a.at - b.at);
    const run: TrailStep = {
      kind: 'run',
      at: row.run_started_at,
      item: toItemRecord(row),
      job: row.job,
      runKind: row.run_kind,
      source: row.run_source,
      target: row.run_target,
      runStatus: row.run_status,
    };
    return [run, ...later];
  });
}
