import type { EventHub } from '../EventHub.js';

export interface FailedConnection {
  readonly name: string;
  /** In plain words, as the window was told. */
  readonly summary: string;
  readonly advice: string;
  readonly at: number;
}

/**
 * The saved connections whose last use in this host failed, from the same `connection.status` events the
 * window follows: one that opens again, or is closed or removed, is no longer listed.
 */
export class ConnectionHealth {
  readonly #failed = new Map<string, FailedConnection>();
  readonly #stop: () => void;

  constructor(events: EventHub, now: () => number) {
    this.#stop = events.subscribe((message) => {
      if (message.event !== 'connection.status') return;
      const { name, state, problem } = message.payload;
      if (state === 'failed') this.#failed.set(name, { name, summary: problem?.summary ?? 'It could not be opened.', advice: problem?.advice ?? '', at: now() });
      else this.#failed.delete(name);
    });
  }

  failed(): FailedConnection[] {
    return [...this.#failed.values()].sort((a, b) => b.at - a.at);
  }

  close(): void {
    this.#stop();
  }
}
