import type { CommandInput, CommandName, CommandOutput } from '../../shared/contract/commands.js';
import type { Workspace } from '../../workspace/Workspace.js';
import type { EventHub } from '../EventHub.js';
import type { FolderListings } from '../FolderListings.js';
import type { OpenConnections } from '../OpenConnections.js';
import type { Prompts } from '../Prompts.js';
import type { TransferQueue } from '../TransferQueue.js';

/** The services every area's handlers are built from: one of each per host. */
export interface HostContext {
  readonly workspace: Workspace;
  readonly events: EventHub;
  readonly prompts: Prompts;
  readonly connections: OpenConnections;
  readonly listings: FolderListings;
  readonly transfers: TransferQueue;
  readonly host: 'web' | 'electron';
  readonly version: string;
  /** Tells every pane showing `path` on `connection` that it changed through Ferry. */
  readonly changed: (connection: string, path: string) => void;
}

/** The handlers of one area's commands (`typeof FILES_COMMANDS`, …), each answering its checked input. */
export type HandlersOf<Commands> = {
  readonly [C in keyof Commands & CommandName]: (input: CommandInput<C>) => Promise<CommandOutput<C>>;
};
