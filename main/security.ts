/**
 * Where the renderer is served from: a privileged custom scheme, so the CSP can be a response header
 * (a `file://` page cannot have one) and no other local file shares the page's origin.
 */
export const APP_URL = 'app://ferry/';

/** The window's one page. */
export const APP_PAGE = `${APP_URL}index.html`;

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

interface Preventable {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the guards need, so they can be tested without Electron. */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): void;
  on(event: 'will-redirect', listener: (event: Preventable, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): void;
}

/**
 * The app is one page loaded from its own files: opening windows, navigating or being redirected away,
 * and embedding a webview are all refused.
 */
export function guardContents(contents: GuardedContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (url !== APP_PAGE) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (url !== APP_PAGE) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The parts of Electron's Session the guards need. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/** Ferry's page needs no camera, notification, clipboard-read or other permission: every request and check is refused. */
export function guardSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
