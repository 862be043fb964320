import type { HostApi } from './client.js';

/**
 * The channels between the desktop window's preload and Ferry's main process. Both ends import them
 * from here, so a renamed channel cannot leave one end listening to nothing.
 */
export const IPC_CHANNELS = {
  /** Preload → main, `{ command, input }`; answered with `Wire<output>`. */
  invoke: 'ferry:invoke',
  /** Preload → main, an event name: main starts sending that event to this window. */
  subscribe: 'ferry:subscribe',
  /** Preload → main, an event name: main stops sending it. */
  unsubscribe: 'ferry:unsubscribe',
  /** Main → preload, one `EventMessage`. */
  event: 'ferry:event',
} as const;

/** The page reaches the bridge as `window.ferry`. */
export const BRIDGE_KEY = 'ferry';

/**
 * What the desktop window's page gets from the preload: the host API, plus the one thing only the
 * desktop can tell. `TFile` is the DOM's `File`; this folder is compiled without the DOM library, so
 * the renderer names it: `window.ferry: FerryBridge<File>`.
 */
export interface FerryBridge<TFile> extends HostApi {
  /** Where a file dropped from the desktop lies on this machine (`File.path` no longer exists). */
  pathForFile(file: TFile): string;
}
