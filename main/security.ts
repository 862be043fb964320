import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The renderer is an untrusted web page: isolated from Node and from the preload's world, sandboxed by
 * Chromium, and unable to load anything but the app's own files.
 */
export const SECURE_WEB_PREFERENCES: Readonly<WebPreferences> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
};

/**
 * Where the renderer is served from: a privileged custom scheme, so the CSP can be a response header
 * (a `file://` page cannot have one) and no other local file shares the page's origin.
 */
export const APP_URL = 'app://ferry/';

/**
 * Whether a frame shows Ferry's own page. Compared by scheme and host, not by `URL.origin`, which is
 * `"null"` for every non-web scheme and so would match any of them.
 */
export function isAppFrame(frame: { readonly url: string }): boolean {
  if (!URL.canParse(frame.url)) return false;
  const url = new URL(frame.url);
  const app = new URL(APP_URL);
  return url.protocol === app.protocol && url.host === app.host;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Ferry',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  };
}

/** The parts of Electron's WebContents the guards need, so they can be tested without Electron. */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
}

/** Opening windows and navigating away are refused: the app is one page, loaded from its own files. */
export function guardContents(contents: GuardedContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
}

/** Adds the CSP to every response, so that it holds even for content not served from index.html. */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k] = Array.isArray(v) ? v : [v];
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}
