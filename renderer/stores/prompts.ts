import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Prompt, PromptReply } from '../../src/shared/contract/models.js';
import type { RendererHost } from '../host/RendererHost.js';

export interface PromptsState {
  /** Questions waiting for the person, oldest first; the first one is shown. */
  readonly open: ReadonlyArray<Prompt>;
  /** What went wrong sending the last answer, shown in the dialog. */
  readonly error?: string;
  /** Reads the questions already open: asked before this window listened. */
  readonly load: () => Promise<void>;
  readonly answer: (id: string, reply: PromptReply) => Promise<void>;
  readonly asked: (prompt: Prompt) => void;
  /** Answered here or in another window, or withdrawn by the core: its dialog closes. */
  readonly settled: (id: string) => void;
}

export type PromptsStore = StoreApi<PromptsState>;

/**
 * The core's questions to the person (a server's key or certificate met for the first time, a file
 * whose target exists): opened by the host's `prompt` event, closed by `prompt.settled`, whichever
 * window answered (see bindHostEvents).
 */
export function createPromptsStore(host: RendererHost): PromptsStore {
  return createStore<PromptsState>()((set) => ({
    open: [],
    load: async () => {
      const listed = await host.invoke('prompts.list', {});
      if (!listed.ok) return;
      const ids = new Set(listed.value.prompts.map((p) => p.id));
      set((s) => ({ open: [...listed.value.prompts, ...s.open.filter((p) => !ids.has(p.id))] }));
    },
    answer: async (id, reply) => {
      const sent = await host.invoke('prompts.answer', { id, reply });
      if (!sent.ok) set({ error: sent.error.message });
    },
    asked: (prompt) => set((s) => (s.open.some((p) => p.id === prompt.id) ? s : { open: [...s.open, prompt] })),
    settled: (id) => set((s) => ({ open: s.open.filter((p) => p.id !== id), error: undefined })),
  }));
}
