import { LocalFs } from '../connectors/local/LocalFs.js';
import type { RemoteFs } from '../connectors/types.js';
import { THIS_COMPUTER } from '../shared/contract/models.js';
import type { Workspace } from '../workspace/Workspace.js';
import { observedConnection } from './observedConnection.js';

/** Told when a connection opens, fails to open (with the error), or is closed. */
export type StatusListener = (name: string, change: { readonly opened: boolean } | { readonly error: unknown }) => void;

/**
 * One open connector per connection name, kept while the window uses it: browsing a folder, then
 * another, then dragging from it reuses the same logged-in sessions. `THIS_COMPUTER` is this machine's
 * disks from the root.
 */
export class OpenConnections {
  readonly #workspace: Workspace;
  readonly #open = new Map<string, Promise<RemoteFs>>();
  readonly #onStatus: StatusListener;
  /** 'connected', or 'failed:' and the reason, by connection name: what the windows were last told. */
  readonly #states = new Map<string, string>();

  constructor(workspace: Workspace, onStatus: StatusListener = () => undefined) {
    this.#workspace = workspace;
    this.#onStatus = onStatus;
  }

  get(name: string): Promise<RemoteFs> {
    let fs = this.#open.get(name);
    if (fs === undefined) {
      fs = name === THIS_COMPUTER ? Promise.resolve(new LocalFs('/')) : this.#workspace.open(name).then((opened) => observedConnection(opened, (error) => this.#outcome(name, error)));
      this.#open.set(name, fs);
      fs.catch((error: unknown) => {
        // A connection that failed to open is tried afresh next time, not remembered as broken.
        this.#open.delete(name);
        this.#outcome(name, error);
      });
    }
    return fs;
  }

  /** Tells of a connection's state when it changes, and of each new reason it fails for. */
  #outcome(name: string, error: unknown): void {
    const was = this.#states.get(name);
    if (error === undefined) {
      if (was === 'connected') return;
      this.#states.set(name, 'connected');
      this.#onStatus(name, { opened: true });
      return;
    }
    const reason = error instanceof Error ? error.message : 'unknown';
    if (was === `failed:${reason}`) return;
    this.#states.set(name, `failed:${reason}`);
    this.#onStatus(name, { error });
  }

  /** Closes the connection so that its next use opens it with its current settings. */
  async forget(name: string): Promise<void> {
    const fs = this.#open.get(name);
    this.#open.delete(name);
    const was = this.#states.get(name);
    this.#states.delete(name);
    await fs?.then((f) => f.close()).catch(() => undefined);
    if (was !== undefined) this.#onStatus(name, { opened: false });
  }

  async closeAll(): Promise<void> {
    const all = [...this.#open.keys()];
    await Promise.all(all.map((name) => this.forget(name)));
  }
}
