import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload } from '../../src/shared/contract/events.js';
import type { HOST_KEY_ANSWERS } from '../../src/shared/contract/models.js';
import type { RendererHost } from '../host/RendererHost.js';

export type HostKeyPrompt = EventPayload<'prompt'>;
export type HostKeyChoice = (typeof HOST_KEY_ANSWERS)[number];

interface PromptsState {
  /** Questions waiting for the person, oldest first; the first one is shown. */
  readonly open: ReadonlyArray<HostKeyPrompt>;
  /** What went wrong sending the last answer, shown in the dialog. */
  readonly error?: string;
  readonly answer: (id: string, choice: HostKeyChoice) => Promise<void>;
}

export type PromptsStore = StoreApi<PromptsState>;

/**
 * The core's questions to the person (an SSH server's key seen for the first time): opened by the
 * host's `prompt` event, closed by `prompt.settled`, whichever window answered.
 */
export function createPromptsStore(host: RendererHost): PromptsStore {
  const store = createStore<PromptsState>()((set) => ({
    open: [],
    answer: async (id, choice) => {
      const sent = await host.invoke('prompts.answer', { id, answer: choice });
      if (!sent.ok) set({ error: sent.error.message });
    },
  }));
  host.subscribe('prompt', (prompt) => store.setState((s) => ({ open: [...s.open, prompt] })));
  host.subscribe('prompt.settled', ({ id }) => store.setState((s) => ({ open: s.open.filter((p) => p.id !== id), error: undefined })));
  return store;
}
