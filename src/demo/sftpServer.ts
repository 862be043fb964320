import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import { sameSecret } from './credentials.js';
import type { DemoServer } from './demoServer.js';
import { ServedFolder } from './servedFolder.js';
import { serveSftp } from './sftpSubsystem.js';

export interface SftpServerOptions {
  /** The folder served as '/'. */
  readonly root: string;
  readonly username: string;
  readonly password: string;
  /** The host's private key (OpenSSH or PEM text). */
  readonly hostKey: string;
}

/** An SFTP server on 127.0.0.1 for one user with a password, serving one folder and nothing else (no shell, no forwarding). */
export async function startSftpServer(opts: SftpServerOptions): Promise<DemoServer> {
  const folder = await ServedFolder.open(opts.root);
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [opts.hostKey], ident: 'Ferry_demo' }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    // A client that goes away mid-handshake is its own business; the server carries on.
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === opts.username && sameSecret(ctx.password, opts.password)) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('session', (acceptSession) => {
      acceptSession().on('sftp', (acceptSftp) => serveSftp(acceptSftp(), folder));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.end();
      await closed;
    },
  };
}
