import { ConflictQuestions } from '../engine/ConflictQuestions.js';
import type { ConflictRule } from '../engine/conflict.js';
import type { TransferRequestInput } from '../shared/contract/models.js';
import type { Prompts } from './Prompts.js';

/**
 * The engine's rule for a batch's conflict choice: "ask" puts each file whose target exists to the
 * person at the window, one question at a time, an answer "for all" holding for the rest of the batch.
 */
export function conflictRule(choice: TransferRequestInput['conflict'], prompts: Prompts): ConflictRule {
  if (choice !== 'ask') return choice;
  return { kind: 'ask', choose: new ConflictQuestions(prompts.askConflict).choose };
}
