import type { MemoryHost } from '../../renderer/host/memoryHost.js';
import type { CommandInput, CommandName } from '../../src/shared/contract/commands.js';
import { ok } from '../../src/shared/contract/wire.js';

/** What a screen's test answers in place of the memory host, by command. */
export type Answers = { readonly [C in CommandName]?: (input: CommandInput<C>) => unknown };

/**
 * `host`, answering `answers`' commands itself and recording each call as the memory host records its
 * own; every other command goes on to the memory host.
 */
export function answering(host: MemoryHost, answers: Answers): MemoryHost {
  const invoke = host.invoke.bind(host);
  host.invoke = async (command, input) => {
    const answer = answers[command] as ((input: unknown) => unknown) | undefined;
    if (answer === undefined) return invoke(command, input);
    (host.calls as Array<{ command: CommandName; input: unknown }>).push({ command, input });
    return ok(answer(input)) as never;
  };
  return host;
}

/** The inputs `command` was called with, oldest first. */
export function callsOf<C extends CommandName>(host: MemoryHost, command: C): Array<CommandInput<C>> {
  return host.calls.filter((c) => c.command === command).map((c) => c.input as CommandInput<C>);
}
