import type { APP_COMMANDS } from '../../shared/contract/appCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function appHandlers(ctx: HostContext): HandlersOf<typeof APP_COMMANDS> {
  return {
    'app.info': async () => ({ version: ctx.version, host: ctx.host, dataFolder: ctx.workspace.paths.home }),
  };
}
