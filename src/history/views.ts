import type { ItemId, ItemRecord, RunId, RunStatus } from './records.js';

// What the window's history screen reads besides runs and a run's items: file-name searches paged
// through the name index, and a file's trail through every run that touched it.

export interface ItemSearchPageQuery {
  /** Three characters or more: the name index finds nothing shorter. */
  readonly text: string;
  readonly limit: number;
  /** The last hit of the previous page: hits are listed newest item first. */
  readonly before?: ItemId;
}

export interface FileTrailQuery {
  /** The file's name, exactly: the last segment of its source path in each run. */
  readonly name: string;
  readonly limit: number;
  /** The last item of the previous page: items are listed in the order they were recorded. */
  readonly after?: ItemId;
}

/** One step of a file's way: a run that handled it, a validation of it, or a quarantine event. */
export type TrailStep =
  | {
      readonly kind: 'run';
      readonly at: number;
      readonly item: ItemRecord;
      readonly job: string;
      readonly runKind: string;
      readonly source: string;
      readonly target: string;
      readonly runStatus: RunStatus;
    }
  | { readonly kind: 'validation'; readonly at: number; readonly itemId: ItemId; readonly runId: RunId; readonly rule: string; readonly passed: boolean; readonly message: string }
  | { readonly kind: 'quarantine'; readonly at: number; readonly itemId: ItemId; readonly runId: RunId; readonly action: string; readonly reason: string; readonly location: string };

export interface FileTrailPage {
  readonly steps: ReadonlyArray<TrailStep>;
  /** The `after` of the next page; undefined on the last. */
  readonly next?: ItemId;
}
