import { parse, stringify } from 'yaml';
import type { FieldDraft } from '../../../src/shared/contract/mappingCommands.js';

/** One transform step as the profile file holds it: `trim`, `{ lookup: country }`, `{ date: { … } }`. */
export type Step = NonNullable<FieldDraft['transforms']>[number];

/**
 * The one date or number step of a field, which the grid shows as its format; the other steps are its
 * transforms. Values are as typed: an empty one leaves the setting out.
 */
export type ValueFormat =
  | { readonly kind: 'none' }
  | { readonly kind: 'date'; readonly from: string; readonly to: string }
  | { readonly kind: 'number'; readonly decimalSeparator: string; readonly thousandsSeparator: string; readonly decimals: string };

type Settings = Readonly<Record<string, unknown>>;

function settingsOf(step: Step, key: 'date' | 'number'): Settings | undefined {
  if (typeof step !== 'object' || step === null || Array.isArray(step)) return undefined;
  const value = (step as Settings)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Settings) : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function isFormat(step: Step): boolean {
  return settingsOf(step, 'date') !== undefined || settingsOf(step, 'number') !== undefined;
}

/** Where the field's format step is, or -1. */
function formatIndex(steps: ReadonlyArray<Step>): number {
  return steps.findIndex(isFormat);
}

export function formatOf(steps: ReadonlyArray<Step> = []): ValueFormat {
  const step = steps[formatIndex(steps)];
  if (step === undefined) return { kind: 'none' };
  const date = settingsOf(step, 'date');
  if (date !== undefined) return { kind: 'date', from: text(date['from']), to: text(date['to']) };
  const number = settingsOf(step, 'number') ?? {};
  return { kind: 'number', decimalSeparator: text(number['decimalSeparator']), thousandsSeparator: text(number['thousandsSeparator']), decimals: text(number['decimals']) };
}

/** The settings as typed, over those the step had (so a setting the grid does not show is kept). */
function formatStep(format: ValueFormat, old: Step | undefined): Step | undefined {
  const typed = (entries: ReadonlyArray<readonly [string, string | number | undefined]>, kept: Settings): Record<string, Step> => {
    const settings: Record<string, Step> = {};
    for (const [key, value] of Object.entries(kept)) settings[key] = value as Step;
    for (const [key, value] of entries) {
      if (value === undefined || value === '') delete settings[key];
      else settings[key] = value;
    }
    return settings;
  };
  switch (format.kind) {
    case 'none':
      return undefined;
    case 'date':
      return { date: typed([['from', format.from], ['to', format.to]], old === undefined ? {} : (settingsOf(old, 'date') ?? {})) };
    case 'number': {
      const decimals = format.decimals.trim() === '' ? undefined : Number.isInteger(Number(format.decimals)) ? Number(format.decimals) : format.decimals;
      const entries = [['decimalSeparator', format.decimalSeparator], ['thousandsSeparator', format.thousandsSeparator], ['decimals', decimals]] as const;
      return { number: typed(entries, old === undefined ? {} : (settingsOf(old, 'number') ?? {})) };
    }
  }
}

/** The steps with the format replaced (or added last, or removed), the others where they were. */
export function withFormat(steps: ReadonlyArray<Step> = [], format: ValueFormat): Step[] {
  const at = formatIndex(steps);
  const old = steps[at];
  const kept = old !== undefined && format.kind !== 'none' && settingsOf(old, format.kind) === undefined ? undefined : old;
  const step = formatStep(format, kept);
  const next = [...steps];
  if (at < 0) return step === undefined ? next : [...next, step];
  if (step === undefined) next.splice(at, 1);
  else next.splice(at, 1, step);
  return next;
}

/** The steps other than the format, as the profile file writes them in a list: `trim, { lookup: country }`. */
export function stepsText(steps: ReadonlyArray<Step> = []): string {
  const others = steps.filter((step) => !isFormat(step));
  if (others.length === 0) return '';
  return stringify(others, null, { flow: true }).trim().replace(/^\[\s*/, '').replace(/\s*\]$/, '');
}

/** The steps typed as a list, or why they cannot be read as one. */
export function parseSteps(typed: string): { readonly steps: Step[] } | { readonly problem: string } {
  if (typed.trim() === '') return { steps: [] };
  try {
    const value: unknown = parse(`[${typed}]`);
    if (!Array.isArray(value)) return { problem: 'Write the steps separated by commas, e.g. trim, upper' };
    return { steps: value as Step[] };
  } catch {
    return { problem: 'Write the steps separated by commas, e.g. trim, upper, { lookup: country }' };
  }
}

/** The typed steps in place of the old ones other than the format, which stays where it was. */
export function withSteps(steps: ReadonlyArray<Step> = [], typed: ReadonlyArray<Step>): Step[] {
  const at = formatIndex(steps);
  const format = steps[at];
  if (format === undefined) return [...typed];
  const before = steps.slice(0, at).filter((step) => !isFormat(step)).length;
  const placed = Math.min(before, typed.length);
  return [...typed.slice(0, placed), format, ...typed.slice(placed)];
}
