import type { RemoteFs } from '../connectors/types.js';
import type { BandwidthLimits } from '../engine/bandwidth/BandwidthLimits.js';
import type { ResumeJournal } from '../engine/ResumeJournal.js';
import type { WrittenFiles } from '../engine/WrittenFiles.js';
import type { HistoryStore } from '../history/HistoryStore.js';
import type { Notifier } from '../notify/Notifier.js';
import type { ConnectionBudget } from '../schedule/ConnectionBudget.js';

/** A location a job names, opened: the connector and the path inside it. */
export interface OpenedJobLocation {
  readonly fs: RemoteFs;
  /** Relative to the connector root. */
  readonly path: string;
  /** The connection's name, or `local` for a folder of this machine: what budgets are counted on. */
  readonly connection: string;
}

/** A location as people read it: `/abs/folder` on this machine, `connection:path` elsewhere. */
export function displayLocation(connection: string, path: string): string {
  return connection === 'local' ? `/${path}` : `${connection}:${path}`;
}

/** Something worth showing while a run goes on. */
export type RunEvent =
  | { readonly kind: 'started'; readonly runId: number; readonly resumed: boolean }
  | { readonly kind: 'discovered'; readonly files: number; readonly waiting: number }
  | { readonly kind: 'waiting'; readonly path: string; readonly why: string }
  | { readonly kind: 'item'; readonly path: string; readonly status: string; readonly detail: string }
  | { readonly kind: 'notice'; readonly message: string };

/**
 * What a run needs from its surroundings. The CLI and the desktop app build it from the workspace;
 * tests build it from temporary folders.
 */
export interface JobServices {
  readonly history: HistoryStore;
  /** Opens a location as a job file writes it; relative local folders against `baseDir`. New connector per call. */
  readonly open: (location: string, baseDir: string) => Promise<OpenedJobLocation>;
  readonly notifier: Notifier;
  /** A secret from the secret store by name (HTTP headers of routes). */
  readonly secret: (name: string) => Promise<string | undefined>;
  /** Where runs stage their files (a run's folder is removed when it finishes). */
  readonly stagingDir: string;
  /** The default quarantine folder. */
  readonly quarantineDir: string;
  /** The engine's resume journal, for large files interrupted mid-transfer. */
  readonly resumeJournal: ResumeJournal;
  /** What Ferry wrote where: a sync recognises its own copies on servers that keep no times. */
  readonly written?: WrittenFiles;
  /** Names this process in run ownership: `pid@host`. */
  readonly owner: string;
  readonly budget?: ConnectionBudget;
  /**
   * The process's bandwidth limits (Ferry's own, each connection's), shared with its other transfers and
   * read again for each run, so that a daemon follows a limit changed meanwhile.
   */
  readonly bandwidth?: () => Promise<BandwidthLimits>;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly fetch?: typeof fetch;
  readonly onEvent?: (event: RunEvent) => void;
}
