import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AttentionRaised } from '../../src/shared/contract/homeCommands.js';
import type { Section } from './ui.js';

/** The nav links that carry a count of new notices. */
export type BadgedSection = Extract<Section, 'home' | 'history' | 'validation'>;

/** Notices shown at once; older ones leave the screen but stay counted on their link. */
const SHOWN = 4;

/** Where each kind of notice leads: a failed run to History, refused files to the validation log, a late file to Home. */
export function sectionOf(notice: Pick<AttentionRaised, 'kind'>): BadgedSection {
  switch (notice.kind) {
    case 'failure':
      return 'history';
    case 'quarantine':
      return 'validation';
    case 'sla':
      return 'home';
  }
}

export interface AttentionState {
  /** Newest first. */
  readonly toasts: ReadonlyArray<AttentionRaised>;
  readonly badges: Readonly<Record<BadgedSection, number>>;
  /** Shows a notice and counts it on its link, unless the user is looking at that screen already; a notice heard twice counts once. */
  raised(notice: AttentionRaised, looking: Section): void;
  dismiss(id: string): void;
  /** The user looks at `section`: its count goes. */
  seen(section: Section): void;
}

export type AttentionStore = StoreApi<AttentionState>;

export function createAttentionStore(): AttentionStore {
  const heard = new Set<string>();
  return createStore<AttentionState>()((set) => ({
    toasts: [],
    badges: { home: 0, history: 0, validation: 0 },
    raised(notice, looking) {
      if (heard.has(notice.id)) return;
      heard.add(notice.id);
      const section = sectionOf(notice);
      set((s) => ({
        toasts: [notice, ...s.toasts].slice(0, SHOWN),
        badges: section === looking ? s.badges : { ...s.badges, [section]: s.badges[section] + 1 },
      }));
    },
    dismiss(id) {
      set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
    },
    seen(section) {
      set((s) => (section in s.badges && s.badges[section as BadgedSection] > 0 ? { badges: { ...s.badges, [section]: 0 } } : s));
    },
  }));
}
