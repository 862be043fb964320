import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommandOutput } from '../../src/shared/contract/commands.js';
import type { Direction, FieldDraft, ProfileDraft, ProfileSummary, SampleInput } from '../../src/shared/contract/mappingCommands.js';
import type { RendererHost } from '../host/RendererHost.js';
import { latestListing, messageOf, unwrap } from './listing.js';

/** Rows of the sample shown before and after conversion. */
export const PREVIEW_ROWS = 20;

/** How long typing may pause before the preview follows it: one call per pause, not one per key. */
export const PREVIEW_DELAY_MS = 300;

export type Preview = CommandOutput<'mapping.preview'>;

/** The sample as the form holds it, complete or not. */
export interface SampleForm {
  readonly kind: SampleInput['kind'];
  readonly connection: string;
  readonly path: string;
  readonly text: string;
}

export interface OpenProfile {
  readonly name: string;
  readonly file: string;
  readonly yaml: string;
  /** Why the file cannot be edited here (not valid YAML, not a valid profile). */
  readonly problem: string | undefined;
}

export interface MappingState {
  readonly folder: string;
  readonly profiles: ReadonlyArray<ProfileSummary>;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly open: OpenProfile | undefined;
  /** The profile as edited; saved only when asked. */
  readonly draft: ProfileDraft | undefined;
  readonly dirty: boolean;
  readonly direction: Direction;
  readonly sample: SampleForm;
  readonly preview: Preview | undefined;
  readonly previewing: boolean;
  readonly previewError: string | undefined;
  readonly saving: boolean;
  /** What the last save did, or why it did not. */
  readonly saved: { readonly ok: boolean; readonly message: string } | undefined;
  load(): Promise<void>;
  openProfile(name: string): Promise<void>;
  setDirection(direction: Direction): void;
  updateField(index: number, field: FieldDraft): void;
  addField(): void;
  removeField(index: number): void;
  /** Moves a mapping up (-1) or down (+1). */
  moveField(index: number, by: -1 | 1): void;
  setSample(sample: Partial<SampleForm>): void;
  save(): Promise<void>;
}

export type MappingStore = StoreApi<MappingState>;

/** The sample the form describes, once it names one. */
export function sampleOf(form: SampleForm): SampleInput | undefined {
  if (form.kind === 'text') return form.text.trim() === '' ? undefined : { kind: 'text', text: form.text };
  return form.connection === '' || form.path.trim() === '' ? undefined : { kind: 'file', connection: form.connection, path: form.path.trim() };
}

/** The directions a profile has, inbound first. */
export function directionsOf(draft: ProfileDraft | undefined): Direction[] {
  return (['inbound', 'outbound'] as const).filter((d) => draft?.[d] !== undefined);
}

export function createMappingStore(host: RendererHost, delayMs = PREVIEW_DELAY_MS): MappingStore {
  const latest = latestListing();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const store = createStore<MappingState>((set, get) => {
    const runPreview = async (): Promise<void> => {
      const { draft, direction, sample } = get();
      const input = sampleOf(sample);
      if (draft === undefined || input === undefined || draft[direction] === undefined) {
        set({ preview: undefined, previewing: false, previewError: undefined });
        return;
      }
      set({ previewing: true });
      await latest(
        'new',
        async () => unwrap(await host.invoke('mapping.preview', { profile: draft, direction, sample: input, rows: PREVIEW_ROWS })),
        (preview) => set({ preview, previewing: false, previewError: undefined }),
        (message) => set({ previewing: false, previewError: message }),
      );
    };
    /** The preview follows every edit once typing pauses. */
    const schedulePreview = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        void runPreview();
      }, delayMs);
    };
    const editFields = (edit: (fields: FieldDraft[]) => void): void => {
      const { draft, direction } = get();
      const conversion = draft?.[direction];
      if (draft === undefined || conversion === undefined) return;
      const fields = [...(conversion.mapping?.fields ?? [])];
      edit(fields);
      const mapping = { ...conversion.mapping, fields };
      set({ draft: { ...draft, [direction]: { ...conversion, mapping } }, dirty: true, saved: undefined });
      schedulePreview();
    };

    return {
      folder: '',
      profiles: [],
      loading: false,
      error: undefined,
      open: undefined,
      draft: undefined,
      dirty: false,
      direction: 'inbound',
      sample: { kind: 'file', connection: '', path: '', text: '' },
      preview: undefined,
      previewing: false,
      previewError: undefined,
      saving: false,
      saved: undefined,
      load: async () => {
        set({ loading: true });
        try {
          const { folder, profiles } = unwrap(await host.invoke('mapping.profiles', {}));
          set({ folder, profiles, loading: false, error: undefined });
        } catch (e) {
          set({ loading: false, error: messageOf(e) });
        }
      },
      openProfile: async (name) => {
        try {
          const read = unwrap(await host.invoke('mapping.read', { name }));
          const direction = directionsOf(read.profile)[0] ?? 'inbound';
          set({
            open: { name: read.name, file: read.file, yaml: read.yaml, problem: read.problem },
            draft: read.profile,
            dirty: false,
            direction,
            preview: undefined,
            previewError: undefined,
            saved: undefined,
            error: undefined,
          });
          schedulePreview();
        } catch (e) {
          set({ error: messageOf(e) });
        }
      },
      setDirection: (direction) => {
        set({ direction, preview: undefined });
        schedulePreview();
      },
      updateField: (index, field) => editFields((fields) => fields.splice(index, 1, field)),
      addField: () => editFields((fields) => fields.push({ to: '' })),
      removeField: (index) => editFields((fields) => fields.splice(index, 1)),
      moveField: (index, by) =>
        editFields((fields) => {
          const target = index + by;
          const moved = fields[index];
          if (moved === undefined || target < 0 || target >= fields.length) return;
          fields.splice(index, 1);
          fields.splice(target, 0, moved);
        }),
      setSample: (sample) => {
        set({ sample: { ...get().sample, ...sample } });
        schedulePreview();
      },
      save: async () => {
        const { open, draft } = get();
        if (open === undefined || draft === undefined) return;
        set({ saving: true, saved: undefined });
        const answer = await host.invoke('mapping.save', { name: open.name, profile: draft });
        if (!answer.ok) {
          set({ saving: false, saved: { ok: false, message: answer.error.message } });
          return;
        }
        set({ saving: false, dirty: false, open: { ...open, yaml: answer.value.yaml, problem: undefined }, saved: { ok: true, message: `Saved ${answer.value.file}.` } });
        await get().load();
      },
    };
  });
  return store;
}
