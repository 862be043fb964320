import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { mapFtpError } from '../../../src/connectors/ftp/mapFtpError.js';
import { mapConnectError } from '../../../src/connectors/sftp/mapSftpError.js';
import { DataConnectionError, explainProblem, type ProblemContext } from '../../../src/workspace/connectionProblem.js';

const FTP: ProblemContext = { protocol: 'ftp', signsInWithKey: false };
const SFTP_PASSWORD: ProblemContext = { protocol: 'sftp', signsInWithKey: false };
const SFTP_KEY: ProblemContext = { protocol: 'sftp', signsInWithKey: true };

/** A socket error as Node raises it. */
function systemError(code: string, message = `connect ${code} 192.0.2.10:21`): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('a failed connection explained in plain words', () => {
  it('wrong user or password: FTP 530 and SSH authentication', () => {
    const ftp = explainProblem(new TransferError('auth', 'Logging in to ftp.example:21 failed: the server replied "530 Login incorrect."'), FTP);
    expect(ftp.cause).toBe('credentials');
    expect(ftp.summary).toBe('The server refused the user name or password.');
    expect(ftp.detail).toMatch(/530 Login incorrect/);
    const ssh = new Error('All configured authentication methods failed');
    Object.assign(ssh, { level: 'client-authentication' });
    expect(explainProblem(mapConnectError(ssh, 'sftp.example:22'), SFTP_PASSWORD).cause).toBe('credentials');
  });

  it('a key the server refused is not called a wrong password', () => {
    const refused = new TransferError('auth', 'Authentication failed for sftp.example:22: the server accepted none of the configured credentials');
    const problem = explainProblem(refused, SFTP_KEY);
    expect(problem.cause).toBe('keyRefused');
    expect(problem.advice).toMatch(/public key/);
  });

  it('the server name not found, from FTP and SSH alike', () => {
    const ftp = mapFtpError(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid'), { op: 'connect', server: 'nowhere.invalid:21', secrets: [] });
    expect(explainProblem(ftp, FTP).cause).toBe('hostNotFound');
    const ssh = Object.assign(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid'), { level: 'client-dns' });
    expect(explainProblem(mapConnectError(ssh, 'nowhere.invalid:22'), SFTP_PASSWORD).summary).toBe('The server name was not found.');
  });

  it('connection refused: nothing listens on the port', () => {
    const ftp = mapFtpError(systemError('ECONNREFUSED'), { op: 'connect', server: '192.0.2.10:21', secrets: [] });
    const problem = explainProblem(ftp, FTP);
    expect(problem.cause).toBe('refused');
    expect(problem.advice).toMatch(/port/);
  });

  it('no route to the network', () => {
    expect(explainProblem(mapConnectError(systemError('EHOSTUNREACH'), '10.9.9.9:22'), SFTP_PASSWORD).cause).toBe('noRoute');
    expect(explainProblem(mapConnectError(systemError('ENETUNREACH'), '10.9.9.9:22'), SFTP_PASSWORD).cause).toBe('noRoute');
  });

  it('timed out', () => {
    const ssh = Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' });
    expect(explainProblem(mapConnectError(ssh, 'sftp.example:22'), SFTP_PASSWORD).cause).toBe('timeout');
  });

  it('certificate expired, and certificate untrusted', () => {
    const expired = new TransferError('certificate', 'The certificate of ftp.example:21 was refused: it has expired', { cause: systemError('CERT_HAS_EXPIRED', 'certificate has expired') });
    expect(explainProblem(expired, FTP)).toMatchObject({ cause: 'certificateExpired', summary: 'The server’s certificate has expired.' });
    const selfSigned = new TransferError('certificate', 'The certificate of ftp.example:21 was refused: it is self-signed');
    expect(explainProblem(selfSigned, FTP).cause).toBe('certificateUntrusted');
  });

  it('an SSH host key refused', () => {
    expect(explainProblem(new TransferError('hostKey', 'The host key of sftp.example:22 was refused'), SFTP_PASSWORD).cause).toBe('hostKey');
  });

  it('FTP signed in but its data connection failed: the passive ports are blocked', () => {
    const data = new DataConnectionError(new TransferError('timeout', 'Listing "/" on ftp.example:21 timed out'));
    const problem = explainProblem(data, FTP);
    expect(problem.cause).toBe('passiveBlocked');
    expect(problem.advice).toMatch(/passive ports/);
    // The same failure on SFTP has no data connection of its own: it is a plain timeout.
    expect(explainProblem(data, SFTP_PASSWORD).cause).toBe('timeout');
  });

  it('a root folder that does not exist', () => {
    expect(explainProblem(new DataConnectionError(new TransferError('notFound', 'Not found (outbox)')), SFTP_PASSWORD).cause).toBe('notFound');
  });

  it('anything else keeps the server’s words', () => {
    const problem = explainProblem(new TransferError('protocol', 'SSH protocol error with x: bad packet'), SFTP_PASSWORD);
    expect(problem).toMatchObject({ cause: 'other', detail: 'SSH protocol error with x: bad packet' });
  });
});
