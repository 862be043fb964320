import type { z } from 'zod';
import { COMMANDS, type CommandName, type CommandOutput } from '../../src/shared/contract/commands.js';
import { EVENTS, type EventName, type EventPayload } from '../../src/shared/contract/events.js';
import { parseWire, type Wire } from '../../src/shared/contract/wire.js';

/** An answer that crossed a transport, checked against the command's output schema. */
export function checkedAnswer<C extends CommandName>(command: C, raw: unknown): Wire<CommandOutput<C>> {
  // For a generic C, TypeScript sees the union of every command's schema; at run time it is C's own.
  const schema = COMMANDS[command].output as unknown as z.ZodType<CommandOutput<C>>;
  return parseWire(schema, raw);
}

/** An event's payload checked against its schema; undefined (dropped) when it does not match. */
export function checkedEvent<E extends EventName>(event: E, raw: unknown): EventPayload<E> | undefined {
  const parsed = EVENTS[event].safeParse(raw);
  return parsed.success ? (parsed.data as EventPayload<E>) : undefined;
}
