import { randomUUID } from 'node:crypto';
import { TransferError } from '../connectors/errors.js';
import type { HostKeyAnswer, UnknownHostKey } from '../security/KnownHosts.js';
import type { CertificateAnswer, UntrustedCertificate } from '../security/tlsTrust.js';
import type { EventMessage } from '../shared/contract/events.js';
import type { ConflictQuestion, Prompt, PromptKind, PromptReply } from '../shared/contract/models.js';

/** How long a question waits for a person before it counts as unanswered: nothing may hang for ever. */
const UNANSWERED_AFTER_MS = 15 * 60_000;

type QuestionOf<K extends PromptKind> = Extract<Prompt, { kind: K }>['question'];
type ReplyOf<K extends PromptKind> = Extract<PromptReply, { kind: K }>;

interface Pending {
  readonly prompt: Prompt;
  readonly kind: PromptKind;
  /** Questions with one key are one question: two panes opening the same new server ask once. */
  readonly key: string;
  readonly settle: (reply: PromptReply | undefined) => void;
}

export interface PromptsOptions {
  /** How long a question stays open; a test of the unanswered case shortens it. */
  readonly unansweredAfterMs?: number;
}

/**
 * Questions the core puts to the person at the window: a server's key or certificate seen for the first
 * time, a file whose target exists. It is made before the workspace, whose connections ask through it,
 * and told where to show questions once a window's host exists. With no window attached, or no answer
 * in time, a server is refused and a file is skipped: nobody consented.
 */
export class Prompts {
  readonly #pending = new Map<string, Pending>();
  readonly #unansweredAfterMs: number;
  #show: ((message: EventMessage) => void) | undefined;

  constructor(options: PromptsOptions = {}) {
    this.#unansweredAfterMs = options.unansweredAfterMs ?? UNANSWERED_AFTER_MS;
  }

  /** Where questions and their settling go: the host's events. */
  attach(show: (message: EventMessage) => void): void {
    this.#show = show;
  }

  readonly confirmHostKey = async (question: UnknownHostKey): Promise<HostKeyAnswer> => {
    const reply = await this.#ask('hostKey', { ...question }, `${question.host}:${question.port} ${question.fingerprint}`);
    return reply?.answer ?? 'refuse';
  };

  readonly confirmCertificate = async (question: UntrustedCertificate): Promise<CertificateAnswer> => {
    const reply = await this.#ask('certificate', { ...question, problems: [...question.problems] }, `${question.host}:${question.port} ${question.fingerprint}`);
    return reply?.answer ?? 'refuse';
  };

  /** Undefined when nobody answered in time, the window went away, or `signal` withdrew the question. */
  readonly askConflict = (question: ConflictQuestion, signal: AbortSignal): Promise<ReplyOf<'conflict'> | undefined> =>
    this.#ask('conflict', question, randomUUID(), signal);

  /** The questions waiting for an answer, oldest first. */
  open(): ReadonlyArray<Prompt> {
    return [...this.#pending.values()].map((p) => p.prompt);
  }

  /** Answers the question, and every other one open about the same thing. */
  answer(id: string, reply: PromptReply): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) throw new TransferError('notFound', 'That question was already answered or withdrawn');
    if (pending.kind !== reply.kind) throw new TransferError('validation', `That question is about a ${pending.kind}, not a ${reply.kind}`);
    for (const other of [...this.#pending.values()]) if (other.key === pending.key) other.settle(reply);
  }

  /** Leaves every open question unanswered: the window is going away. */
  refuseAll(): void {
    for (const pending of [...this.#pending.values()]) pending.settle(undefined);
  }

  #ask<K extends PromptKind>(kind: K, question: QuestionOf<K>, key: string, signal?: AbortSignal): Promise<ReplyOf<K> | undefined> {
    const show = this.#show;
    if (show === undefined || signal?.aborted === true) return Promise.resolve(undefined);
    const id = randomUUID();
    return new Promise<ReplyOf<K> | undefined>((resolve) => {
      const withdraw = (): void => settle(undefined);
      const settle = (reply: PromptReply | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', withdraw);
        this.#pending.delete(id);
        show({ event: 'prompt.settled', payload: { id } });
        resolve(reply?.kind === kind ? (reply as ReplyOf<K>) : undefined);
      };
      const timer = setTimeout(withdraw, this.#unansweredAfterMs);
      timer.unref();
      signal?.addEventListener('abort', withdraw, { once: true });
      const prompt = { id, kind, question } as Prompt;
      this.#pending.set(id, { prompt, kind, key, settle });
      show({ event: 'prompt', payload: prompt });
    });
  }
}
