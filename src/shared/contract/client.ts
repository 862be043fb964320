import type { CommandInput, CommandName, CommandOutput } from './commands.js';
import type { EventName, EventPayload } from './events.js';
import type { Wire } from './wire.js';

/**
 * What the UI sees of the core, whatever carries it (the Electron preload, the local web host, an
 * in-memory host in tests). `invoke` never throws for a failed command: the error is a value.
 */
export interface HostApi {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>>;
  /** Calls `listener` for each event of that name until the returned function is called. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
