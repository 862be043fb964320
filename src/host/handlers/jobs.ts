import type { JOBS_COMMANDS } from '../../shared/contract/jobCommands.js';
import type { HandlersOf } from './HostContext.js';

export function jobHandlers(): HandlersOf<typeof JOBS_COMMANDS> {
  return {};
}
