import type { NAMING_COMMANDS } from '../../shared/contract/namingCommands.js';
import type { HandlersOf } from './HostContext.js';

export function namingHandlers(): HandlersOf<typeof NAMING_COMMANDS> {
  return {};
}
