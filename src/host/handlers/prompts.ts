import type { PROMPTS_COMMANDS } from '../../shared/contract/promptCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function promptHandlers(ctx: HostContext): HandlersOf<typeof PROMPTS_COMMANDS> {
  return {
    'prompts.list': async () => ({ prompts: [...ctx.prompts.open()] }),
    'prompts.answer': async ({ id, reply }) => {
      ctx.prompts.answer(id, reply);
      return {};
    },
  };
}
