import type { z } from 'zod';
import { APP_COMMANDS } from './appCommands.js';
import { CONNECTIONS_COMMANDS } from './connectionCommands.js';
import { FILES_COMMANDS } from './fileCommands.js';
import { HISTORY_COMMANDS } from './historyCommands.js';
import { LIMITS_COMMANDS } from './limitCommands.js';
import { PROMPTS_COMMANDS } from './promptCommands.js';
import { RECORDS_COMMANDS } from './recordCommands.js';
import { TRANSFERS_COMMANDS } from './transferCommands.js';
import { JOBS_COMMANDS } from './jobCommands.js';
import { JOB_FILES_COMMANDS } from './jobFileCommands.js';
import { HOME_COMMANDS } from './homeCommands.js';
import { NAMING_COMMANDS } from './namingCommands.js';
import { MAPPING_COMMANDS } from './mappingCommands.js';
import { VALIDATION_COMMANDS } from './validationCommands.js';

/**
 * Every command the UI can give the core: its input and its output, checked on both sides of every
 * transport. The one place a command is named; a transport that is asked for anything else refuses.
 * Each area of the window keeps its commands in a module of its own (`fileCommands.ts`, …).
 */
export const COMMANDS = {
  ...APP_COMMANDS,
  ...CONNECTIONS_COMMANDS,
  ...FILES_COMMANDS,
  ...RECORDS_COMMANDS,
  ...TRANSFERS_COMMANDS,
  ...PROMPTS_COMMANDS,
  ...LIMITS_COMMANDS,
  ...HISTORY_COMMANDS,
  ...VALIDATION_COMMANDS,
  ...MAPPING_COMMANDS,
  ...NAMING_COMMANDS,
  ...HOME_COMMANDS,
  ...JOB_FILES_COMMANDS,
  ...JOBS_COMMANDS,
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof COMMANDS)[C]['output']>;

export const COMMAND_NAMES = Object.keys(COMMANDS) as ReadonlyArray<CommandName>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
