import { checkedAnswer, checkedEvent } from './checked.js';
import { fail } from '../../src/shared/contract/wire.js';
import { computerPath, type RendererHost } from './RendererHost.js';

/** What the preload exposes as `window.ferry`: plain functions, no IPC objects. */
export interface FerryBridge {
  invoke(command: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** `webUtils.getPathForFile`: '' when the file is not on disk. */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    readonly ferry?: FerryBridge;
  }
}

/** The host inside Electron: every answer and event is checked against the contract as it crosses. */
export function electronHost(bridge: FerryBridge): RendererHost {
  return {
    async invoke(command, input) {
      return checkedAnswer(command, await bridge.invoke(command, input));
    },
    subscribe(event, listener) {
      return bridge.subscribe(event, (raw) => {
        const payload = checkedEvent(event, raw);
        if (payload !== undefined) listener(payload);
      });
    },
    localPathOf(file) {
      const path = bridge.pathForFile(file);
      return path === '' ? undefined : computerPath(path);
    },
    async upload() {
      return fail({ kind: 'unsupported', message: 'This file is not on a disk Ferry can read; save it to a folder first, then drop it again', retryable: false });
    },
  };
}
