import { newSecret } from './sessionSecrets.js';

/** Where one start of the web host answers and the secrets that let a browser in. */
export interface LoopbackSite {
  readonly port: number;
  /** `Host` headers that name us; anything else is a rebinding attempt or a misdirected request. */
  readonly hosts: ReadonlySet<string>;
  /** `Origin` headers of our own pages. */
  readonly origins: ReadonlySet<string>;
  /** Given once, in the URL the user opens; exchanged for the session cookie. */
  readonly token: string;
  /**
   * Cookies do not keep ports apart, so the port is in the name: two Ferry windows on different ports of
   * 127.0.0.1 each keep their own session.
   */
  readonly cookieName: string;
  /** A second secret, so the cookie is not the token the terminal showed. */
  readonly session: string;
}

export const LOOPBACK_ADDRESS = '127.0.0.1';

export function loopbackSite(port: number): LoopbackSite {
  const hosts = [`${LOOPBACK_ADDRESS}:${port}`, `localhost:${port}`];
  return {
    port,
    hosts: new Set(hosts),
    origins: new Set(hosts.map((h) => `http://${h}`)),
    token: newSecret(),
    cookieName: `ferry-session-${port}`,
    session: newSecret(),
  };
}
