import type { CommandInput, CommandName } from '../../../src/shared/contract/commands.js';
import * as app from './app.js';
import * as connections from './connections.js';
import * as files from './files.js';
import * as transfers from './transfers.js';
import * as prompts from './prompts.js';
import * as records from './records.js';
import * as limits from './limits.js';
import * as history from './history.js';
import * as validation from './validation.js';
import * as mapping from './mapping.js';
import * as naming from './naming.js';
import * as home from './home.js';
import * as jobFiles from './jobFiles.js';
import * as jobs from './jobs.js';

/** One input per command of the contract that its schema accepts, gathered from each area's examples. */
export const VALID_INPUTS: { [C in CommandName]: CommandInput<C> } = {
  ...app.VALID,
  ...connections.VALID,
  ...files.VALID,
  ...transfers.VALID,
  ...prompts.VALID,
  ...records.VALID,
  ...limits.VALID,
  ...history.VALID,
  ...validation.VALID,
  ...jobs.VALID,
  ...jobFiles.VALID,
  ...home.VALID,
  ...naming.VALID,
  ...mapping.VALID,
};

/** One input per command that breaks its schema where a careless page would. */
export const INVALID_INPUTS: Record<CommandName, unknown> = {
  ...app.INVALID,
  ...connections.INVALID,
  ...files.INVALID,
  ...transfers.INVALID,
  ...prompts.INVALID,
  ...records.INVALID,
  ...limits.INVALID,
  ...history.INVALID,
  ...validation.INVALID,
  ...jobs.INVALID,
  ...jobFiles.INVALID,
  ...home.INVALID,
  ...naming.INVALID,
  ...mapping.INVALID,
};
