import type { RendererHost } from '../host/RendererHost.js';
import { createAttentionStore, type AttentionStore } from './attention.js';
import { createConnectionsStore, type ConnectionsStore } from './connections.js';
import { createHistoryStore, type HistoryStore } from './history.js';
import { createMappingStore, type MappingStore } from './mapping.js';
import { createHomeStore, type HomeStore } from './home.js';
import { createJobEditorStore, type JobEditorStore } from './jobEditor.js';
import { createNamingStore, type NamingStore } from './naming.js';
import { createPanesStore, type PanesStore } from './panes.js';
import { createPromptsStore, type PromptsStore } from './prompts.js';
import { createTransfersStore, type Clock, type TransfersStore } from './transfers.js';
import { createUiStore, type UiStore } from './ui.js';
import { createValidationLogStore, type ValidationLogStore } from './validationLog.js';

/** One store per concern, made for one host; a test makes a fresh set around its own `memoryHost`. */
export interface AppStores {
  readonly host: RendererHost;
  readonly connections: ConnectionsStore;
  readonly panes: PanesStore;
  readonly transfers: TransfersStore;
  readonly prompts: PromptsStore;
  readonly ui: UiStore;
  readonly history: HistoryStore;
  readonly validationLog: ValidationLogStore;
  readonly mapping: MappingStore;
  readonly home: HomeStore;
  readonly attention: AttentionStore;
  readonly jobEditor: JobEditorStore;
  readonly naming: NamingStore;
}

export function createAppStores(host: RendererHost, panes: { readonly left?: string; readonly right?: string } = {}, clock?: Clock): AppStores {
  return {
    host,
    connections: createConnectionsStore(host),
    panes: createPanesStore(host, panes),
    transfers: createTransfersStore(host, clock),
    prompts: createPromptsStore(host),
    ui: createUiStore(),
    history: createHistoryStore(host),
    validationLog: createValidationLogStore(host),
    mapping: createMappingStore(host),
    home: createHomeStore(host),
    attention: createAttentionStore(),
    jobEditor: createJobEditorStore(host),
    naming: createNamingStore(host),
  };
}
