import type { Principal, SandboxContext } from '../context.js';

/** One REST operation's input, whether it came over HTTP or inside a Composite request. */
export interface ApiRequest {
  readonly ctx: SandboxContext;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** Request headers, lower-case names (Composite subrequests carry their own `httpHeaders`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly principal: Principal;
  /** The API version of the URL, without the `v`: '64.0'. */
  readonly version: string;
  /** Compensations for what the operation changed, run in reverse when an all-or-none batch fails. */
  readonly undo: Array<() => Promise<void>>;
}

export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
}

export type ApiOperation = (req: ApiRequest) => Promise<ApiResult>;
