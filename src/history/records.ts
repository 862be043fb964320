import type { HashKind } from '../connectors/types.js';
import type { ItemStatus } from '../engine/transfer.js';
import type { TransferErrorKind } from '../shared/model/errorKinds.js';

/** Distinct number types, so that an item id can never be passed where a run id is expected. */
export type RunId = number & { readonly __brand: 'RunId' };
export type ItemId = number & { readonly __brand: 'ItemId' };

/**
 * 'running' until `finishRun`. A run whose process ended before it could say how the run ended is
 * marked 'interrupted' when the history is next read or opened; a job's run stays 'running' instead,
 * for the job's next start to take over and finish.
 */
export type RunStatus = 'running' | FinishedRunStatus | 'interrupted';
/** How a process that saw its run through says it ended. */
export type FinishedRunStatus = 'succeeded' | 'partial' | 'failed' | 'cancelled';

/**
 * The engine's outcomes, plus the states an item has before it has one or after validation rejects it,
 * and 'deleted' for a file a sync removed from its destination (or moved to its backup folder).
 */
export type HistoryItemStatus = ItemStatus | 'pending' | 'quarantined' | 'deleted';

/** The last pipeline stage an item reached. */
export type ItemStage = 'discovered' | 'validated' | 'transferred' | 'verified' | 'done';

export type Verification = 'size' | HashKind | 'boundary';

export interface NewRun {
  /** The job's name, or the command ('copy', 'move', 'sync') for an ad-hoc CLI run. */
  readonly job: string;
  /** What the run does: 'copy', 'move' or 'sync', or 'job' for a job's run, which the job's next start takes over. */
  readonly kind: string;
  /** Human-readable locations (connection name and path): never URLs with credentials. */
  readonly source: string;
  readonly target: string;
  readonly dryRun: boolean;
  /** Epoch ms; defaults to now. Runs are listed by this time. */
  readonly startedAt?: number;
  /**
   * The process running it (`processOwner()`), which then beats for it (`JobJournal.heartbeat`). A run
   * without one is never marked interrupted: no one could tell whether it is still in progress.
   */
  readonly owner?: string;
}

export interface RunOutcome {
  readonly status: FinishedRunStatus;
  readonly files: number;
  readonly bytes: number;
  readonly failed: number;
  readonly skipped: number;
  /** Why the whole run failed or stopped, when it did. */
  readonly error?: string;
  readonly finishedAt?: number;
}

export interface RunRecord {
  readonly id: RunId;
  readonly job: string;
  readonly kind: string;
  readonly source: string;
  readonly target: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly status: RunStatus;
  readonly dryRun: boolean;
  readonly files: number;
  readonly bytes: number;
  readonly failed: number;
  readonly skipped: number;
  readonly error?: string;
}

/** The shape of the engine's `ItemResult`, named after the columns it fills. */
export interface ItemUpdate {
  /** Relative to the source connection's root; with the run, identifies the item. */
  readonly sourcePath: string;
  /** Once known, kept by later updates that leave it out. */
  readonly targetPath?: string;
  readonly stage: ItemStage;
  readonly status: HistoryItemStatus;
  readonly bytes: number;
  readonly errorKind?: TransferErrorKind;
  readonly reason?: string;
  readonly verifiedBy?: ReadonlyArray<Verification>;
  /** The digest the destination reported for what it stored, `md5:…`; kept by later updates that leave it out. */
  readonly checksum?: string;
  /** How long the copy took; kept by later updates that leave it out. */
  readonly durationMs?: number;
}

export interface ItemRecord {
  readonly id: ItemId;
  readonly runId: RunId;
  readonly sourcePath: string;
  readonly targetPath?: string;
  readonly stage: ItemStage;
  readonly status: HistoryItemStatus;
  readonly bytes: number;
  readonly errorKind?: TransferErrorKind;
  readonly reason?: string;
  readonly verifiedBy: ReadonlyArray<Verification>;
  readonly checksum?: string;
  readonly durationMs?: number;
  readonly updatedAt: number;
}

/** A file-name search result, with enough of its run to show where it came from. */
export interface ItemSearchHit extends ItemRecord {
  readonly job: string;
  readonly runStartedAt: number;
}

export interface ValidationResult {
  readonly itemId: ItemId;
  readonly rule: string;
  readonly passed: boolean;
  readonly message: string;
  readonly at?: number;
}

export type QuarantineAction = 'quarantined' | 'released' | 'returned' | 'revalidated';

export interface QuarantineEvent {
  /** Absent when the event concerns a file no recorded item stands for (e.g. one released by hand). */
  readonly itemId?: ItemId;
  readonly job: string;
  readonly file: string;
  /** Where the file is kept while quarantined. */
  readonly location: string;
  readonly reason: string;
  readonly action: QuarantineAction;
  readonly at?: number;
}

export interface NotificationSent {
  /** Absent for notifications that concern no single run. */
  readonly runId?: RunId;
  readonly channel: string;
  readonly recipient: string;
  readonly subject: string;
  /** Delivery outcome as the channel reported it, e.g. 'sent' or 'failed'. */
  readonly status: string;
  readonly error?: string;
  readonly at?: number;
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly detail: string;
  readonly at?: number;
}

/** Every criterion is optional; `from` is inclusive and `to` exclusive, both epoch ms of the start. */
export interface RunFilter {
  readonly job?: string;
  readonly status?: RunStatus;
  readonly from?: number;
  readonly to?: number;
}

export interface RunsPageQuery extends RunFilter {
  /** Defaults to 50. */
  readonly limit?: number;
  /** The last run of the previous page: the page continues with the runs listed after it. */
  readonly before?: RunId;
}

export interface ItemsPageQuery {
  readonly status?: HistoryItemStatus;
  readonly limit: number;
  /** The last source path of the previous page: items are listed by source path. */
  readonly after?: string;
}

export interface RetentionPolicy {
  /** Runs that started longer ago than this are deleted. */
  readonly keepDays: number;
  /** When set, only this many of the newest runs are kept, however recent the others. */
  readonly keepRuns?: number;
}
