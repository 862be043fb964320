import type { HOME_COMMANDS } from '../../shared/contract/homeCommands.js';
import type { HandlersOf } from './HostContext.js';

export function homeHandlers(): HandlersOf<typeof HOME_COMMANDS> {
  return {};
}
