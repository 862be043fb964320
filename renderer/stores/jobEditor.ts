import { createStore, type StoreApi } from 'zustand/vanilla';
import type { JobProblemView, JobTemplateView } from '../../src/shared/contract/jobFileCommands.js';
import { editJobText, jobTextValue, type JobFieldPath, type JobFieldValue } from '../../src/shared/jobs/editJobText.js';
import type { RendererHost } from '../host/RendererHost.js';
import { messageOf, unwrap } from './listing.js';
import type { JobEditTarget } from './ui.js';

/** A job being edited: its text as the user has it, and what the core found wrong with it. */
export interface JobDraft {
  readonly target: JobEditTarget;
  /** The job's name in the jobs folder, once it has one: a save under another name renames its file. */
  readonly savedAs: string | undefined;
  readonly path: string | undefined;
  readonly text: string;
  /** The text as the jobs folder has it; undefined until a new job is first saved. */
  readonly savedText: string | undefined;
  readonly problems: ReadonlyArray<JobProblemView>;
  /** Whether the problems are those of an older text: a check is on its way. */
  readonly checking: boolean;
}

export interface SaveFailure {
  readonly message: string;
  /** Another job has the name: saving again may replace it. */
  readonly taken: boolean;
}

export interface JobEditorState {
  /** Every job opened in the editor, by `draftKey`: leaving the screen keeps unsaved changes. */
  readonly drafts: Readonly<Record<string, JobDraft>>;
  readonly current: string | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  /** The job format as JSON Schema, from which the form is built. */
  readonly schema: Readonly<Record<string, unknown>> | undefined;
  readonly templates: ReadonlyArray<JobTemplateView> | undefined;
  readonly saving: boolean;
  readonly saveFailure: SaveFailure | undefined;
  /** Opens a job or a template, or goes back to its draft when there is one. */
  open(target: JobEditTarget): Promise<void>;
  /** The YAML as the user typed it; checked once typing pauses. */
  setText(text: string): void;
  /** A form field's new value, written into the YAML as a minimal edit. */
  setField(path: JobFieldPath, value: JobFieldValue): void;
  /** Writes the current draft; returns what the editor now edits (a new job becomes a saved one). */
  save(overwrite?: boolean): Promise<JobEditTarget | undefined>;
  /** Drops the current draft's changes: back to the saved text, or the template as it came. */
  discard(): Promise<void>;
  /** Reads the example flows once; resolves to why they could not be read, if they could not. */
  loadTemplates(): Promise<string | undefined>;
}

export type JobEditorStore = StoreApi<JobEditorState>;

/** How long typing may pause before the draft is checked: long enough not to check every keystroke. */
export const CHECK_DELAY_MS = 300;

export function draftKey(target: JobEditTarget): string {
  return `${target.kind}:${target.name}`;
}

/** The name the job gives itself: the file is saved under it. */
export function jobNameIn(text: string): string | undefined {
  const read = jobTextValue(text);
  if (!('value' in read) || typeof read.value !== 'object' || read.value === null || !('name' in read.value)) return undefined;
  return typeof read.value.name === 'string' && read.value.name !== '' ? read.value.name : undefined;
}

export function isUnsaved(draft: JobDraft): boolean {
  return draft.text !== draft.savedText;
}

