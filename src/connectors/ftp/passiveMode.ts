import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { FTPError, type FTPContext, type FTPResponse, type TransferStrategy } from 'basic-ftp';
import type { TransferError } from '../errors.js';

/**
 * Decides whether a data connection's TLS peer is the server we verified on the control connection;
 * returns the refusal or undefined.
 */
export type DataPeerCheck = (socket: TLSSocket) => TransferError | undefined;

/** For finding out whether a server resumes TLS sessions on data connections, and whether it insists. */
export interface DataTlsOptions {
  /** Open data connections with a fresh TLS session, as a client that does not reuse sessions would. */
  readonly withholdSession?: boolean;
  /** Told, once each data connection's handshake is done, whether it resumed the session. */
  readonly onHandshake?: (resumed: boolean) => void;
}

/**
 * basic-ftp's passive-mode strategy, replaced for four reasons:
 * - The data connection always goes to the control connection's address. A PASV reply naming another
 *   host is ignored rather than followed (no FTP bounce, no NAT confusion), like lftp's
 *   `ftp:ignore-pasv-address`; EPSV is tried first and PASV only after the server refused EPSV.
 * - A TLS data connection presents the control connection's session, so that servers demanding reuse
 *   (vsftpd `require_ssl_reuse=YES`, most partner servers) accept it, and fresh TLS 1.3 tickets the
 *   server sends on it are kept for the next one. A data connection that was not resumed is checked
 *   against the same trust policy as the control connection, because Node was told not to reject
 *   certificates itself (so that a refusal can show the certificate).
 * - A broken data connection fails only the transfer, not the control connection: basic-ftp would close
 *   the control connection and drop the reply the server sends right after (pure-ftpd's
 *   "552 Quota exceeded" arrives after it resets the upload), which the caller wants to read.
 * - TCP_NODELAY, so the last small segment of a transfer is not held back.
 */
export function passiveTransferStrategy(checkDataPeer: DataPeerCheck, tls: DataTlsOptions = {}): TransferStrategy {
  let epsvRefused = false;
  return async (ftp: FTPContext): Promise<FTPResponse> => {
    const controlHost = ftp.socket.remoteAddress;
    if (controlHost === undefined) throw new Error('The control connection is closed');
    let res: FTPResponse;
    let port: number;
    if (!epsvRefused) {
      try {
        res = await ftp.request('EPSV');
        port = parseEpsvPort(res.message);
        await openDataConnection(ftp, controlHost, port, checkDataPeer, tls);
        return res;
      } catch (e) {
        // Only a refusal of EPSV itself means "try PASV"; anything else is a real failure.
        if (!(e instanceof FTPError) || e.code < 500) throw e;
        epsvRefused = true;
      }
    }
    res = await ftp.request('PASV');
    port = parsePasvPort(res.message);
    await openDataConnection(ftp, controlHost, port, checkDataPeer, tls);
    return res;
  };
}

export function parseEpsvPort(message: string): number {
  const m = /\(([!-~])\1\1(\d{1,5})\1\)/.exec(message);
  const port = m === null ? NaN : Number.parseInt(m[2] ?? '', 10);
  if (!(port > 0 && port < 65536)) throw new Error(`Cannot parse the EPSV reply: ${message}`);
  return port;
}

export function parsePasvPort(message: string): number {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(message);
  if (m === null) throw new Error(`Cannot parse the PASV reply: ${message}`);
  const port = Number(m[5]) * 256 + Number(m[6]);
  if (!(port > 0 && port < 65536)) throw new Error(`Cannot parse the PASV reply: ${message}`);
  return port;
}

