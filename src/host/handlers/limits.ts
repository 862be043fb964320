import type { LIMITS_COMMANDS } from '../../shared/contract/limitCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function limitHandlers(_ctx: HostContext): HandlersOf<typeof LIMITS_COMMANDS> {
  return {};
}
