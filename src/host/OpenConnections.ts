import { LocalFs } from '../connectors/local/LocalFs.js';
import type { RemoteFs } from '../connectors/types.js';
import { THIS_COMPUTER } from '../shared/contract/models.js';
import type { Workspace } from '../workspace/Workspace.js';

/**
 * One open connector per connection name, kept while the window uses it: browsing a folder, then
 * another, then dragging from it reuses the same logged-in sessions. `THIS_COMPUTER` is this machine's
 * disks from the root.
 */
export class OpenConnections {
  readonly #workspace: Workspace;
  readonly #open = new Map<string, Promise<RemoteFs>>();

  constructor(workspace: Workspace) {
    this.#workspace = workspace;
  }

  get(name: string): Promise<RemoteFs> {
    let fs = this.#open.get(name);
    if (fs === undefined) {
      fs = name === THIS_COMPUTER ? Promise.resolve(new LocalFs('/')) : this.#workspace.open(name);
      // A connection that failed to open is tried afresh next time, not remembered as broken.
      fs.catch(() => this.#open.delete(name));
      this.#open.set(name, fs);
    }
    return fs;
  }

  /** Closes the connection so that its next use opens it with its current settings. */
  async forget(name: string): Promise<void> {
    const fs = this.#open.get(name);
    this.#open.delete(name);
    await fs?.then((f) => f.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.#open.keys()];
    await Promise.all(all.map((name) => this.forget(name)));
  }
}
