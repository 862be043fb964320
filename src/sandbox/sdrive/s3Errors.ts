import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A refusal answered in S3's XML error shape rather than Salesforce's JSON one. */
export class S3Failure extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra elements S3 adds to some errors, e.g. `Key` for NoSuchKey. */
  readonly details: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, details: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const accessDenied = (message: string): S3Failure => new S3Failure(403, 'AccessDenied', message);

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sendS3Error(res: ServerResponse, failure: S3Failure): void {
  const details = Object.entries(failure.details)
    .map(([name, value]) => `<${name}>${xmlText(value)}</${name}>`)
    .join('');
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${xmlText(failure.message)}</Message>` +
    `${details}<RequestId>${requestId}</RequestId></Error>`;
  res.writeHead(failure.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