function openDataConnection(ftp: FTPContext, host: string, port: number, checkDataPeer: DataPeerCheck, tls: DataTlsOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const raw = netConnect({ host, port, ...(ftp.ipFamily === undefined ? {} : { family: ftp.ipFamily }) });
    const onConnectError = (err: Error): void => {
      raw.destroy();
      reject(new Error(`Cannot open the data connection to ${host}:${port}: ${err.message}`, { cause: err }));
    };
    const onConnectTimeout = (): void => {
      raw.destroy();
      reject(new Error(`Timeout when opening the data connection to ${host}:${port}`));
    };
    raw.setTimeout(ftp.timeout);
    raw.once('error', onConnectError);
    raw.once('timeout', onConnectTimeout);
    raw.once('connect', () => {
      raw.removeListener('error', onConnectError);
      raw.removeListener('timeout', onConnectTimeout);
      raw.setTimeout(0);
      raw.setNoDelay(true);
      let socket: Socket = raw;
      const control = ftp.socket;
      if (control instanceof TLSSocket) {
        const session = tls.withholdSession === true ? undefined : (ftp.tlsSessionStore ?? control.getSession());
        const secure = tlsConnect({ ...ftp.tlsOptions, socket: raw, ...(session === undefined ? {} : { session }) });
        secure.on('session', (s: Buffer) => {
          ftp.tlsSessionStore = s;
        });
        let handshakeDone = false;
        // Registered before basic-ftp waits for 'secureConnect' to start an upload, so a refused peer
        // is destroyed before a byte is written; downloads receive nothing before the handshake ends.
        secure.once('secureConnect', () => {
          handshakeDone = true;
          tls.onHandshake?.(secure.isSessionReused());
          if (secure.isSessionReused()) return;
          const refusal = checkDataPeer(secure);
          if (refusal !== undefined) secure.destroy(refusal);
        });
        // basic-ftp starts an upload at once when `getCipher()` is defined, taking that to mean the
        // handshake is over. With a resumed TLS 1.3 session Node reports the session's cipher from the
        // start, so an empty upload ended the socket mid-handshake: Node sent FIN without its Finished
        // message, vsftpd's SSL_accept failed ("unexpected eof") and vsftpd killed the whole session.
        // Until 'secureConnect' the cipher is hidden, so the upload waits for the handshake.
        const realGetCipher = secure.getCipher.bind(secure);
        Object.defineProperty(secure, 'getCipher', { value: () => (handshakeDone ? realGetCipher() : undefined) });
        socket = secure;
      }
      // Some servers start the TLS handshake only after the transfer command, so the transfer owns
      // the wait for 'secureConnect'; here the connection is only handed over.
      const before = { error: socket.listeners('error'), close: socket.listeners('close') };
      ftp.dataSocket = socket;
      keepControlOnDataFailure(ftp, socket, before);
      resolve();
    });
  });
}

/**
 * Replaces basic-ftp's data-socket handlers (which close the whole client on any data-socket error)
 * with ones that let the running transfer report the error and keep the control connection open. If
 * no transfer picks the error up (it happened before one started), the client is closed as before so
 * that the waiting command fails instead of hanging. After our side finished, the error is dropped and
 * the server's reply decides (the control connection's timeout still guards against silence).
 */
function keepControlOnDataFailure(ftp: FTPContext, socket: Socket, before: Readonly<Record<'error' | 'close', ReturnType<Socket['listeners']>>>): void {
  // Only the listeners basic-ftp just added go: Node's own TLS listeners must stay.
  for (const event of ['error', 'close'] as const) {
    for (const listener of socket.listeners(event)) {
      if (!before[event].includes(listener)) socket.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  const closeUnlessHandled = (err: Error): void => {
    // Once our side of the transfer is complete, a reset tells nothing the control reply will not:
    // pure-ftpd resets an upload it refuses and then explains with "552 Quota exceeded".
    if (socket.writableFinished || socket.readableEnded) {
      socket.destroy();
      return;
    }
    setImmediate(() => {
      if (ftp.dataSocket === socket) ftp.closeWithError(err);
    });
  };
  socket.on('error', closeUnlessHandled);
  socket.once('close', (hadError: boolean) => {
    if (hadError) closeUnlessHandled(new Error('The data connection closed after a transmission error'));
  });
}
