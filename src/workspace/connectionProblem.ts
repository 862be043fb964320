import { isTransferError, TransferError } from '../connectors/errors.js';
import type { ConnectionProblemView, ProblemCause } from '../shared/contract/connectionModels.js';
import type { TransferErrorKind } from '../shared/model/errorKinds.js';

/** How the failed connection signs in: the same refusal means a wrong password or a refused key. */
export interface ProblemContext {
  readonly protocol: 'ftp' | 'sftp' | 'local' | 'salesforce';
  readonly signsInWithKey: boolean;
}

/**
 * The control connection answered and signed in, but a data connection (a folder listing) failed: on
 * FTP that is the signature of a firewall blocking the passive data ports.
 */
export class DataConnectionError extends TransferError {
  constructor(cause: TransferError) {
    super(cause.kind, `Signed in, but listing the folder failed: ${cause.message}`, { cause });
  }
}

const WORDS: Readonly<Record<ProblemCause, { summary: string; advice: string }>> = {
  credentials: {
    summary: 'The server refused the user name or password.',
    advice: 'Check both with the partner; a password may have expired or been changed.',
  },
  keyRefused: {
    summary: 'The server refused the key.',
    advice: 'Ask the partner to add your public key for this user, or check the key file and its passphrase.',
  },
  hostNotFound: {
    summary: 'The server name was not found.',
    advice: 'Check the spelling of the server name; if it is right, this computer’s network cannot look it up (VPN off?).',
  },
  refused: {
    summary: 'The server refused the connection.',
    advice: 'Nothing listens on that port: check the port number and the protocol (FTP 21, implicit FTPS 990, SFTP 22).',
  },
  noRoute: {
    summary: 'There is no route to the server.',
    advice: 'This computer cannot reach that network: check the VPN or ask your IT whether a firewall blocks it.',
  },
  timeout: {
    summary: 'The server did not answer in time.',
    advice: 'A firewall may drop the connection silently, or the server is down. Check the address and port, then try again later.',
  },
  certificateExpired: {
    summary: 'The server’s certificate has expired.',
    advice: 'Ask the partner to renew it. Ferry does not send files to a server whose certificate has expired.',
  },
  certificateUntrusted: {
    summary: 'The server’s certificate is not trusted.',
    advice: 'It is self-signed or issued by an authority this computer does not know: compare its fingerprint with the one the partner gave you.',
  },
  hostKey: {
    summary: 'The server’s key was not accepted.',
    advice: 'Compare the key’s fingerprint with the one the partner gave you. A key that changed may mean someone stands in between.',
  },
  passiveBlocked: {
    summary: 'Signed in, but the data connection was blocked.',
    advice: 'The server accepts the sign-in but not the connection that carries files and folder lists: a firewall blocks its passive ports. Ask the partner or your IT to open them.',
  },
  notFound: {
    summary: 'The folder was not found.',
    advice: 'The sign-in worked, but the remote folder in the address does not exist: check the path.',
  },
  other: {
    summary: 'The connection failed.',
    advice: 'The details below say what the server answered.',
  },
};

/** How a data port a firewall blocks answers: refused (REJECT), silent (DROP), or cut. */
const DATA_PORT_UNREACHABLE = ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'];

/** Turns the error a connector threw while connecting into a cause and plain words. */
export function explainProblem(error: unknown, context: ProblemContext): ConnectionProblemView {
  const cause = causeOf(error, context);
  const detail = error instanceof Error ? error.message : String(error);
  return { cause, ...WORDS[cause], detail };
}

function causeOf(error: unknown, { protocol, signsInWithKey }: ProblemContext): ProblemCause {
  const kind: TransferErrorKind | undefined = isTransferError(error) ? error.kind : undefined;
  const codes = codesOf(error);
  const text = error instanceof Error ? error.message : String(error);
  // First: a refused or silent data port comes with the same socket codes as a refused server, but the
  // server itself answered and signed in.
  if (error instanceof DataConnectionError && protocol === 'ftp' && (kind === 'network' || kind === 'timeout' || DATA_PORT_UNREACHABLE.some((c) => codes.has(c)))) {
    return 'passiveBlocked';
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN') || /does not resolve|cannot resolve/i.test(text)) return 'hostNotFound';
  if (codes.has('ECONNREFUSED')) return 'refused';
  if (codes.has('EHOSTUNREACH') || codes.has('ENETUNREACH') || codes.has('ENETDOWN')) return 'noRoute';
  if (kind === 'certificate' || kind === 'config') {
    if (codes.has('CERT_HAS_EXPIRED') || /expired/i.test(text)) return 'certificateExpired';
    if (kind === 'certificate') return 'certificateUntrusted';
  }
  if (kind === 'hostKey') return 'hostKey';
  if (kind === 'timeout' || codes.has('ETIMEDOUT')) return 'timeout';
  if (kind === 'auth') return signsInWithKey && protocol === 'sftp' ? 'keyRefused' : 'credentials';
  if (kind === 'notFound') return 'notFound';
  return 'other';
}

/** Node's error codes anywhere down the cause chain (a TransferError wraps the socket's error). */
function codesOf(error: unknown): Set<string> {
  const codes = new Set<string>();
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const { code, reason } = current as Error & { code?: unknown; reason?: unknown };
    if (typeof code === 'string') codes.add(code);
    if (typeof reason === 'string') codes.add(reason);
    current = current.cause;
  }
  return codes;
}
