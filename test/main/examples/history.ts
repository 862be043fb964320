import type { CommandInput } from '../../../src/shared/contract/commands.js';
import type { HISTORY_COMMANDS } from '../../../src/shared/contract/historyCommands.js';

type Commands = keyof typeof HISTORY_COMMANDS;

/** One input per command that its schema accepts. */
export const VALID: { [C in Commands]: CommandInput<C> } = {
  'history.runs': { filter: { job: 'invoices', status: 'failed', from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 8) }, before: 120, limit: 100 },
  'history.items': { runId: 7, status: 'failed', after: 'out/INV-ACC-10001.pdf', limit: 100 },
  'history.search': { text: 'INV-ACC', before: 5000, limit: 100 },
  'history.trail': { name: 'INV-ACC-10001-2026-11-02.pdf', limit: 100 },
  'history.csv': { view: { kind: 'search', text: 'INV-ACC' }, cursor: '5000' },
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID: Record<Commands, unknown> = {
  'history.runs': { filter: { from: Date.UTC(2026, 10, 8), to: Date.UTC(2026, 10, 1) }, limit: 100 },
  'history.items': { runId: 7, limit: 1_000_000 },
  'history.search': { text: 'IN', limit: 100 },
  'history.trail': { name: '../etc/passwd', limit: 100 },
  'history.csv': { view: { kind: 'everything' } },
};
