import type { IncomingMessage } from 'node:http';
import { apiError } from './respond.js';

/** The real REST API refuses JSON request bodies above 50 MB (37.5 MB of base64 in a blob field). */
export const MAX_JSON_BODY_BYTES = 52_428_800;

/** Reads the whole request body, refusing it with Salesforce's own error once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw apiError(400, 'JSON_PARSER_ERROR', `Maximum size of request reached. Maximum size of request is ${limit} bytes.`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty body is `undefined`, bad JSON the real JSON_PARSER_ERROR. */
export async function readJson(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (e) {
    throw apiError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`);
  }
}

/** Reads an `application/x-www-form-urlencoded` body (OAuth endpoints). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, 1024 * 1024);
  return new URLSearchParams(body.toString('utf8'));
}

/** A JSON object body, or the error Salesforce gives for anything else. */
export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw apiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}
