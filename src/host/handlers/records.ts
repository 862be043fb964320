import type { RECORDS_COMMANDS } from '../../shared/contract/recordCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function recordHandlers(_ctx: HostContext): HandlersOf<typeof RECORDS_COMMANDS> {
  return {};
}