export function createJobEditorStore(host: RendererHost): JobEditorStore {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  return createStore<JobEditorState>()((set, get) => {
    const update = (key: string, change: (draft: JobDraft) => JobDraft): void => {
      const draft = get().drafts[key];
      if (draft !== undefined) set({ drafts: { ...get().drafts, [key]: change(draft) } });
    };

    const check = async (key: string): Promise<void> => {
      const text = get().drafts[key]?.text;
      if (text === undefined) return;
      try {
        const { problems } = unwrap(await host.invoke('jobFiles.check', { text }));
        // A check of a text the user has typed on from is dropped: the next one is coming.
        update(key, (draft) => (draft.text === text ? { ...draft, problems, checking: false } : draft));
      } catch (e) {
        update(key, (draft) => (draft.text === text ? { ...draft, problems: [{ field: '', line: 1, column: 1, message: `Could not check the job: ${messageOf(e)}` }], checking: false } : draft));
      }
    };

    const checkSoon = (key: string): void => {
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          void check(key);
        }, CHECK_DELAY_MS),
      );
    };

    const changeText = (text: string): void => {
      const key = get().current;
      if (key === undefined) return;
      update(key, (draft) => ({ ...draft, text, checking: true }));
      set({ saveFailure: undefined });
      checkSoon(key);
    };

    const load = async (target: JobEditTarget): Promise<JobDraft> => {
      if (target.kind === 'job') {
        const job = unwrap(await host.invoke('jobFiles.read', { name: target.name }));
        return { target, savedAs: job.name, path: job.path, text: job.text, savedText: job.text, problems: [], checking: true };
      }
      const fresh = unwrap(await host.invoke('jobFiles.template', { name: target.name }));
      return { target, savedAs: undefined, path: undefined, text: fresh.text, savedText: undefined, problems: [], checking: true };
    };

    return {
      drafts: {},
      current: undefined,
      loading: false,
      error: undefined,
      schema: undefined,
      templates: undefined,
      saving: false,
      saveFailure: undefined,

      async open(target) {
        const key = draftKey(target);
        set({ current: key, error: undefined, saveFailure: undefined });
        if (get().schema === undefined) {
          host.invoke('jobFiles.schema', {}).then(
            (answer) => set({ schema: unwrap(answer).schema }),
            (e: unknown) => set({ error: messageOf(e) }),
          );
        }
        if (get().drafts[key] !== undefined) return;
        set({ loading: true });
        try {
          const draft = await load(target);
          set({ drafts: { ...get().drafts, [key]: draft }, loading: false });
          void check(key);
        } catch (e) {
          if (get().current === key) set({ loading: false, error: messageOf(e) });
        }
      },

      setText: changeText,

      setField(path, value) {
        const draft = get().current === undefined ? undefined : get().drafts[get().current ?? ''];
        if (draft === undefined) return;
        changeText(editJobText(draft.text, path, value));
      },

      async save(overwrite = false) {
        const key = get().current;
        const draft = key === undefined ? undefined : get().drafts[key];
        if (key === undefined || draft === undefined) return undefined;
        const name = jobNameIn(draft.text);
        if (name === undefined) {
          set({ saveFailure: { message: 'The job needs a name (the "name" field) before it can be saved.', taken: false } });
          return undefined;
        }
        set({ saving: true, saveFailure: undefined });
        const answer = await host.invoke('jobFiles.save', { name, text: draft.text, overwrite, ...(draft.savedAs === undefined ? {} : { replaces: draft.savedAs }) });
        if (!answer.ok) {
          set({ saving: false, saveFailure: { message: answer.error.message, taken: answer.error.kind === 'exists' } });
          return undefined;
        }
        const target: JobEditTarget = { kind: 'job', name: answer.value.name };
        const savedKey = draftKey(target);
        const { [key]: _old, ...others } = get().drafts;
        const saved: JobDraft = { target, savedAs: answer.value.name, path: answer.value.path, text: draft.text, savedText: draft.text, problems: answer.value.problems, checking: false };
        set({ drafts: { ...others, [savedKey]: saved }, current: savedKey, saving: false });
        return target;
      },

      async discard() {
        const key = get().current;
        const draft = key === undefined ? undefined : get().drafts[key];
        if (key === undefined || draft === undefined) return;
        const { [key]: _dropped, ...others } = get().drafts;
        set({ drafts: others });
        await get().open(draft.target);
      },

      async loadTemplates() {
        if (get().templates !== undefined) return undefined;
        try {
          set({ templates: unwrap(await host.invoke('jobFiles.templates', {})).templates });
          return undefined;
        } catch (e) {
          set({ error: messageOf(e) });
          return messageOf(e);
        }
      },
    };
  });
}
