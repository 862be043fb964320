import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fail } from '../../shared/contract/wire.js';
import type { CoreHost } from '../CoreHost.js';
import { foreignRequestRefusal, hasSession, NO_SESSION, type Refusal } from './accessChecks.js';
import { answerCommand } from './commandRoute.js';
import { EventSocket } from './eventSocket.js';
import { LOOPBACK_ADDRESS, loopbackSite, type LoopbackSite } from './loopbackSite.js';
import { requestTarget, safeSegments, withoutParameter, type RequestTarget } from './requestTarget.js';
import { sendText, sendWire } from './responses.js';
import { securityHeaders } from './securityHeaders.js';
import { sameSecret } from './sessionSecrets.js';
import { StaticFiles } from './staticFiles.js';
import { answerUpload } from './uploadRoute.js';

export interface WebHostOptions {
  readonly core: CoreHost;
  /** 0 picks a free port. */
  readonly port: number;
  /** The built window (index.html and its assets). */
  readonly staticDir: string;
  /** Told of failures that are Ferry's, not the page's (a request answered 500); never of secrets. */
  readonly onError?: (error: unknown) => void;
}

export interface WebHost {
  /** The one address that lets a browser in: it carries this start's token. */
  readonly url: string;
  /** Closes the event sockets and the server. The core is the caller's to close. */
  close(): Promise<void>;
}

const API = '/api/';
const EVENTS_PATH = '/api/events';
const UPLOAD_PATH = '/api/upload';

/**
 * Serves Ferry's window and the core behind it to a browser on this machine: on 127.0.0.1 only, to
 * pages of its own origin only, and only to a browser that came in through the address it printed.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  // An upload of a large file may take longer than Node's five-minute default for a whole request.
  const server = createServer({ requestTimeout: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const site = loopbackSite((server.address() as AddressInfo).port);
  const headers = securityHeaders(site);
  const files = new StaticFiles(options.staticDir);
  const events = new EventSocket(options.core);
  const onError = options.onError ?? ((): void => undefined);
  // After listening, the server reports only failures to accept a connection; they must not end Ferry.
  server.on('error', onError);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    answer(req, res, site, options.core, files).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) sendWire(res, 500, fail({ kind: 'internal', message: 'Ferry failed to answer this request', retryable: false }));
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, site);
    if (refusal === undefined) events.accept(req, socket, head);
    else refuseUpgrade(socket, refusal);
  });

  return {
    url: `http://${LOOPBACK_ADDRESS}:${site.port}/?token=${site.token}`,
    close: async () => {
      await events.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests still running (an upload) end now; the core drops what they had half written.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, site: LoopbackSite, core: CoreHost, files: StaticFiles): Promise<void> {
  const foreign = foreignRequestRefusal(req, site);
  if (foreign !== undefined) {
    sendText(res, foreign.status, foreign.text);
    return;
  }
  const target = requestTarget(req.url);
  if (target === undefined) {
    sendText(res, 400, 'Bad request target.');
    return;
  }
  const isApi = target.path.startsWith(API);
  if (!isApi && target.query.has('token')) {
    exchangeToken(req, res, site, target);
    return;
  }
  if (!hasSession(req, site)) {
    sendText(res, NO_SESSION.status, NO_SESSION.text);
    return;
  }
  if (target.path === UPLOAD_PATH) await answerUpload(req, res, core, target.query);
  else if (target.path === EVENTS_PATH) sendText(res, 426, 'The event stream is a WebSocket.', { Upgrade: 'websocket' });
  else if (isApi) await answerCommand(req, res, core, target.path.slice(API.length));
  else {
    const segments = safeSegments(target.path);
    if (segments === undefined) sendText(res, 400, 'Refused a path that leaves the window folder.');
    else await files.serve(req, res, segments);
  }
}

/**
 * The first load: the token from the printed address becomes a session cookie the page's scripts cannot
 * read and other sites' requests do not carry, and the address bar loses the token.
 */
function exchangeToken(req: IncomingMessage, res: ServerResponse, site: LoopbackSite, target: RequestTarget): void {
  const token = target.query.getAll('token');
  if ((req.method !== 'GET' && req.method !== 'HEAD') || token.length !== 1 || !sameSecret(token[0] ?? '', site.token)) {
    sendText(res, NO_SESSION.status, NO_SESSION.text);
    return;
  }
  res.writeHead(303, {
    'Set-Cookie': `${site.cookieName}=${site.session}; HttpOnly; SameSite=Strict; Path=/`,
    Location: withoutParameter(target, 'token'),
    'Cache-Control': 'no-store',
  });
  res.end();
}

function upgradeRefusal(req: IncomingMessage, site: LoopbackSite): Refusal | undefined {
  const foreign = foreignRequestRefusal(req, site);
  if (foreign !== undefined) return foreign;
  if (requestTarget(req.url)?.path !== EVENTS_PATH) return { status: 404, text: 'Not found.' };
  return hasSession(req, site) ? undefined : NO_SESSION;
}

/** Before the upgrade there is no `ServerResponse`: the refusal is written on the socket itself. */
function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const body = `${refusal.text}\n`;
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Refused'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
