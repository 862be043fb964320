import { ConflictQuestions, type AskConflict } from '../engine/ConflictQuestions.js';
import type { ConflictRule } from '../engine/conflict.js';
import type { TransferRequestInput } from '../shared/contract/models.js';
import type { Prompts } from './Prompts.js';

/**
 * The engine's rule for a batch's conflict choice: "ask" puts each file whose target exists to the
 * person at the window, one question at a time, an answer "for all" holding for the rest of the batch.
 */
export function conflictRule(request: TransferRequestInput, prompts: Prompts): ConflictRule {
  if (request.conflict !== 'ask') return request.conflict;
  // The engine knows each side by its connector's address; the person knows it by the connection's name.
  const ask: AskConflict = (question, signal) =>
    prompts.askConflict({ source: { ...question.source, where: request.source.connection }, target: { ...question.target, where: request.target.connection } }, signal);
  return { kind: 'ask', choose: new ConflictQuestions(ask).choose };
}
