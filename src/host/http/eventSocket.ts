import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { CoreHost } from '../CoreHost.js';

/** Close code for "the server is going away". */
const GOING_AWAY = 1001;

/** How long a browser has to answer our close before its socket is cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * `/api/events`: every event of the core, one JSON `EventMessage` per message, for as long as the socket
 * is open. The page only listens; what it sends is ignored, and anything large closes the socket.
 */
export class EventSocket {
  readonly #server = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  constructor(core: CoreHost) {
    this.#server.on('connection', (socket: WebSocket) => {
      const unsubscribe = core.subscribe((message) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      });
      socket.on('close', unsubscribe);
      // A broken socket reports here; without a listener the error would end the process.
      socket.on('error', () => socket.terminate());
    });
  }

  /** Completes an upgrade the caller has already checked (address, origin, session). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#server.handleUpgrade(req, socket, head, (ws) => this.#server.emit('connection', ws, req));
  }

  /** Closes every socket with "going away", so that pages know the host stopped rather than failed. */
  async close(): Promise<void> {
    await Promise.all([...this.#server.clients].map(closeSocket));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function closeSocket(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const cut = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    socket.close(GOING_AWAY, 'Ferry stopped');
  });
}
