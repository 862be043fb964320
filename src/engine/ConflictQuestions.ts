import type { ConflictAnswer, ConflictQuestion } from '../shared/contract/models.js';
import type { ChooseConflict } from './conflict.js';

/** A person's reply to one conflict: the answer, and whether it holds for the rest of the batch. */
export interface ConflictReply {
  readonly answer: ConflictAnswer;
  readonly applyToAll: boolean;
}

export type AskConflict = (question: ConflictQuestion, signal: AbortSignal) => Promise<ConflictReply | undefined>;

/**
 * One batch's conflict questions. The engine sends files in parallel, but a person answers one question
 * at a time: questions wait their turn, and an answer "for all" answers those still waiting and those to
 * come. A question left unanswered leaves the rest unasked too: nobody is there, and each would wait as long.
 */
export class ConflictQuestions {
  readonly #ask: AskConflict;
  #turn: Promise<unknown> = Promise.resolve();
  #forAll: ConflictAnswer | undefined;
  #nobodyThere = false;

  constructor(ask: AskConflict) {
    this.#ask = ask;
  }

  readonly choose: ChooseConflict = (question, signal) => {
    const asked = this.#turn.then(async () => {
      if (this.#forAll !== undefined) return this.#forAll;
      if (this.#nobodyThere) return undefined;
      signal.throwIfAborted();
      const reply = await this.#ask(question, signal);
      if (reply === undefined) this.#nobodyThere = !signal.aborted;
      else if (reply.applyToAll) this.#forAll = reply.answer;
      return reply?.answer;
    });
    this.#turn = asked.catch(() => undefined);
    return asked;
  };
}
