import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionSummary, Entry, PreviewItem, TransferRequestInput } from '../../src/shared/contract/models.js';
import type { Side } from './panes.js';

export type Section =
  | 'home'
  | 'browse'
  | 'transfers'
  | 'connections'
  | 'jobs'
  | 'jobEditor'
  | 'namingRules'
  | 'partnerFormats'
  | 'validation'
  | 'history';

/** What the job editor opens on: a saved job by name, or a new one from one of the example flows. */
export type JobEditTarget = { readonly kind: 'job'; readonly name: string } | { readonly kind: 'template'; readonly name: string };

export type PreviewState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      readonly items: ReadonlyArray<PreviewItem>;
      /** How a target path reads with its records named (`Account / Acme Corp (001…) / a.pdf`), by target. */
      readonly places?: Readonly<Record<string, string>>;
    }
  | { readonly status: 'failed'; readonly message: string };

export type Dialog =
  | {
      readonly kind: 'transfer';
      readonly request: TransferRequestInput;
      readonly targetKind: ConnectionSummary['kind'];
      readonly preview: PreviewState;
      /** Why starting failed, shown in the dialog so the plan is not lost. */
      readonly error?: string;
    }
  | { readonly kind: 'newFolder'; readonly side: Side; readonly error?: string }
  | { readonly kind: 'rename'; readonly side: Side; readonly entry: Entry; readonly error?: string }
  | { readonly kind: 'delete'; readonly side: Side; readonly paths: ReadonlyArray<string>; readonly error?: string }
  /** Shift+F5 / Shift+F6: the selection to a folder the user types, the other pane's offered first. */
  | { readonly kind: 'copyTo'; readonly side: Side; readonly move: boolean; readonly paths: ReadonlyArray<string>; readonly error?: string }
  | { readonly kind: 'removeConnection'; readonly name: string; readonly error?: string };

export interface Notice {
  readonly text: string;
  readonly tone: 'info' | 'error';
}

export interface UiState {
  readonly section: Section;
  /** The job the job editor shows; set by `editJob`, kept while the user looks elsewhere. */
  readonly editing: JobEditTarget | null;
  readonly dialog: Dialog | null;
  readonly notice: Notice | null;
  go(section: Section): void;
  /** Opens the job editor on a saved job or a template. */
  editJob(target: JobEditTarget): void;
  openDialog(dialog: Dialog): void;
  /** Replaces the open dialog if it is still of the same kind (an answer may arrive after it closed). */
  updateDialog<K extends Dialog['kind']>(kind: K, change: (dialog: Extract<Dialog, { kind: K }>) => Dialog): void;
  closeDialog(): void;
  notify(text: string, tone?: Notice['tone']): void;
  dismissNotice(): void;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(): UiStore {
  return createStore<UiState>()((set, get) => ({
    section: 'browse',
    editing: null,
    dialog: null,
    notice: null,
    go(section) {
      set({ section });
    },
    editJob(target) {
      set({ section: 'jobEditor', editing: target });
    },
    openDialog(dialog) {
      set({ dialog });
    },
    updateDialog(kind, change) {
      const dialog = get().dialog;
      if (dialog?.kind === kind) set({ dialog: change(dialog as Extract<Dialog, { kind: typeof kind }>) });
    },
    closeDialog() {
      set({ dialog: null });
    },
    notify(text, tone = 'info') {
      set({ notice: { text, tone } });
    },
    dismissNotice() {
      set({ notice: null });
    },
  }));
}
