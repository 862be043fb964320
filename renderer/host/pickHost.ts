import { electronHost } from './electronHost.js';
import { httpHost } from './httpHost.js';
import type { RendererHost } from './RendererHost.js';

/** Inside Electron the preload has put `window.ferry` there; anywhere else the page came from the web host. */
export function pickHost(): RendererHost {
  return window.ferry === undefined ? httpHost() : electronHost(window.ferry);
}
