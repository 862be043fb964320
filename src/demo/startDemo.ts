import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/server.js';
import type { Workspace } from '../workspace/Workspace.js';
import { DEMO_USER, newDemoPassword } from './credentials.js';
import { assertDemoNamesFree, DEMO_CONNECTIONS, saveDemoConnections } from './demoConnections.js';
import { writeDemoJob } from './demoJob.js';
import { claimDemo } from './demoLock.js';
import { startFtpServer } from './ftpServer.js';
import { demoHostKey } from './hostKey.js';
import { FTP_PARTNER_FILES, SFTP_PARTNER_FILES, seedPartnerFiles } from './partnerFiles.js';
import { startSftpServer } from './sftpServer.js';

/** Where the demo keeps its things, inside Ferry's data folder. */
export interface DemoFolders {
  readonly sftp: string;
  readonly ftp: string;
  readonly salesforce: string;
  readonly archive: string;
  readonly hostKey: string;
  readonly lock: string;
}

export function demoFolders(home: string): DemoFolders {
  const base = join(home, 'demo');
  return {
    sftp: join(base, 'partner-sftp'),
    ftp: join(base, 'partner-ftp'),
    salesforce: join(base, 'salesforce'),
    archive: join(base, 'archive'),
    // Beside the served folders, never in one: no client may read the server's private key.
    hostKey: join(base, 'keys', 'ssh_host_ed25519_key'),
    lock: join(base, 'running.pid'),
  };
}

export interface RunningDemo {
  readonly jobFile: string;
  /** Stops the servers and the sandbox; the files and connections stay for the next start. */
  close(): Promise<void>;
}

/**
 * Prepares the demo workspace (missing sample files put back, nothing else touched), starts a partner's
 * SFTP server, another's FTP server and the Salesforce sandbox with its demo org on 127.0.0.1, and
 * connects Ferry to all three.
 */
export async function startDemo(ws: Workspace): Promise<RunningDemo> {
  const folders = demoFolders(ws.paths.home);
  await assertDemoNamesFree(ws);
  const lock = await claimDemo(folders.lock);
  const running: Array<{ close(): Promise<void> }> = [{ close: () => lock.release() }];
  const close = async (): Promise<void> => {
    for (const server of running.splice(0).reverse()) await server.close();
  };
  try {
    await seedPartnerFiles(folders.sftp, SFTP_PARTNER_FILES);
    await seedPartnerFiles(folders.ftp, FTP_PARTNER_FILES);
    await mkdir(folders.archive, { recursive: true });
    const hostKey = await demoHostKey(folders.hostKey);

    const sftpPassword = newDemoPassword();
    const sftp = await startSftpServer({ root: folders.sftp, username: DEMO_USER, password: sftpPassword, hostKey: hostKey.privateKey });
    running.push(sftp);
    const ftpPassword = newDemoPassword();
    const ftp = await startFtpServer({ root: folders.ftp, username: DEMO_USER, password: ftpPassword });
    running.push(ftp);
    const sandbox = await startSandbox({ dataDir: folders.salesforce, seed: 'demo' });
    running.push(sandbox);
    await saveDemoConnections(ws, {
      sftp: { port: sftp.port, password: sftpPassword, hostKey: hostKey.publicKey },
      ftp: { port: ftp.port, password: ftpPassword },
      salesforce: {
        url: sandbox.url,
        clientId: sandbox.jwt.clientId,
        keyFile: sandbox.jwt.keyFile,
        username: sandbox.context.defaultUser.username,
        apiVersion: sandbox.context.latestVersion,
      },
    });
    const jobFile = await writeDemoJob(ws.paths.jobs, DEMO_CONNECTIONS.sftp, folders.archive);
    return { jobFile, close };
  } catch (e) {
    await close();
    throw e;
  }
}
