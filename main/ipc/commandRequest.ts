import type { z } from 'zod';
import { COMMANDS, isCommandName, type CommandName } from '../../src/shared/contract/commands.js';
import { isEventName, type EventName } from '../../src/shared/contract/events.js';
import { fail, ok, type Wire } from '../../src/shared/contract/wire.js';

/** A command whose name is in the contract and whose input its schema accepted, rebuilt by that schema. */
export interface CheckedCommand {
  readonly command: CommandName;
  readonly input: unknown;
}

/**
 * Reads `{ command, input }` as the page sent it. Refuses anything but plain data before the schema
 * sees it: structured clone lets a `Map` or `Date` through, and an object schema would take either for `{}`.
 */
export function checkCommand(payload: unknown): Wire<CheckedCommand> {
  if (!isPlainObject(payload) || !isPlainData(payload)) return badRequest('A command must come as plain data: { command, input }');
  const { command, input, ...rest } = payload;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return badRequest(`A command has only "command" and "input", not "${extra}"`);
  if (typeof command !== 'string') return badRequest('A command needs a name');
  if (!isCommandName(command)) return fail({ kind: 'unknownCommand', message: `Ferry has no command named "${command}"`, retryable: false });
  const parsed = COMMANDS[command].input.safeParse(input);
  if (!parsed.success) return badRequest(`${command}: ${describe(parsed.error.issues[0])}`);
  return ok({ command, input: parsed.data });
}

/** Reads the event name of a subscribe or unsubscribe request. */
export function checkEventName(payload: unknown): Wire<EventName> {
  if (typeof payload !== 'string') return badRequest('An event subscription needs an event name');
  if (!isEventName(payload)) return badRequest(`Ferry has no event named "${payload}"`);
  return ok(payload);
}

function badRequest(message: string): Wire<never> {
  return fail({ kind: 'badRequest', message, retryable: false });
}

function describe(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'the input does not match the command';
  return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** JSON's values (and `undefined`, which an optional field may hold), nothing with a prototype of its own. */
function isPlainData(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every(isPlainData);
      return isPlainObject(value) && Object.values(value).every(isPlainData);
    default:
      return false;
  }
}
