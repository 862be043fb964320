import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../context.js';

export interface RouteRequest {
  readonly method: string;
  readonly url: URL;
  /** Path parameters named in the pattern, already percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly raw: IncomingMessage;
  /** Who the bearer token belongs to; set on every authenticated route. */
  readonly principal: Principal | undefined;
}

export type RouteHandler = (req: RouteRequest, res: ServerResponse) => Promise<void>;

interface Route<H> {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: ReadonlyArray<string>;
  /** A label for counters, e.g. `POST /services/data/:version/sobjects/:type`. */
  readonly label: string;
  readonly handler: H;
}

export interface RouteMatch<H> {
  readonly label: string;
  readonly params: Readonly<Record<string, string>>;
  readonly handler: H;
}

/**
 * Method + path patterns. `:name` matches one segment, `*name` the rest of the path. The first route
 * added wins, so specific routes go before general ones.
 */
export class Router<H = RouteHandler> {
  readonly #routes: Array<Route<H>> = [];

  add(method: string, path: string, handler: H, label = `${method} ${path}`): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        if (seg.startsWith('*')) {
          names.push(seg.slice(1));
          return '(.+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.#routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, label, handler });
  }

  /** The matching route, `'method'` when only the method differs, or undefined. */
  match(method: string, pathname: string): RouteMatch<H> | 'method' | undefined {
    let otherMethod = false;
    for (const r of this.#routes) {
      const m = r.pattern.exec(pathname);
      if (m === null) continue;
      if (r.method !== method) {
        otherMethod = true;
        continue;
      }
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => {
        params[n] = safeDecode(m[i + 1] ?? '');
      });
      return { label: r.label, params, handler: r.handler };
    }
    return otherMethod ? 'method' : undefined;
  }
}

export type { ServerResponse };

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
