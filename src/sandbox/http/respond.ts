import type { ServerResponse } from 'node:http';

export const JSON_TYPE = 'application/json;charset=UTF-8';

/** One entry of Salesforce's REST error envelope. */
export interface ApiErrorEntry {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: ReadonlyArray<string>;
}

/**
 * A failure answered with Salesforce's own shape. REST errors carry a JSON array of
 * `{message, errorCode, fields}`; OAuth errors an `{error, error_description}` object.
 */
export class SfHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** A REST error with one entry: `apiError(400, 'MALFORMED_ID', '...')`. */
export function apiError(status: number, errorCode: string, message: string, fields?: ReadonlyArray<string>): SfHttpError {
  const entry: ApiErrorEntry = fields === undefined ? { message, errorCode } : { message, errorCode, fields };
  return new SfHttpError(status, [entry]);
}

export function oauthError(status: number, error: string, description: string): SfHttpError {
  return new SfHttpError(status, { error, error_description: description });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

export function sendError(res: ServerResponse, error: SfHttpError, headers: Readonly<Record<string, string>> = {}): void {
  sendJson(res, error.status, error.body, { ...headers, ...error.headers });
}
