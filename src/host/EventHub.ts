import type { EventMessage } from '../shared/contract/events.js';

/** Fans the core's events out to every transport that listens. A listener that throws harms no other. */
export class EventHub {
  readonly #listeners = new Set<(message: EventMessage) => void>();

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(message: EventMessage): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch {
        // One broken transport (a closed socket) must not keep events from the others.
      }
    }
  }
}
