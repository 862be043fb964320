import type { FerryBridge } from '../../src/shared/contract/bridge.js';
import { fail } from '../../src/shared/contract/wire.js';
import { computerPath, type RendererHost } from './RendererHost.js';

declare global {
  interface Window {
    /** Put there by Ferry's preload, inside Electron only. */
    readonly ferry?: FerryBridge<File>;
  }
}

/** The host inside Electron: the preload already checks every answer and event against the contract. */
export function electronHost(bridge: FerryBridge<File>): RendererHost {
  return {
    invoke: (command, input) => bridge.invoke(command, input),
    subscribe: (event, listener) => bridge.subscribe(event, listener),
    localPathOf(file) {
      const path = bridge.pathForFile(file);
      // Electron answers '' for a file that is not on disk (dragged out of another app's memory).
      return path === '' ? undefined : computerPath(path);
    },
    // Main and the window live and die together: events never break off while the window is open.
    onReconnect: () => () => undefined,
    async upload() {
      return fail({ kind: 'unsupported', message: 'This file is not on a disk Ferry can read; save it to a folder first, then drop it again', retryable: false });
    },
  };
}
