import { randomUUID } from 'node:crypto';
import { TransferError } from '../connectors/errors.js';
import type { HostKeyAnswer, UnknownHostKey } from '../security/KnownHosts.js';
import type { EventMessage } from '../shared/contract/events.js';

/** How long a question waits for a person before it counts as refused: a connection must not hang for ever. */
const UNANSWERED_AFTER_MS = 15 * 60_000;

interface Pending {
  /** host:port and fingerprint: two panes opening the same new server ask one question. */
  readonly key: string;
  readonly settle: (answer: HostKeyAnswer) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Questions the core puts to the person at the window (a server's key seen for the first time). It is
 * made before the workspace, whose connections ask through it, and told where to show questions once
 * a window's host exists; with no window attached, nobody can answer, so the key is refused.
 */
export class Prompts {
  readonly #pending = new Map<string, Pending>();
  #show: ((message: EventMessage) => void) | undefined;

  /** Where questions and their settling go: the host's events. */
  attach(show: (message: EventMessage) => void): void {
    this.#show = show;
  }

  readonly confirmHostKey = (question: UnknownHostKey): Promise<HostKeyAnswer> => {
    const show = this.#show;
    if (show === undefined) return Promise.resolve('refuse');
    const id = randomUUID();
    return new Promise<HostKeyAnswer>((resolve) => {
      const settle = (answer: HostKeyAnswer): void => {
        clearTimeout(this.#pending.get(id)?.timer);
        this.#pending.delete(id);
        show({ event: 'prompt.settled', payload: { id } });
        resolve(answer);
      };
      const timer = setTimeout(() => settle('refuse'), UNANSWERED_AFTER_MS);
      timer.unref();
      this.#pending.set(id, { key: `${question.host}:${question.port} ${question.fingerprint}`, settle, timer });
      show({ event: 'prompt', payload: { id, kind: 'hostKey', question: { ...question } } });
    });
  };

  /** Answers the question, and every other one open about the same server and key. */
  answer(id: string, answer: HostKeyAnswer): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) throw new TransferError('notFound', 'That question was already answered or withdrawn');
    for (const other of [...this.#pending.values()]) if (other.key === pending.key) other.settle(answer);
  }

  /** Refuses every open question: the window is going away. */
  refuseAll(): void {
    for (const pending of [...this.#pending.values()]) pending.settle('refuse');
  }
}
