import type { Readable } from 'node:stream';
import type { EventMessage } from '../shared/contract/events.js';
import type { Location } from '../shared/contract/models.js';
import type { Wire } from '../shared/contract/wire.js';

/**
 * The core as every transport sees it: one implementation, built from the services the CLI uses, that
 * checks each payload against the contract itself. Transports add only what their medium needs (who
 * may call, how bytes travel); no behaviour lives in a transport.
 */
export interface CoreHost {
  /** Runs `command` with `input` checked against its schema; answers as `Wire`, never throws. */
  invoke(command: string, input: unknown): Promise<Wire<unknown>>;
  /** Every event, in order, until the returned function is called. */
  subscribe(listener: (message: EventMessage) => void): () => void;
  /**
   * Receives one file dropped from the desktop into a browser (which has no path for it): streams it
   * into the folder `target` under `name`, as a copy through the engine would (partial name, verified).
   */
  receive(target: Location, name: string, data: Readable, size: number | undefined): Promise<Wire<{ readonly path: string }>>;
  /** Ends every transfer and connection it started. */
  close(): Promise<void>;
}
