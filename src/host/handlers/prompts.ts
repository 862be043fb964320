import type { PROMPTS_COMMANDS } from '../../shared/contract/promptCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function promptHandlers(ctx: HostContext): HandlersOf<typeof PROMPTS_COMMANDS> {
  return {
    'prompts.answer': async ({ id, answer }) => {
      ctx.prompts.answer(id, answer);
      return {};
    },
  };
}
