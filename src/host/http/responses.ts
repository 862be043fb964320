import type { ServerResponse } from 'node:http';
import { fail, type Wire } from '../../shared/contract/wire.js';

export function sendText(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

export function sendWire(res: ServerResponse, status: number, wire: Wire<unknown>, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(wire);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

/** The envelope of a request was wrong; nothing reached the core. */
export function badRequest(message: string): Wire<never> {
  return fail({ kind: 'badRequest', message, retryable: false });
}
