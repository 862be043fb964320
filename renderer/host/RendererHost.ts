import type { HostApi } from '../../src/shared/contract/client.js';
import type { Location } from '../../src/shared/contract/models.js';
import type { Wire } from '../../src/shared/contract/wire.js';

/**
 * The contract's `HostApi` plus what only a window has: files dragged in from the desktop. Electron can
 * name such a file's path, so it is copied from this computer like any other; a browser cannot, so the
 * file's bytes are sent to the host.
 */
export interface RendererHost extends HostApi {
  /** The file's path on this computer, relative to the file system's root, when the host can tell. */
  localPathOf(file: File): string | undefined;
  /** Streams a dropped file into the folder `target` under its own name. */
  upload(file: File, target: Location): Promise<Wire<{ readonly path: string }>>;
  /**
   * Calls `listener` each time events flow again after a break (the web host restarted), when events may
   * have been missed and what the window shows should be read again.
   */
  onReconnect(listener: () => void): () => void;
}

/** `/home/ana/a.csv` or `C:\Users\ana\a.csv` as a `@computer` path: forward slashes, no leading slash. */
export function computerPath(absolute: string): string {
  return absolute.replaceAll('\\', '/').replace(/^\/+/, '');
}
