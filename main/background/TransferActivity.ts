import type { CoreHost } from '../../src/host/CoreHost.js';
import { TRANSFERS_COMMANDS } from '../../src/shared/contract/transferCommands.js';
import type { BatchState } from '../../src/shared/contract/models.js';

/**
 * Follows the window's transfer queue from the core's events, so the tray can show what runs and quitting
 * can ask first. A batch is busy while it runs, or while it waits in a queue that is not paused; one held
 * by the user's pause is not (waiting for it would never end).
 */
export class TransferActivity {
  readonly #states = new Map<string, BatchState>();
  /** Batches an event spoke of: newer news than any list. */
  readonly #heard = new Set<string>();
  readonly #onChange: () => void;
  #paused = false;
  #idle: Array<() => void> = [];
  #stop: (() => void) | undefined;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Reads the queue as it is (batches taken up again after a restart) and follows it from then on. */
  async follow(core: Pick<CoreHost, 'invoke' | 'subscribe'>): Promise<void> {
    this.#stop = core.subscribe((message) => {
      if (message.event === 'transfer.state') this.#set(message.payload.id, message.payload.state);
      else if (message.event === 'transfers.paused') this.#setPaused(message.payload.paused);
      else if (message.event === 'transfers.removed') for (const id of message.payload.ids) this.#set(id, 'done');
    });
    const listed = await core.invoke('transfers.list', {});
    if (!listed.ok) throw new Error(`The transfer queue could not be read: ${listed.error.message}`);
    const { transfers, paused } = TRANSFERS_COMMANDS['transfers.list'].output.parse(listed.value);
    // Events that arrived while the list was on its way are newer: they are kept.
    for (const snapshot of transfers) if (!this.#heard.has(snapshot.id)) this.#states.set(snapshot.id, snapshot.state);
    this.#setPaused(paused);
  }

  /** Batches running or waiting to run. */
  busy(): number {
    let count = 0;
    for (const state of this.#states.values()) if (state === 'running' || (state === 'queued' && !this.#paused)) count++;
    return count;
  }

  /** Resolves once no batch is busy. */
  idle(): Promise<void> {
    if (this.busy() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  close(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  #set(id: string, state: BatchState): void {
    this.#heard.add(id);
    if (state === 'done' || state === 'failed' || state === 'cancelled') this.#states.delete(id);
    else this.#states.set(id, state);
    this.#changed();
  }

  #setPaused(paused: boolean): void {
    this.#paused = paused;
    this.#changed();
  }

  #changed(): void {
    if (this.busy() === 0) for (const resolve of this.#idle.splice(0)) resolve();
    this.#onChange();
  }
}
