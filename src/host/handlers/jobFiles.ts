import type { JOB_FILES_COMMANDS } from '../../shared/contract/jobFileCommands.js';
import type { HandlersOf } from './HostContext.js';

export function jobFileHandlers(): HandlersOf<typeof JOB_FILES_COMMANDS> {
  return {};
}
