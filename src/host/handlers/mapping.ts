import type { MAPPING_COMMANDS } from '../../shared/contract/mappingCommands.js';
import type { HandlersOf } from './HostContext.js';

export function mappingHandlers(): HandlersOf<typeof MAPPING_COMMANDS> {
  return {};
}
