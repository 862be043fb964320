import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload } from '../../src/shared/contract/events.js';
import type { HOST_KEY_ANSWERS } from '../../src/shared/contract/models.js';
import type { RendererHost } from '../host/RendererHost.js';

export type HostKeyPrompt = EventPayload<'prompt'>;
export type HostKeyChoice = (typeof HOST_KEY_ANSWERS)[number];

export interface PromptsState {
  /** Questions waiting for the person, oldest first; the first one is shown. */
  readonly open: ReadonlyArray<HostKeyPrompt>;
  /** What went wrong sending the last answer, shown in the dialog. */
  readonly error?: string;
  readonly answer: (id: string, choice: HostKeyChoice) => Promise<void>;
  readonly asked: (prompt: HostKeyPrompt) => void;
  /** Answered here or in another window, or withdrawn by the core: its dialog closes. */
  readonly settled: (id: string) => void;
}

export type PromptsStore = StoreApi<PromptsState>;

/**
 * The core's questions to the person (an SSH server's key seen for the first time): opened by the
 * host's `prompt` event, closed by `prompt.settled`, whichever window answered (see bindHostEvents).
 */
export function createPromptsStore(host: RendererHost): PromptsStore {
  return createStore<PromptsState>()((set) => ({
    open: [],
    answer: async (id, choice) => {
      const sent = await host.invoke('prompts.answer', { id, answer: choice });
      if (!sent.ok) set({ error: sent.error.message });
    },
    asked: (prompt) => set((s) => ({ open: [...s.open, prompt] })),
    settled: (id) => set((s) => ({ open: s.open.filter((p) => p.id !== id), error: undefined })),
  }));
}
